package dev.storefront.crm.api.query;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The expressions whose spelling differs between SQL engines, written by the host for the store's
 * engine, so that a plugin's {@code CrmContext.sql} SELECTs hold only standard SQL. Each method takes
 * SQL expressions the plugin wrote (their {@code ?} parameters stay in the order given) and returns
 * an expression to place where they would stand.
 */
public interface SqlDialect {

    /** Microseconds from 1970-01-01T00:00:00Z to a timestamp with time zone, as a 64-bit integer. */
    String epochMicros(String timestamp);

    /** The date {@code days} (an integer expression) days after {@code date} (a date expression). */
    String plusDays(String date, String days);

    /** The day number (days since 1970-01-01, as {@link java.time.LocalDate#ofEpochDay} counts) of a date expression. */
    String dayNumber(String date);

    /**
     * The day number (days since 1970-01-01) of the local date in {@code zone} of a timestamp with time
     * zone, right for timestamps from {@code from} (null: any time) until {@code until}, with the values it
     * binds: the store's local day of an order, the same in every plugin. An order at 23:30 UTC on Jan 31
     * falls on Feb 1 in Berlin. {@code timestamp} is a column or an expression without parameters.
     */
    Selection localDay(String timestamp, ZoneId zone, Instant from, Instant until);

    /**
     * The aggregate of the {@code count} smallest values of {@code value} over the group's rows, nulls left
     * out and equal values counted apart, as one value of the engine's list type (a FILTER may follow it);
     * read with {@link #element}.
     */
    String smallest(String value, int count);

    /** The {@code index}-th element (from 1) of a list of {@link #smallest}; null past its end. */
    String element(String list, int index);
}
