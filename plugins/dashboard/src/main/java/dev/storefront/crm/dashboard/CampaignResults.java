package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Campaigns launched in the period (by launch date, oldest first): recipients (customers targeted),
 * open rate (recipients who opened / recipients), the revenue recorded on the recipients, and
 * revenue per recipient (to the cent). With a customer filter, only those customers' receipts count.
 */
final class CampaignResults implements WidgetQuery {

    private static final List<WidgetData.Column> COLUMNS = List.of(new WidgetData.Column("id", "ID"),
            new WidgetData.Column("campaign", "TEXT"), new WidgetData.Column("channel", "TEXT"),
            new WidgetData.Column("launchDate", "DATE"), new WidgetData.Column("customersTargeted", "NUMBER"),
            new WidgetData.Column("openRate", "NUMBER"), new WidgetData.Column("revenue", "NUMBER"),
            new WidgetData.Column("revenuePerRecipient", "NUMBER"));

    @Override
    public String name() {
        return "campaignResults";
    }

    @Override
    public String resultType() {
        return "Table";
    }

    @Override
    public String description() {
        return "Per campaign launched in the period: customers targeted, open rate, revenue, revenue per recipient";
    }

    @Override
    public Set<String> reads(Args args) {
        Set<String> reads = new HashSet<>(Set.of("campaigns", "campaign_recipients"));
        if (!args.filter().isEmpty()) {
            reads.add("customers");
        }
        return reads;
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select select = new Select().sql("SELECT c.id, c.campaign_name, c.channel, c.launch_date, count(r.campaign_id) AS recipients, "
                + "count(*) FILTER (WHERE r.opened) AS opened, sum(r.revenue) AS revenue FROM campaigns c "
                + "LEFT JOIN campaign_recipients r ON r.campaign_id = c.id");
        args.filter().andCustomerIn(select, "r.customer_id");
        select.sql(" WHERE c.launch_date >= ").bind(args.period().from()).sql(" AND c.launch_date <= ").bind(args.period().to())
                .sql(" GROUP BY c.id, c.campaign_name, c.channel, c.launch_date ORDER BY c.launch_date, c.id");
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> row : select.run(crm)) {
            long sent = ((Number) row.get("recipients")).longValue();
            long opened = ((Number) row.get("opened")).longValue();
            BigDecimal revenue = Orders.money(row.get("revenue"));
            List<String> cells = new ArrayList<>();
            cells.add(row.get("id").toString());
            cells.add((String) row.get("campaign_name"));
            cells.add((String) row.get("channel"));
            cells.add(String.valueOf(row.get("launch_date")));
            cells.add(Long.toString(sent));
            Double rate = Orders.share(opened, sent);
            cells.add(rate == null ? null : BigDecimal.valueOf(rate).setScale(4, java.math.RoundingMode.HALF_UP).toPlainString());
            cells.add(Orders.cents(revenue));
            BigDecimal perRecipient = Orders.perEach(revenue, sent);
            cells.add(perRecipient == null ? null : perRecipient.toPlainString());
            rows.add(cells);
        }
        return new WidgetData.Table(COLUMNS, rows);
    }
}
