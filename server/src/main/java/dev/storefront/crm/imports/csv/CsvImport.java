package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.imports.ImporterDef;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobWork;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.CsvStaging;
import dev.storefront.crm.storage.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One CSV import as a job: DuckDB's CSV reader loads the file into a staging table (all VARCHAR,
 * file order), the mapping is checked against the header before anything is written, then rows are
 * converted, checked and written in chunks, one transaction per chunk (a chunk is the checkpoint: a
 * cancel keeps the chunks already committed). Bad rows are skipped and reported.
 */
public final class CsvImport implements JobWork {

    /** Staging tables are named {@code crm_import_<job id>}. */
    public static final String STAGING_PREFIX = "crm_import_";

    private final DuckDb db;
    private final SchemaService schema;
    private final ChunkWriter writer;
    private final JobRunner jobs;
    private final ImporterDef importer;
    private final ImportMapping override;
    private final Path file;
    private final char delimiter;
    private final int chunkSize;

    public CsvImport(DuckDb db, SchemaService schema, ChunkWriter writer, JobRunner jobs, ImporterDef importer,
                     ImportMapping override, Path file, char delimiter, int chunkSize) {
        this.db = db;
        this.schema = schema;
        this.writer = writer;
        this.jobs = jobs;
        this.importer = importer;
        this.override = override;
        this.file = file;
        this.delimiter = delimiter;
        this.chunkSize = chunkSize;
    }

    @Override
    public void run(Job job) throws IOException {
        CsvStaging staging = new CsvStaging();
        String table = STAGING_PREFIX + job.id().replace("-", "").toLowerCase(Locale.ROOT);
        try {
            List<String> fileHeader = db.write(tx -> stage(staging, tx, table));
            List<String> header = new ArrayList<>(fileHeader);
            importer.addedColumns().stream().filter(c -> !fileHeader.contains(c)).forEach(header::add);
            long total = db.read(tx -> staging.count(tx, table));
            job.total(total);
            MetadataSnapshot model = schema.current();
            List<String> ignored = new ArrayList<>();
            MappingPlan plan = MappingPlan.resolve(mapping(model, header, ignored), model, header, ignored);
            for (long from = 1; from <= total && !job.cancelled(); from += chunkSize) {
                long start = from;
                long end = Math.min(total + 1, from + chunkSize);
                List<String[]> rows = db.read(tx -> staging.rows(tx, table, fileHeader.size(), start, end));
                db.write(tx -> {
                    writer.write(tx, model, plan, header, importer.transform(), rows, start, job);
                    job.addProcessed(rows.size());
                    jobs.checkpoint(job);
                    return null;
                });
            }
            job.message(summary(job, plan));
        } finally {
            db.write(tx -> {
                staging.drop(tx, table);
                return null;
            });
            Files.deleteIfExists(file);
        }
    }

    private List<String> stage(CsvStaging staging, dev.storefront.crm.storage.Transaction tx, String table) {
        try {
            return staging.stage(tx, file, table, delimiter);
        } catch (dev.storefront.crm.errors.CrmException e) {
            throw new ImportFileException("The file is not a readable CSV: " + e.getMessage().replace("Database error: ", ""));
        }
    }

    private ImportMapping mapping(MetadataSnapshot model, List<String> header, List<String> ignored) {
        ImportMapping base = importer.mapping();
        if (override != null) {
            String object = override.object() != null ? override.object() : importer.object();
            List<String> keys = !override.keys().isEmpty() ? override.keys() : base != null ? base.keys() : List.of();
            if (!override.columns().isEmpty()) {
                return new ImportMapping(object, keys, override.columns());
            }
            base = base == null ? null : new ImportMapping(base.object(), keys, base.columns());
        }
        if (base == null) {
            return MappingPlan.fromHeader(model.object(importer.object()), model, header, ignored);
        }
        return base;
    }

    private static String summary(Job job, MappingPlan plan) {
        String text = (job.cancelled() ? "Cancelled after " : "Imported ") + (job.processedCount() - job.errorCount())
                + " of " + job.processedCount() + " rows into " + plan.object().apiName() + "; " + job.errorCount() + " bad rows skipped";
        if (!plan.ignoredColumns().isEmpty()) {
            text += "; columns not imported: " + String.join(", ", plan.ignoredColumns());
        }
        return text;
    }
}
