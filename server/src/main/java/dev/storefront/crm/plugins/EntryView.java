package dev.storefront.crm.plugins;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An entry as plugins read it in events ({@code id}, {@code created_at}, {@code updated_at}, then its
 * fields), read-only and over the entry itself: a bulk create of 10,000 entries tells two events per
 * entry, and copying each entry's fields into a map of their own for each was most of that cost.
 */
final class EntryView extends AbstractMap<String, Object> {

    // Spelled out: inside a map, Entry names Map.Entry.
    private final dev.storefront.crm.storage.Entry entry;

    EntryView(dev.storefront.crm.storage.Entry entry) {
        this.entry = entry;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        return switch (name) {
            case "id" -> entry.id();
            case "created_at" -> entry.createdAt();
            case "updated_at" -> entry.updatedAt();
            default -> entry.values().get(name);
        };
    }

    @Override
    public boolean containsKey(Object key) {
        return "id".equals(key) || "created_at".equals(key) || "updated_at".equals(key) || entry.values().containsKey(key);
    }

    @Override
    public int size() {
        return 3 + entry.values().size();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                List<Map.Entry<String, Object>> system = List.of(new SimpleImmutableEntry<>("id", entry.id()),
                        new SimpleImmutableEntry<>("created_at", entry.createdAt()), new SimpleImmutableEntry<>("updated_at", entry.updatedAt()));
                return Stream.concat(system.stream(), entry.values().entrySet().stream()).iterator();
            }

            @Override
            public int size() {
                return EntryView.this.size();
            }
        };
    }
}
