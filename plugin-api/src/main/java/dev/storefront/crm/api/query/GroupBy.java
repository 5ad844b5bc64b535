package dev.storefront.crm.api.query;

/**
 * One grouping key of an aggregate: a field, and for date and datetime fields the period to
 * truncate to (DAY when null).
 */
public record GroupBy(String field, Granularity granularity) {

    public enum Granularity { DAY, WEEK, MONTH, QUARTER, YEAR }

    public static GroupBy field(String field) {
        return new GroupBy(field, null);
    }
}
