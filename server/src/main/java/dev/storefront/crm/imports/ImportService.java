package dev.storefront.crm.imports;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.imports.csv.ChunkWriter;
import dev.storefront.crm.imports.csv.CsvImport;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Starts imports: streams the upload to a file in the database's staging folder (the only folder
 * the sandboxed DuckDB may read), then queues a {@link CsvImport} job.
 */
public final class ImportService {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private final DuckDb db;
    private final SchemaService schema;
    private final ChunkWriter writer;
    private final JobRunner jobs;
    private final ImporterCatalog catalog;
    private final Path tempDir;
    private final int chunkSize;
    private Path mappingsDir;

    public ImportService(DuckDb db, SchemaService schema, ChunkWriter writer, JobRunner jobs, ImporterCatalog catalog,
                         Path tempDir, int chunkSize) {
        this.db = db;
        this.schema = schema;
        this.writer = writer;
        this.jobs = jobs;
        this.catalog = catalog;
        this.tempDir = tempDir;
        this.chunkSize = chunkSize;
        cleanUpAfterAStop();
    }

    /** Jobs left unfinished by a stopped server are FAILED (JobRunner); their staged files and tables go. */
    private void cleanUpAfterAStop() {
        int tables = db.write(tx -> new dev.storefront.crm.storage.CsvStaging().dropLeftovers(tx, CsvImport.STAGING_PREFIX));
        int files = 0;
        if (Files.isDirectory(tempDir)) {
            try (java.util.stream.Stream<Path> listing = Files.list(tempDir)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().startsWith("crm-import-")).toList()) {
                    Files.deleteIfExists(file);
                    files++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot clean " + tempDir, e);
            }
        }
        if (tables + files > 0) {
            org.slf4j.LoggerFactory.getLogger(ImportService.class).warn("Removed {} staging tables and {} uploads of interrupted imports", tables, files);
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
     * @param mapping JSON or YAML: either {@code {object, keys, columns}} or just the columns map
     *                (target → source); null keeps the importer's own mapping
     */
    public Job start(String importerName, InputStream body, String mapping, String delimiter) {
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
        ImportMapping override = parseMapping(mapping, importer);
        char separator = delimiter(delimiter);
        Path file;
        try {
            Files.createDirectories(tempDir);
            file = Files.createTempFile(tempDir, "crm-import-", ".csv");
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("importer", importerName);
        if (mapping != null) {
            args.put("mapping", mapping);
        }
        return jobs.submit(importer.plugin(), "import:" + importerName, args, null,
                new CsvImport(db, schema, writer, jobs, importer, override, file, separator, chunkSize));
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

    private static char delimiter(String text) {
        if (text == null || text.isEmpty()) {
            return ',';
        }
        return switch (text) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "\t", "tab" -> '\t';
            case "|", "pipe" -> '|';
            default -> throw new CrmException(ErrorCode.VALIDATION, "delimiter must be one of , ; tab |");
        };
    }
}
