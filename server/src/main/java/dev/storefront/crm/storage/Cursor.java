package dev.storefront.crm.storage;

import java.util.List;

/** A decoded page cursor: the ordering it belongs to, the sort values of its entry (as text), and its id. */
record Cursor(List<String> signature, List<String> values, long id) {
}
