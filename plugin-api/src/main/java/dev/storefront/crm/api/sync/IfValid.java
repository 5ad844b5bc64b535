package dev.storefront.crm.api.sync;

/**
 * A value of a {@link SyncRecord} that the host writes only when it is a valid value of its field; when it is not, the
 * field is left as stored and the record is written all the same. For what a store keeps unchecked, or checked less
 * than the CRM checks it: WooCommerce's checkout takes {@code -} or {@code 12} as a billing phone, and a customer must not
 * be left out of the CRM for it.
 */
public record IfValid(Object value) {
}
