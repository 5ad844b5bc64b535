package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cohorts by the month of the customer's first counted order (each month of the period, empty ones
 * included) against months since (0 = the first month): how many of the cohort bought in that
 * month, that number as a share of the cohort, and the cohort's revenue in that month per member.
 * Cells after the period's last month are empty (null).
 */
final class CohortRetention implements WidgetQuery {

    @Override
    public String name() {
        return "cohortRetention";
    }

    @Override
    public String resultType() {
        return "Matrix";
    }

    @Override
    public String description() {
        return "First-purchase month x months since (layers customers, retention, revenuePerMember)";
    }

    @Override
    public Set<String> reads(Args args) {
        return CustomerMonths.reads(args);
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        List<Integer> months = CustomerMonths.months(args.period());
        Select select = CustomerMonths.with(args, crm, "f.first_m AS cohort, o.m - f.first_m AS k, "
                + "count(DISTINCT o.customer_id) AS customers, sum(o.amount) AS revenue")
                .sql(" WHERE f.first_m >= ").bind(months.get(0)).sql(" GROUP BY 1, 2");
        Map<List<Integer>, Map<String, Object>> cells = new HashMap<>();
        for (Map<String, Object> row : select.run(crm)) {
            cells.put(List.of(((Number) row.get("cohort")).intValue(), ((Number) row.get("k")).intValue()), row);
        }
        List<String> rows = months.stream().map(CustomerMonths::label).toList();
        List<String> columns = new ArrayList<>();
        for (int k = 0; k < months.size(); k++) {
            columns.add("Month " + k);
        }
        List<List<Number>> customers = new ArrayList<>();
        List<List<Number>> retention = new ArrayList<>();
        List<List<Number>> revenue = new ArrayList<>();
        for (int cohort : months) {
            Map<String, Object> first = cells.get(List.of(cohort, 0));
            long size = first == null ? 0 : ((Number) first.get("customers")).longValue();
            List<Number> counts = new ArrayList<>();
            List<Number> shares = new ArrayList<>();
            List<Number> perMember = new ArrayList<>();
            for (int k = 0; k < months.size(); k++) {
                boolean inPeriod = cohort + k <= months.get(months.size() - 1);
                Map<String, Object> cell = cells.get(List.of(cohort, k));
                long active = cell == null ? 0 : ((Number) cell.get("customers")).longValue();
                BigDecimal amount = cell == null ? BigDecimal.ZERO : Orders.money(cell.get("revenue"));
                counts.add(inPeriod ? active : null);
                shares.add(inPeriod ? Orders.share(active, size) : null);
                perMember.add(inPeriod ? Orders.perEach(amount, size) : null);
            }
            customers.add(counts);
            retention.add(shares);
            revenue.add(perMember);
        }
        return new WidgetData.Matrix(rows, columns, List.of(new WidgetData.Layer("customers", customers),
                new WidgetData.Layer("retention", retention), new WidgetData.Layer("revenuePerMember", revenue)));
    }
}
