package dev.storefront.crm.imports.csv;

import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.storage.ChunkOutcome;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entries created, updated and left unchanged by an import so far. They travel in the job's progress
 * message, which is stored with every chunk in the chunk's transaction, so a resumed job starts from
 * the counts of its last committed chunk.
 */
final class ImportCounts {

    private static final Pattern STORED = Pattern.compile("\\((\\d+) created, (\\d+) updated, (\\d+) unchanged,");

    private long created;
    private long updated;
    private long unchanged;

    /** The counts a job's progress message holds; zero for a job that has not committed a chunk. */
    static ImportCounts of(Job job) {
        ImportCounts counts = new ImportCounts();
        String message = job.view().message();
        Matcher stored = message == null ? null : STORED.matcher(message);
        if (stored != null && stored.find()) {
            counts.created = Long.parseLong(stored.group(1));
            counts.updated = Long.parseLong(stored.group(2));
            counts.unchanged = Long.parseLong(stored.group(3));
        }
        return counts;
    }

    /** These counts with a chunk's outcomes added: what they become once the chunk commits. */
    ImportCounts plus(List<ChunkOutcome> chunk) {
        ImportCounts sum = new ImportCounts();
        sum.set(this);
        chunk.forEach(outcome -> {
            sum.created += outcome.created();
            sum.updated += outcome.updated();
            sum.unchanged += outcome.unchanged();
        });
        return sum;
    }

    void set(ImportCounts other) {
        created = other.created;
        updated = other.updated;
        unchanged = other.unchanged;
    }

    /** The job's message while it runs, e.g. {@code Importing: 1000 of 4000 rows done (900 created, 50 updated, 40 unchanged, 10 bad)}. */
    String progress(long processed, long total, long bad) {
        return "Importing: " + processed + " of " + total + " rows done (" + created + " created, "
                + updated + " updated, " + unchanged + " unchanged, " + bad + " bad)";
    }

    String describe() {
        return created + " created, " + updated + " updated, " + unchanged + " unchanged";
    }

    long created() {
        return created;
    }

    long updated() {
        return updated;
    }

    long unchanged() {
        return unchanged;
    }
}
