package dev.storefront.crm.api.query;

/** One key of an ordering. Ties after the last key are always broken by id, so pages are stable. */
public record Sort(String field, Direction direction, Nulls nulls) {

    public enum Direction { ASC, DESC }

    /** Where empty values go; by default last ascending and first descending, as in DuckDB. */
    public enum Nulls { FIRST, LAST, DEFAULT }

    public static Sort asc(String field) {
        return new Sort(field, Direction.ASC, Nulls.DEFAULT);
    }

    public static Sort desc(String field) {
        return new Sort(field, Direction.DESC, Nulls.DEFAULT);
    }
}
