package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Customers and the period's revenue per cell of R (rows R5 to R1) by FM = floor((F + M + 1) / 2)
 * (columns FM1 to FM5), from the customer fields r_score, f_score and m_score. Present only when
 * the model has those fields (the segmentation plugin adds them); customers without scores are
 * left out.
 */
final class RfmGrid implements WidgetQuery {

    @Override
    public String name() {
        return "rfmGrid";
    }

    @Override
    public String resultType() {
        return "Matrix";
    }

    @Override
    public String description() {
        return "Customers and revenue of the period per RFM cell, R x FM (layers customers, revenue)";
    }

    @Override
    public Set<String> reads(Args args) {
        return Set.of("customers", "orders");
    }

    @Override
    public boolean available(CrmContext crm) {
        return crm.fields("customers").keySet().containsAll(List.of("r_score", "f_score", "m_score"));
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select revenue = Orders.counted(new Select().sql("SELECT o.customer_id, sum(o.total_amount) AS revenue"), crm,
                args.period().start(), args.period().end(), true, CustomerFilter.NONE).sql(" GROUP BY o.customer_id");
        Select select = new Select().sql("SELECT c.r_score AS r, FLOOR((c.f_score + c.m_score + 1) / 2.0) AS fm, count(*) AS customers, "
                + "sum(coalesce(p.revenue, 0)) AS revenue FROM customers c LEFT JOIN (").append(revenue)
                .sql(") p ON p.customer_id = c.id WHERE c.r_score IS NOT NULL AND c.f_score IS NOT NULL AND c.m_score IS NOT NULL");
        args.filter().andCustomerMatches(select, "c");
        select.sql(" GROUP BY 1, 2");
        Map<List<Integer>, Map<String, Object>> cells = new HashMap<>();
        for (Map<String, Object> row : select.run(crm)) {
            cells.put(List.of(((Number) row.get("r")).intValue(), ((Number) row.get("fm")).intValue()), row);
        }
        List<String> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<List<Number>> customers = new ArrayList<>();
        List<List<Number>> amounts = new ArrayList<>();
        for (int fm = 1; fm <= 5; fm++) {
            columns.add("FM" + fm);
        }
        for (int r = 5; r >= 1; r--) {
            rows.add("R" + r);
            List<Number> counts = new ArrayList<>();
            List<Number> sums = new ArrayList<>();
            for (int fm = 1; fm <= 5; fm++) {
                Map<String, Object> cell = cells.getOrDefault(List.of(r, fm), Map.of());
                counts.add(cell.isEmpty() ? 0L : ((Number) cell.get("customers")).longValue());
                sums.add(cell.isEmpty() ? BigDecimal.ZERO : Orders.money(cell.get("revenue")));
            }
            customers.add(counts);
            amounts.add(sums);
        }
        return new WidgetData.Matrix(rows, columns, List.of(new WidgetData.Layer("customers", customers),
                new WidgetData.Layer("revenue", amounts)));
    }
}
