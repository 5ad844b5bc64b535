package dev.storefront.crm.api.query;

/**
 * The expressions whose spelling differs between SQL engines, written by the host for the store's
 * engine, so that a plugin's {@code CrmContext.sql} SELECTs hold only standard SQL. Each method takes
 * SQL expressions the plugin wrote (their {@code ?} parameters stay in the order given) and returns
 * an expression to place where they would stand.
 */
public interface SqlDialect {

    /** Microseconds from 1970-01-01T00:00:00Z to a timestamp with time zone, as a 64-bit integer. */
    String epochMicros(String timestamp);

    /** The integer quotient of two integer expressions, rounded toward zero (7, 2 gives 3; -7, 2 gives -3). */
    String integerQuotient(String dividend, String divisor);

    /** The date {@code days} (an integer expression) days after {@code date} (a date expression). */
    String plusDays(String date, String days);
}
