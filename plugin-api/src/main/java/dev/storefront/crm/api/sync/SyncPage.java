package dev.storefront.crm.api.sync;

import java.util.List;

/**
 * One page of a source: records to upsert in order, then the lines of a file the host writes itself
 * ({@code lines}, or null), entries to delete after them (in order), the cursor to store with them,
 * and whether this was the last page of the run.
 *
 * @param total how many records the whole run is expected to hold, or -1 if unknown (progress bar)
 */
public record SyncPage<C>(List<SyncRecord> records, JsonLines lines, List<SyncDeletion> deletions, C cursor, boolean done, long total) {

    public SyncPage {
        records = List.copyOf(records);
        deletions = List.copyOf(deletions);
    }

    public SyncPage(List<SyncRecord> records, List<SyncDeletion> deletions, C cursor, boolean done, long total) {
        this(records, null, deletions, cursor, done, total);
    }

    public SyncPage(List<SyncRecord> records, C cursor, boolean done, long total) {
        this(records, null, List.of(), cursor, done, total);
    }
}
