package dev.storefront.crm.storage;

import java.util.List;

/** One page of entries and whether more lie beyond it in either direction. */
public record EntryPage(List<Entry> entries, boolean hasNextPage, boolean hasPreviousPage) {

    public EntryPage {
        entries = List.copyOf(entries);
    }

    public static EntryPage empty() {
        return new EntryPage(List.of(), false, false);
    }
}
