package dev.storefront.crm.api.query;

/** How a field is compared; the same operators GraphQL's {@code where} inputs offer. */
public enum Operator {
    /** All kinds. */
    EQ, NEQ, IN, NOT_IN,
    /** All kinds; the value is a Boolean: true matches empty fields, false filled ones. */
    IS_NULL,
    /** Text kinds, case-insensitive. */
    CONTAINS, STARTS_WITH, ENDS_WITH,
    /** Number, integer, date, datetime. BETWEEN takes a two-item list, both ends included. */
    GT, GTE, LT, LTE, BETWEEN,
    /** Date and datetime, against the server's clock: on or after today minus N days. */
    WITHIN_LAST_DAYS,
    /** Date and datetime: before today minus N days. */
    MORE_THAN_DAYS_AGO,
    /** Multi-enum and tags: holds at least one of / every one of the given values. */
    CONTAINS_ANY, CONTAINS_ALL
}
