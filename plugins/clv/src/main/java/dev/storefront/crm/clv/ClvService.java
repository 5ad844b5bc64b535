package dev.storefront.crm.clv;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fitting and scoring: statistics aggregated in SQL, the fit in Java on those few rows, and every
 * customer's scores written by one set-based update whose SELECT computes them, with the one part SQL
 * lacks (2F1, once per distinct (x, T)) passed in as arrays.
 */
final class ClvService {

    /** The score fields, in the column order of {@link ClvQueries#SCORES}. */
    static final List<String> SCORE_FIELDS = List.of("probability_alive", "churn_probability", "expected_orders_90_days",
            "expected_orders_365_days", "expected_order_value", "predicted_clv_365_days", "average_days_between_orders",
            "expected_next_order_date", "predicted_spend_tier");
    private static final double WEEKS_90_DAYS = 90 / 7.0;
    private static final double WEEKS_365_DAYS = 365 / 7.0;

    private final PluginContext context;

    ClvService(PluginContext context) {
        this.context = context;
    }

    /** The outcome of a fit or a scoring run. */
    record Outcome(ClvModel model, long changedCustomers) {
    }

    /** Fits as of {@code asOf}, keeps the fit, and scores every customer with it, all in one transaction. */
    Outcome fit(LocalDate asOf) {
        FrequencyStats frequency = frequencyStats(asOf);
        // Microseconds: what the datetime field keeps, so the fit answered now reads back the same later.
        ClvModel model = ClvFit.fit(frequency, spendStats(asOf), asOf, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
        long changed = context.crm().inTransaction(crm -> {
            ClvFits.save(crm, context.json(), model);
            return score(crm, model, frequency, asOf);
        });
        return new Outcome(model, changed);
    }

    /** Scores every customer as of {@code asOf} with the latest fit. */
    Outcome score(LocalDate asOf) {
        ClvModel model = ClvFits.latest(context).orElseThrow(() -> new PluginException("clv.no-model",
                "No CLV model has been fitted yet: run fitClvModel or the fit-model job first"));
        FrequencyStats frequency = frequencyStats(asOf);
        return new Outcome(model, context.crm().inTransaction(crm -> score(crm, model, frequency, asOf)));
    }

    /** Without a fitted model every score is emptied, so customers never show numbers the latest fit does not back. */
    private static long score(CrmContext crm, ClvModel model, FrequencyStats frequency, LocalDate asOf) {
        if (!model.converged()) {
            return crm.updateFromQuery("customers", SCORE_FIELDS, ClvQueries.NO_SCORES);
        }
        BgNbd bg = model.frequency();
        Set<Long> seen = new HashSet<>();
        List<String> xs = new ArrayList<>();
        List<String> days = new ArrayList<>();
        List<String> g90 = new ArrayList<>();
        List<String> g365 = new ArrayList<>();
        for (int i = 0; i < frequency.rows(); i++) {
            int x = frequency.x()[i];
            long tDays = Math.round(frequency.t()[i] * 7);
            // One 2F1 per distinct (x, T days), the join key of the scoring query.
            if (seen.add(tDays << 32 | x)) {
                xs.add(Integer.toString(x));
                days.add(Long.toString(tDays));
                g90.add(Double.toString(bg.survivalTerm(WEEKS_90_DAYS, x, frequency.t()[i])));
                g365.add(Double.toString(bg.survivalTerm(WEEKS_365_DAYS, x, frequency.t()[i])));
            }
        }
        GammaGamma gg = model.spend();
        return crm.updateFromQuery("customers", SCORE_FIELDS, ClvQueries.SCORES, asOf.toString(), asOf.toString(),
                bg.r(), bg.alpha(), bg.a(), bg.b(), gg.p(), gg.q(), gg.v(), xs, days, g90, g365);
    }

    FrequencyStats frequencyStats(LocalDate asOf) {
        List<Map<String, Object>> rows = context.crm().sql(ClvQueries.FREQUENCY, asOf.toString(), asOf.toString());
        int n = rows.size();
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        long[] count = new long[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = rows.get(i);
            x[i] = ((Number) row.get("x")).intValue();
            tx[i] = ((Number) row.get("tx_days")).longValue() / 7.0;
            t[i] = ((Number) row.get("t_days")).longValue() / 7.0;
            count[i] = ((Number) row.get("n")).longValue();
        }
        return new FrequencyStats(x, tx, t, count);
    }

    SpendStats spendStats(LocalDate asOf) {
        List<Map<String, Object>> rows = context.crm().sql(ClvQueries.SPEND, asOf.toString(), asOf.toString());
        int n = rows.size();
        int[] x = new int[n];
        double[] m = new double[n];
        long[] count = new long[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = rows.get(i);
            x[i] = ((Number) row.get("x")).intValue();
            m[i] = ((Number) row.get("m")).doubleValue();
            count[i] = ((Number) row.get("n")).longValue();
        }
        return new SpendStats(x, m, count);
    }
}
