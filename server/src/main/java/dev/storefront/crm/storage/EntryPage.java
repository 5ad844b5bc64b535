package dev.storefront.crm.storage;

import java.util.List;

/** One page of entries, each with its cursor, and whether more lie beyond it in either direction. */
public record EntryPage(List<Entry> entries, List<String> cursors, boolean hasNextPage, boolean hasPreviousPage) {

    public EntryPage {
        entries = List.copyOf(entries);
        cursors = List.copyOf(cursors);
    }
}
