package dev.storefront.crm.errors;

/** What went wrong, as clients see it in {@code extensions.code}. */
public enum ErrorCode {
    /** The input is malformed or breaks a rule of the object's fields. */
    VALIDATION,
    /** The object, field or entry named does not exist. */
    NOT_FOUND,
    /** The request clashes with stored data: a duplicate unique value, data that a change would lose. */
    CONFLICT,
    /** A bug or an outage on our side; the message carries only an incident id. */
    INTERNAL
}
