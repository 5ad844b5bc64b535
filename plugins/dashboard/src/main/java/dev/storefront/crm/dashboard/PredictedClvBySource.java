package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Predicted CLV (the customer field predicted_clv_365_days the predictive plugin adds) by acquisition
 * source: customers with a prediction, their average and their total, largest total first.
 * Present only when the model has that field.
 */
final class PredictedClvBySource implements WidgetQuery {

    static final String FIELD = "predicted_clv_365_days";

    @Override
    public String name() {
        return "predictedClvBySource";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Predicted 365-day CLV by acquisition source (lines customers, averagePredictedClv, totalPredictedClv)";
    }

    @Override
    public Set<String> reads(Args args) {
        return Set.of("customers");
    }

    @Override
    public boolean available(CrmContext crm) {
        return crm.fields("customers").containsKey(FIELD);
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select select = new Select().sql("SELECT c.acquisition_source AS source, count(*) AS customers, sum(c." + FIELD
                + ") AS total FROM customers c WHERE c." + FIELD + " IS NOT NULL");
        args.filter().andCustomerMatches(select, "c");
        select.sql(" GROUP BY 1 ORDER BY total DESC, source");
        List<String> labels = new ArrayList<>();
        List<Number> customers = new ArrayList<>();
        List<Number> averages = new ArrayList<>();
        List<Number> totals = new ArrayList<>();
        for (Map<String, Object> row : select.run(crm)) {
            labels.add(row.get("source") == null ? "No source" : row.get("source").toString());
            customers.add(((Number) row.get("customers")).longValue());
            averages.add(Orders.perEach(Orders.money(row.get("total")), ((Number) row.get("customers")).longValue()));
            totals.add(Orders.money(row.get("total")));
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("customers", customers),
                new WidgetData.Line("averagePredictedClv", averages), new WidgetData.Line("totalPredictedClv", totals)));
    }
}
