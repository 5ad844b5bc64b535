package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.events.ImportFinished;
import dev.storefront.crm.jobs.Job;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Tells whoever listens (the plugin host) that an import ended, once per job, after its last chunk committed. */
public final class ImportEvents {

    private final List<Consumer<ImportFinished>> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Consumer<ImportFinished> listener) {
        listeners.add(listener);
    }

    /** @param written whether every chunk was written: the import failed when it was neither written whole nor cancelled */
    void finished(Job job, String object, String importer, ImportCounts counts, boolean written) {
        // Cancelled first, as the job's state: a cancel that came after the last chunk still ends the job CANCELLED.
        ImportFinished.Outcome outcome = job.cancelled() ? ImportFinished.Outcome.CANCELLED
                : written ? ImportFinished.Outcome.SUCCEEDED : ImportFinished.Outcome.FAILED;
        ImportFinished event = new ImportFinished(object, job.id(), importer, outcome, counts.created(), counts.updated(),
                counts.unchanged(), job.errorCount());
        listeners.forEach(listener -> listener.accept(event));
    }
}
