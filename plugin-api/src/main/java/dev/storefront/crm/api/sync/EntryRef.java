package dev.storefront.crm.api.sync;

/** The entry of {@code object} whose unique field {@code field} holds {@code value}; null if none. */
public record EntryRef(String object, String field, Object value) {
}
