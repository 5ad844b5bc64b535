package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.imports.ImporterDef;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobError;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobWork;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.ChunkOutcome;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.ImportChunks;
import dev.storefront.crm.storage.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One CSV import as a job. The stored upload is read once into the strict form DuckDB's reader is
 * given, one part file per chunk ({@link CsvNormalizer}, on a thread of its own: {@link Normalizing}),
 * the mapping is checked against the header, then each chunk is read, converted, checked and written
 * by SQL ({@link ImportChunks}) as soon as its part is written, one transaction per chunk together with
 * the job's progress: a chunk is the checkpoint for a cancel and for a crash. The first commit waits
 * for the end of the read, so a file that cannot be read fails before anything is written; it waits holding the write
 * lock only while no other write asks for it (see {@link ReadGoesOn}). An importer with
 * more mappings (orders, then their line items) writes each of them from the chunk's rows, in order,
 * in that same transaction. Bad rows are skipped and reported with record number and file line.
 *
 * <p>A job interrupted by a stopped server keeps its stored upload; {@code resumeImport} runs this
 * again with the job's counters as they were at the last checkpoint, and it continues with the next
 * chunk.
 */
public final class CsvImport implements JobWork {

    /** The parts of an import that do not change from one file to the next. */
    public record Services(DuckDb db, SchemaService schema, ImportChunks chunks, EntryService entries, JobRunner jobs,
                           ImportEvents events, Clock clock) {
    }

    /** How to read the file: each null to detect. */
    public record FileFormat(Character delimiter, java.nio.charset.Charset charset) {
    }

    /**
     * How often the first chunk, converted before the read's end, looks whether another write waits for the lock it holds:
     * that write waits this much at most beyond the chunk's convert.
     */
    private static final long OTHERS_POLL_MILLIS = 10;

    /**
     * The first chunk, converted while the file was still being read, gives back the write lock to another write that
     * waits for it, by rolling back: it would hold it until the read's end (seconds for a large file, tens for 10M rows),
     * and every other write of the CRM (mutations, syncs, workflows, a cancel's audit row) would wait as long. It is
     * converted again once the read has ended. Its transaction stays open until then otherwise, so that a write never
     * runs while the import's uncommitted rows are beyond the lock's view (unique values, updated entries), and with
     * nobody else writing (a bulk import) the convert's overlap with the read stays whole.
     */
    private static final class ReadGoesOn extends RuntimeException {
        ReadGoesOn() {
            super("The first chunk gave the write lock back before the read's end", null, false, false);
        }
    }

    private final Services services;
    private final ImporterDef importer;
    private final ImportMapping override;
    private final Path file;
    private final FileFormat format;
    private final int chunkSize;

    public CsvImport(Services services, ImporterDef importer, ImportMapping override, Path file, FileFormat format, int chunkSize) {
        this.services = services;
        this.importer = importer;
        this.override = override;
        this.file = file;
        this.format = format;
        this.chunkSize = chunkSize;
    }

