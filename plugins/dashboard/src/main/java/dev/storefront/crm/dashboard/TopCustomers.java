package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The customers with the highest lifetime value as of the period's end (ties by id). */
final class TopCustomers implements WidgetQuery {

    private static final List<WidgetData.Column> COLUMNS = List.of(new WidgetData.Column("id", "ID"),
            new WidgetData.Column("fullName", "TEXT"), new WidgetData.Column("email", "TEXT"),
            new WidgetData.Column("customerSegment", "TEXT"), new WidgetData.Column("orders", "NUMBER"),
            new WidgetData.Column("lifetimeValue", "NUMBER"));

    @Override
    public String name() {
        return "topCustomers";
    }

    @Override
    public String resultType() {
        return "Table";
    }

    @Override
    public String description() {
        return "The customers with the highest lifetime value as of the period's end";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positive("limit", 10));
    }

    @Override
    public Set<String> reads(Args args) {
        Set<String> reads = new HashSet<>(LifetimeValues.reads(args));
        reads.add("customers");
        return reads;
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select select = new Select().sql("SELECT c.id, c.full_name, c.email, c.customer_segment, v.orders, v.ltv FROM (")
                .append(LifetimeValues.select(args, crm))
                .sql(") v JOIN customers c ON c.id = v.customer_id ORDER BY v.ltv DESC, c.id FETCH FIRST ")
                .bind(args.integer("limit", 10)).sql(" ROWS ONLY");
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> row : select.run(crm)) {
            List<String> cells = new ArrayList<>();
            cells.add(row.get("id").toString());
            cells.add((String) row.get("full_name"));
            cells.add((String) row.get("email"));
            cells.add((String) row.get("customer_segment"));
            cells.add(row.get("orders").toString());
            cells.add(Orders.cents(Orders.money(row.get("ltv"))));
            rows.add(cells);
        }
        return new WidgetData.Table(COLUMNS, rows);
    }
}
