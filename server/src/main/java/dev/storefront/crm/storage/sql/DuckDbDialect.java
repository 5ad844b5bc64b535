package dev.storefront.crm.storage.sql;

import dev.storefront.crm.api.query.SqlDialect;

/** DuckDB's spelling of the expressions plugins ask for through {@link SqlDialect}. */
public enum DuckDbDialect implements SqlDialect {
    INSTANCE;

    @Override
    public String epochMicros(String timestamp) {
        return "epoch_us(" + timestamp + ")";
    }

    @Override
    public String integerQuotient(String dividend, String divisor) {
        // DuckDB's / on integers gives a DOUBLE; // is its integer division.
        return "((" + dividend + ") // (" + divisor + "))";
    }

    @Override
    public String plusDays(String date, String days) {
        return "(" + date + " + CAST(" + days + " AS INTEGER))";
    }
}
