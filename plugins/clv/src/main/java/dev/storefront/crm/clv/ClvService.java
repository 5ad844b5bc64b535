package dev.storefront.crm.clv;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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

    /** The score fields, in the column order of {@link ClvQueries#scores}. */
    static final List<String> SCORE_FIELDS = List.of("probability_alive", "churn_probability", "expected_orders_90_days",
            "expected_orders_365_days", "expected_order_value", "predicted_clv_365_days", "average_days_between_orders",
            "expected_next_order_date", "predicted_spend_tier");
    /** What {@code clvModel} and the scoring job say before the first fit. */
    static final String NOT_FITTED = "No CLV model has been fitted yet: run fitClvModel or the fit-model job first";
    private static final double WEEKS_90_DAYS = 90 / 7.0;
    private static final double WEEKS_365_DAYS = 365 / 7.0;

    private final PluginContext context;

    ClvService(PluginContext context) {
        this.context = context;
    }

    /** The outcome of a fit or a scoring run. */
    record Outcome(ClvModel model, long changedCustomers) {
    }

    /**
     * Fits as of {@code asOf}, keeps the fit, and scores every customer with it, all in one transaction:
     * the statistics, the fit and the scores read the same orders, so an order placed meanwhile cannot
     * leave its customer with a history the scoring has no 2F1 value for (and so with empty scores).
     */
    Outcome fit(LocalDate asOf) {
        return context.crm().inTransaction(crm -> {
            Statistics statistics = statistics(asOf);
            // Microseconds: what the datetime field keeps, so the fit answered now reads back the same later.
            ClvModel model = ClvFit.fit(statistics.frequency(), statistics.spend(), asOf,
                    OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
            ClvFits.save(crm, context.json(), model);
            return new Outcome(model, score(crm, model, statistics.frequency(), asOf));
        });
    }

    /** Scores every customer as of {@code asOf} with the latest fit, statistics and scores in one transaction. */
    Outcome score(LocalDate asOf) {
        ClvModel model = ClvFits.latest(context).orElseThrow(() -> new PluginException("clv.no-model", NOT_FITTED));
        return context.crm().inTransaction(crm -> new Outcome(model, score(crm, model, statistics(asOf).frequency(), asOf)));
    }

    /** Without a fitted model every score is emptied, so customers never show numbers the latest fit does not back. */
    private long score(CrmContext crm, ClvModel model, FrequencyStats frequency, LocalDate asOf) {
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
            long tDays = frequency.tDays()[i];
            double weeks = tDays / FrequencyStats.DAYS_PER_WEEK;
            // One 2F1 per distinct (x, T days), the join key of the scoring query.
            if (seen.add(tDays << 32 | x)) {
                xs.add(Integer.toString(x));
                days.add(Long.toString(tDays));
                g90.add(Double.toString(bg.survivalTerm(WEEKS_90_DAYS, x, weeks)));
                g365.add(Double.toString(bg.survivalTerm(WEEKS_365_DAYS, x, weeks)));
            }
        }
        GammaGamma gg = model.spend();
        Selection day = orderDay(asOf);
        Selection counted = counted();
        List<Object> parameters = historyParameters(day, counted, asOf);
        parameters.addAll(List.of(bg.r(), bg.alpha(), bg.a(), bg.b(), gg.p(), gg.q(), gg.v(), xs, days, g90, g365));
        return crm.updateFromQuery("customers", SCORE_FIELDS, ClvQueries.scores(day, counted), parameters.toArray());
    }

    /**
     * How the store's Order Date field gives an order's day number (days since 1970-01-01) up to the as-of
     * day: a date field is the day, a datetime (the default schema's) the day it was placed in the store's
     * time zone ({@code crm.timezone}), as the host reckons local days.
     */
    private Selection orderDay(LocalDate asOf) {
        SqlDialect dialect = context.crm().dialect();
        if (context.crm().fields("orders").get("order_date") == FieldKind.DATE) {
            return new Selection(dialect.dayNumber("order_date"), List.of());
        }
        ZoneId zone = context.timeZone();
        Instant end = asOf.plusDays(1).atStartOfDay(zone).toInstant();
        Instant first = end;
        if (!zone.getRules().isFixedOffset()) {
            Object micros = context.crm().sql(ClvQueries.firstOrder(dialect)).get(0).get("first_order");
            if (micros != null) {
                long us = ((Number) micros).longValue();
                first = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
            }
        }
        return dialect.localDay("order_date", zone, first, end);
    }

    /**
     * The orders a customer's history holds: those the customer's Total Orders counts (not Cancelled in the
     * default model), or every order in a model without that rollup.
     */
    private Selection counted() {
        return context.crm().rollupCondition("customers", "total_orders").orElse(new Selection("TRUE", List.of()));
    }

    /** The parameters of the purchase histories: those of the order day and of the counted orders, then the as-of day twice. */
    private static List<Object> historyParameters(Selection day, Selection counted, LocalDate asOf) {
        List<Object> parameters = new ArrayList<>(day.parameters());
        parameters.addAll(counted.parameters());
        parameters.add(asOf.toEpochDay());
        parameters.add(asOf.toEpochDay());
        return parameters;
    }

    /** Both models' statistics as of a day, from one statement over the orders. */
    private record Statistics(FrequencyStats frequency, SpendStats spend) {
    }

    private Statistics statistics(LocalDate asOf) {
        Selection day = orderDay(asOf);
        Selection counted = counted();
        List<Map<String, Object>> rows = context.crm().sql(ClvQueries.statistics(day, counted), historyParameters(day, counted, asOf).toArray());
        List<Map<String, Object>> histories = new ArrayList<>();
        List<Map<String, Object>> spends = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (!Boolean.TRUE.equals(row.get("spend"))) {
                histories.add(row);
            } else if (((Number) row.get("x")).intValue() > 0 && row.get("m") != null && ((Number) row.get("m")).doubleValue() > 0) {
                spends.add(row);
            }
        }
        int[] x = new int[histories.size()];
        int[] tx = new int[x.length];
        int[] t = new int[x.length];
        long[] count = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            Map<String, Object> row = histories.get(i);
            x[i] = ((Number) row.get("x")).intValue();
            tx[i] = ((Number) row.get("tx_days")).intValue();
            t[i] = ((Number) row.get("t_days")).intValue();
            count[i] = ((Number) row.get("n")).longValue();
        }
        int[] sx = new int[spends.size()];
        double[] m = new double[sx.length];
        long[] spendCount = new long[sx.length];
        for (int i = 0; i < sx.length; i++) {
            Map<String, Object> row = spends.get(i);
            sx[i] = ((Number) row.get("x")).intValue();
            m[i] = ((Number) row.get("m")).doubleValue();
            spendCount[i] = ((Number) row.get("n")).longValue();
        }
        return new Statistics(new FrequencyStats(x, tx, t, count), SpendStats.of(sx, m, spendCount));
    }
}
