package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.imports.csv.CsvImport;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobState;
import dev.storefront.crm.jobs.JobView;
import dev.storefront.crm.storage.CsvStaging;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Starts and resumes imports: streams the upload to a file in the database's staging folder (the
 * only folder the sandboxed DuckDB may read), then queues a {@link CsvImport} job. The file stays
 * until the job ends, so a job interrupted by a stopped server can be resumed with it.
 */
public final class ImportService {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final String UPLOAD_PREFIX = "crm-import-";
    private static final String JOB_PREFIX = "import:";
    /** The job argument naming the object an import writes, read back by {@link #finishedImportsOf}. */
    private static final String OBJECT_ARG = "object";
    /** Whole-file staging tables of earlier versions, {@code crm_import_<job id>}. */
    private static final String STAGING_PREFIX = "crm_import_";

    private final CsvImport.Services services;
    private final ImporterCatalog catalog;
    private final Path tempDir;
    private final int chunkSize;
    private Path mappingsDir;

    public ImportService(CsvImport.Services services, ImporterCatalog catalog, Path tempDir, int chunkSize) {
        this.services = services;
        this.catalog = catalog;
        this.tempDir = tempDir;
        this.chunkSize = chunkSize;
        cleanUpAfterAStop();
    }

    /**
     * Imports a stopped server left interrupted keep their upload and are told how to resume; other
     * uploads, part files and staging tables go.
     */
    private void cleanUpAfterAStop() {
        Set<String> keptFiles = new HashSet<>();
        for (JobView job : services.jobs().interrupted()) {
            Object file = job.args().get("file");
            if (job.name().startsWith(JOB_PREFIX) && file != null && Files.isRegularFile(tempDir.resolve(file.toString()))) {
                keptFiles.add(file.toString());
                services.jobs().describe(job.id(), job.message() + "; resumeImport(job: \"" + job.id() + "\") continues with row "
                        + (job.processed() + 1) + " from the stored file");
            }
        }
        int tables = services.db().write(tx -> CsvStaging.dropLeftovers(tx, STAGING_PREFIX));
        int files = 0;
        if (Files.isDirectory(tempDir)) {
            try (Stream<Path> listing = Files.list(tempDir)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().startsWith(UPLOAD_PREFIX)
                        && !keptFiles.contains(f.getFileName().toString())).toList()) {
                    Files.deleteIfExists(file);
                    files++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot clean " + tempDir, e);
            }
        }
        if (tables + files > 0) {
            LoggerFactory.getLogger(ImportService.class).warn("Removed {} staging tables and {} uploads of stopped imports", tables, files);
        }
    }

    /**
     * Where saved mappings live: {@code <importer>.yaml} with {@code :} written as {@code _}
     * ({@code woocommerce_customers-csv.yaml}), in the format of the {@code mapping} parameter. A saved
     * mapping replaces the importer's default; a mapping given with the upload replaces both.
     */
    public void mappingsDir(Path directory) {
        this.mappingsDir = directory;
    }

    /**
     * @param mapping   JSON or YAML: either {@code {object, keys, columns}} or just the columns map
     *                  (target → source); null keeps the importer's own mapping
     * @param delimiter null to detect it from the header line
     * @param charset   null to detect (UTF-8, else Windows-1252)
     */
    public Job start(String importerName, InputStream body, String mapping, String delimiter, String charset) {
        ImporterDef importer = catalog.get(importerName);
        if ((mapping == null || mapping.isBlank()) && mappingsDir != null) {
            Path saved = mappingsDir.resolve(importerName.replace(':', '_') + ".yaml");
            if (Files.isRegularFile(saved)) {
                try {
                    mapping = Files.readString(saved);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read mapping " + saved, e);
                }
            }
        }
        CsvImport.FileFormat format = format(delimiter, charset);
        ImportMapping override = parseMapping(mapping, importer);
        Path file;
        try {
            Files.createDirectories(tempDir);
            file = Files.createTempFile(tempDir, UPLOAD_PREFIX, ".csv");
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("importer", importerName);
        args.put(OBJECT_ARG, CsvImport.objectOf(importer, override));
        args.put("file", file.getFileName().toString());
        if (mapping != null) {
            args.put("mapping", mapping);
        }
        if (delimiter != null) {
            args.put("delimiter", delimiter);
        }
        if (charset != null) {
            args.put("charset", charset);
        }
        return services.jobs().submit(importer.plugin(), JOB_PREFIX + importerName, args, null,
                new CsvImport(services, importer, override, file, format, chunkSize));
    }

    /**
     * The ids of the imports into {@code object} that ended after {@code after}, oldest first, from the
     * durable job records: those that succeeded, and those cancelled or failed after committing a chunk
     * (the ones that told the plugins they finished).
     */
    public static List<String> finishedImportsOf(JobRunner jobs, String object, OffsetDateTime after) {
        return jobs.finishedAfter(after).stream()
                .filter(job -> job.name().startsWith(JOB_PREFIX) && object.equals(job.args().get(OBJECT_ARG))
                        && (job.state() == JobState.SUCCEEDED || job.processed() > 0))
                .map(JobView::id).toList();
    }

    /** Continues an import that a stopped server interrupted, with the next chunk after its last checkpoint. */
    public Job resume(String jobId) {
        JobView job = services.jobs().find(jobId).orElseThrow(() -> new NotFoundException("No job with id " + jobId, Map.of("id", jobId)));
        Object file = job.args().get("file");
        if (job.state() != JobState.INTERRUPTED || !job.name().startsWith(JOB_PREFIX) || file == null
                || !Files.isRegularFile(tempDir.resolve(file.toString()))) {
            throw new ConflictException("Job " + jobId + " is " + job.state() + ": only an import that a stopped server"
                    + " interrupted can be resumed");
        }
        ImporterDef importer = catalog.get((String) job.args().get("importer"));
        ImportMapping override = parseMapping((String) job.args().get("mapping"), importer);
        CsvImport.FileFormat format = format((String) job.args().get("delimiter"), (String) job.args().get("charset"));
        return services.jobs().resume(job, new CsvImport(services, importer, override, tempDir.resolve(file.toString()), format,
                chunkSize));
    }

    @SuppressWarnings("unchecked")
    static ImportMapping parseMapping(String text, ImporterDef importer) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Map<String, Object> map;
        try {
            map = YAML.readValue(text, Map.class);
        } catch (JacksonException e) {
            throw new CrmException(ErrorCode.VALIDATION, "The mapping is not valid JSON or YAML: " + e.getOriginalMessage());
        }
        if (map == null) {
            return null;
        }
        if (map.containsKey("columns") || map.containsKey("keys") || map.containsKey("object")) {
            Object keys = map.get("keys");
            return new ImportMapping((String) map.getOrDefault("object", importer.object()),
                    keys instanceof List<?> list ? list.stream().map(String::valueOf).toList() : keys == null ? List.of() : List.of(keys.toString()),
                    stringMap((Map<String, Object>) map.get("columns")));
        }
        return new ImportMapping(importer.object(), List.of(), stringMap(map));
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> columns.put(k, String.valueOf(v)));
        }
        return columns;
    }

    private static CsvImport.FileFormat format(String delimiter, String charset) {
        return new CsvImport.FileFormat(delimiter(delimiter), charset(charset));
    }

    private static Character delimiter(String text) {
        if (text == null || text.isEmpty() || text.equals("auto")) {
            return null;
        }
        return switch (text) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "\t", "tab" -> '\t';
            case "|", "pipe" -> '|';
            default -> throw new CrmException(ErrorCode.VALIDATION, "delimiter must be one of , ; tab | (or left out to detect it)");
        };
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank() || name.equals("auto")) {
            return null;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new CrmException(ErrorCode.VALIDATION, "charset '" + name + "' is unknown: use UTF-8, windows-1252 or ISO-8859-1"
                    + " (or leave it out to detect it)");
        }
    }
}