    @Override
    public void run(Job job) throws IOException {
        ImportCounts counts = ImportCounts.of(job);
        boolean finished = false;
        try (Normalizing read = Normalizing.start(new CsvNormalizer(format.charset(), format.delimiter()), file, chunkSize, job::total,
                job::cancelled)) {
            try {
                finished = writeChunks(job, counts, read);
            } catch (CsvNormalizer.Stopped cancelled) {
                // Cancelled before the file was read to its end: the chunk in hand, which waits for the read to commit, rolled back.
                job.message("Cancelled after " + job.processedCount() + " rows, before the file was read to its end; " + counts.describe());
            } catch (RuntimeException e) {
                RuntimeException failure = read.failureOr(e);
                throw failure instanceof ImportFileException problem && job.processedCount() > 0
                        ? ImportFileException.afterResume(problem, job.processedCount()) : failure;
            } finally {
                // Plugins keep derived values from the event: they hear of every import that committed rows (in this run or the
                // one before a resume), whether it ended, was cancelled or failed, with the counts of its committed chunks.
                if (finished || job.processedCount() > 0) {
                    services.events().finished(job, objectOf(importer, override), importer.name(), counts, finished);
                }
            }
        } finally {
            deleteParts();
            if (finished || job.cancelled() || job.processedCount() == 0) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Resolves the mappings against the file's header, writes the chunks from the next one on; true when all were written. */
    private boolean writeChunks(Job job, ImportCounts counts, Normalizing read) {
        List<String> header = read.header();
        MetadataSnapshot model = services.schema().current();
        List<String> ignored = new ArrayList<>();
        List<MappingPlan> plans = new ArrayList<>();
        plans.add(MappingPlan.resolve(mapping(model, header, ignored), model, header, ignored));
        for (ImportMapping more : importer.more()) {
            MappingPlan.resolveFurther(more, model, header).ifPresent(plans::add);
        }
        // A file of several chunks recomputes what reads its rows once, after the last chunk, over the
        // whole object: recomputed per chunk, the customers of 1M orders were rewritten chunk after chunk,
        // scattered over the table, and each commit then rewrote them again (half of such an import).
        Normalizing.Part firstPart = read.part(0);
        boolean recomputeAtEnd = firstPart != null && firstPart.more();
        try {
            for (long from = job.processedCount() + 1; !job.cancelled(); ) {
                Normalizing.Part part = read.part((int) ((from - 1) / chunkSize));
                if (part == null || from > part.last()) {
                    break;
                }
                long first = from;
                Runnable chunk = () -> services.db().write(tx -> {
                    writeChunk(tx, plans, part, header.size(), first, job, counts, read, !recomputeAtEnd);
                    return null;
                });
                try {
                    chunk.run();
                } catch (ReadGoesOn gaveWay) {
                    read.result();
                    chunk.run();
                }
                from = part.last() + 1;
            }
        } finally {
            // Also after a failed or cancelled chunk, and in a resumed job for the chunks of the run before.
            if (recomputeAtEnd && counts.created() + counts.updated() > 0) {
                services.db().write(tx -> {
                    plans.stream().map(MappingPlan::object).distinct()
                            .forEach(object -> services.entries().allWrittenInBulk(tx, object, counts.updated() > 0));
                    return null;
                });
            }
        }
        job.message(summary(job, plans, read.result(), counts));
        return true;
    }

    /** The object an import writes first: the one a client's mapping names, else the importer's (its job's and its event's). */
    public static String objectOf(ImporterDef importer, ImportMapping override) {
        return override != null && override.object() != null ? override.object() : importer.object();
    }

    /** The part files of this upload, also those of a pass that stopped half-way. */
    private void deleteParts() throws IOException {
        String prefix = file.getFileName() + ".part-";
        try (Stream<Path> listing = Files.list(file.getParent())) {
            for (Path part : listing.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(part);
            }
        }
    }

    /**
     * Writes records {@code from} to the end of {@code part} by each plan, and the job's stored progress, in
     * the caller's transaction: the one place where a chunk of an import becomes data. The live job and {@code counts} follow
     * once it commits. It commits only once the
     * whole file was read; until then it throws {@link ReadGoesOn} when another write waits for the lock. {@code recompute}:
     * the computed fields that read what the chunk wrote are recomputed here, else once after the last chunk.
     */
    private void writeChunk(Transaction tx, List<MappingPlan> plans, Normalizing.Part part, int columns, long from, Job job,
                            ImportCounts counts, Normalizing read, boolean recompute) {
        OffsetDateTime now = OffsetDateTime.now(services.clock()).withOffsetSameInstant(ZoneOffset.UTC);
        MetadataSnapshot model = services.schema().current();
        List<ChunkReport.Refused> refused = new ArrayList<>();
        List<ChunkOutcome> outcomes = new ArrayList<>();
        for (MappingPlan plan : plans) {
            ChunkOutcome outcome = services.chunks().write(tx, plan.chunk(), services.entries().computedColumns(model, plan.object()),
                    part.path(), columns, from, part.last() + 1, now, recompute);
            outcome.problems().forEach(problem -> refused.add(new ChunkReport.Refused(plan, problem)));
            if (recompute && outcome.created() + outcome.updated() > 0) {
                services.entries().bulkWritten(tx, plan.object(), outcome.written());
            }
            outcomes.add(outcome);
        }
        // A file found unreadable further on (or a cancel during its read) fails here, before this first chunk commits: nothing is
        // written, and the counts stay those of the committed chunks.
        while (!read.ended(OTHERS_POLL_MILLIS)) {
            if (services.db().othersWaitToWrite()) {
                throw new ReadGoesOn();
            }
        }
        read.result();
        ImportCounts committed = counts.plus(outcomes);
        List<JobError> errors = ChunkReport.report(refused);
        long rows = part.last() + 1 - from;
        String progress = committed.progress(job.processedCount() + rows, job.view().total(), job.errorCount() + errors.size());
        services.jobs().checkpoint(tx, job, new Job.Step(rows, errors, progress));
        tx.afterCommit(() -> counts.set(committed));
    }

    private ImportMapping mapping(MetadataSnapshot model, List<String> header, List<String> ignored) {
        ImportMapping base = override == null ? importer.mapping() : overridden(importer.mapping(), override, importer.object());
        if (base == null) {
            return MappingPlan.fromHeader(model.object(importer.object()), model, header, ignored);
        }
        return base;
    }

    /**
     * The importer's mapping {@code base} (null for a generic importer, of {@code object}) with what a client's
     * {@code override} gives: its keys, and its object and columns if it names columns (null when neither names any:
     * the header's are read). How the importer reads its rows (row condition, items, create only, keep stored) stays
     * with a client's columns for the same object: they only say which column fills which field.
     */
    static ImportMapping overridden(ImportMapping base, ImportMapping override, String object) {
        List<String> keys = !override.keys().isEmpty() ? override.keys() : base != null ? base.keys() : List.of();
        if (override.columns().isEmpty()) {
            return base == null ? null : new ImportMapping(base.object(), keys, base.columns(), base.when(), base.items(), base.createOnly(),
                    base.keepStored());
        }
        String target = override.object() != null ? override.object() : object;
        boolean sameObject = base != null && target.equals(base.object());
        return new ImportMapping(target, keys, override.columns(), sameObject ? base.when() : null, sameObject ? base.items() : null,
                sameObject && base.createOnly(), sameObject && base.keepStored());
    }

    private static String summary(Job job, List<MappingPlan> plans, CsvNormalizer.Result read, ImportCounts counts) {
        MappingPlan plan = plans.get(0);
        String text = (job.cancelled() ? "Cancelled after " : "Imported ") + (job.processedCount() - job.errorCount())
                + " of " + job.processedCount() + " rows into " + String.join(" and ", plans.stream().map(p -> p.object().apiName()).distinct().toList())
                + "; " + job.errorCount()
                + " bad rows skipped; " + counts.describe() + "; read as " + read.charset().name() + ", "
                + delimiterName(read.delimiter()) + "-separated";
        if (!plan.ignoredColumns().isEmpty()) {
            text += "; columns not imported: " + String.join(", ", plan.ignoredColumns());
        }
        return text;
    }

    private static String delimiterName(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }
}
