package dev.storefront.crm.clv;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.query.Sort;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fits kept as entries of {@code clv_fits}. The parameters go in as JSON text at full precision
 * (a number field keeps four decimals, too few to score with).
 */
final class ClvFits {

    static final String OBJECT = "clv_fits";

    private ClvFits() {
    }

    static void save(CrmContext crm, PluginContext.Json json, ClvModel model) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("as_of", model.asOf());
        values.put("fitted_at", model.fittedAt());
        values.put("status", model.status().label);
        values.put("message", model.message());
        values.put("customers", model.customers());
        values.put("repeat_buyers", model.repeatBuyers());
        if (model.frequency() != null) {
            values.put("log_likelihood", BigDecimal.valueOf(model.logLikelihood()).setScale(4, RoundingMode.HALF_EVEN));
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("r", model.frequency().r());
            parameters.put("alpha", model.frequency().alpha());
            parameters.put("a", model.frequency().a());
            parameters.put("b", model.frequency().b());
            parameters.put("p", model.spend().p());
            parameters.put("q", model.spend().q());
            parameters.put("v", model.spend().v());
            parameters.put("logLikelihood", model.logLikelihood());
            parameters.put("spendLogLikelihood", model.spendLogLikelihood());
            values.put("parameters", json.write(parameters));
        }
        crm.create(OBJECT, values);
    }

    static Optional<ClvModel> latest(PluginContext context) {
        List<Map<String, Object>> rows = context.crm().query(OBJECT, null,
                List.of(Sort.desc("fitted_at"), Sort.desc("id")), 1);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        BgNbd frequency = null;
        GammaGamma spend = null;
        double logLikelihood = Double.NaN;
        double spendLogLikelihood = Double.NaN;
        if (row.get("parameters") != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) context.json().parse((String) row.get("parameters"));
            frequency = new BgNbd(number(p, "r"), number(p, "alpha"), number(p, "a"), number(p, "b"));
            spend = new GammaGamma(number(p, "p"), number(p, "q"), number(p, "v"));
            logLikelihood = number(p, "logLikelihood");
            spendLogLikelihood = number(p, "spendLogLikelihood");
        }
        return Optional.of(new ClvModel(ClvModel.Status.ofLabel((String) row.get("status")), (String) row.get("message"),
                frequency, spend, logLikelihood, spendLogLikelihood, ((Number) row.get("customers")).longValue(),
                ((Number) row.get("repeat_buyers")).longValue(), (LocalDate) row.get("as_of"), (OffsetDateTime) row.get("fitted_at")));
    }

    private static double number(Map<String, Object> values, String key) {
        return ((Number) values.get(key)).doubleValue();
    }
}
