package dev.storefront.crm.api.events;

import java.util.Map;

/**
 * An entry was created, updated or deleted. Delivered after the change committed; {@code before}
 * is null for a creation and {@code after} null for a deletion. An update's {@code before} is null
 * too when no listener asked for it ({@link EntryListener#readsBefore}).
 */
public record EntryEvent(Type type, String object, long id, Map<String, Object> before, Map<String, Object> after) {

    public enum Type { CREATED, UPDATED, DELETED }
}
