package dev.storefront.crm.storage.sql;

import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/** DuckDB's spelling of the expressions plugins ask for through {@link SqlDialect}. */
public enum DuckDbDialect implements SqlDialect {
    INSTANCE;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long DAY_MICROS = 86_400 * MICROS_PER_SECOND;
    /** Added before the division and taken away after it, so that days before 1970 round down too. */
    private static final long SHIFT_DAYS = 1_000_000L;

    @Override
    public String epochMicros(String timestamp) {
        return "epoch_us(" + timestamp + ")";
    }

    @Override
    public String plusDays(String date, String days) {
        return "(" + date + " + CAST(" + days + " AS INTEGER))";
    }

    @Override
    public String dayNumber(String date) {
        return "date_diff('day', DATE '1970-01-01', " + date + ")";
    }

    /**
     * The instant plus the zone's offset at that instant, in whole days. The offsets in force between
     * {@code from} and {@code until} are bound as a CASE over the zone's transitions (none in a zone
     * without daylight saving), as converting each timestamp through the time zone database
     * ({@code timezone(zone, ts)}) took ten times as long over millions of orders.
     */
    @Override
    public Selection localDay(String timestamp, ZoneId zone, Instant from, Instant until) {
        ZoneRules rules = zone.getRules();
        String micros = epochMicros(timestamp);
        StringBuilder cases = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        ZoneOffset before = rules.getOffset(until);
        for (ZoneOffsetTransition t = rules.previousTransition(until); t != null && (from == null || t.getInstant().isAfter(from));
                t = rules.previousTransition(t.getInstant())) {
            cases.append(" WHEN ").append(micros).append(" >= ? THEN ?");
            parameters.add(ChronoUnit.MICROS.between(Instant.EPOCH, t.getInstant()));
            parameters.add(t.getOffsetAfter().getTotalSeconds() * MICROS_PER_SECOND);
            before = t.getOffsetBefore();
        }
        parameters.add(before.getTotalSeconds() * MICROS_PER_SECOND);
        String offset = cases.isEmpty() ? "?" : "CASE" + cases + " ELSE ? END";
        // DuckDB's // on integers rounds toward zero, hence the shift.
        return new Selection("((" + micros + " + " + offset + " + " + DAY_MICROS * SHIFT_DAYS + ") // " + DAY_MICROS + " - " + SHIFT_DAYS + ")",
                parameters);
    }

    @Override
    public String smallest(String value, int count) {
        // min(value, n) is DuckDB's list of the n smallest values that are not null.
        return "min(" + value + ", " + count + ")";
    }

    @Override
    public String element(String list, int index) {
        return "(" + list + ")[" + index + "]";
    }
}
