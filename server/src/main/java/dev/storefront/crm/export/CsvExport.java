package dev.storefront.crm.export;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldNames;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.SystemFields;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes a list of entries as CSV: the header here, the records formatted and quoted by the database
 * into a file in the staging folder, sent while the database writes it, so memory stays flat however
 * many rows there are. The header holds field labels; list values are JSON arrays, relations the
 * target's id, so a file exported here can be imported again.
 */
public class CsvExport {

    /** Each export's records are written on a thread of their own while the request's thread sends them. */
    private static final Executor RECORD_WRITERS = task -> {
        Thread thread = new Thread(task, "csv-export-records");
        thread.setDaemon(true);
        thread.start();
    };

    private final EntryService entries;
    private final Path stagingDirectory;

    public CsvExport(EntryService entries, Path stagingDirectory) {
        this.entries = entries;
        this.stagingDirectory = stagingDirectory;
    }

    /** Refuses a bad filter or sort while an error can still be sent as a status code. */
    public void check(MetadataSnapshot model, ObjectDef object, ListQuery query) {
        entries.check(model, object, query);
    }

    /** @param fields GraphQL names of the columns to write; empty means every field */
    public long write(MetadataSnapshot model, ObjectDef object, ListQuery query, List<String> fields, OutputStream out) throws IOException {
        List<FieldDef> columns = columns(object, fields);
        Writer header = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        new CsvWriter(header).record(columns.stream().map(FieldDef::label).toList());
        header.flush();
        Path file = Files.createTempFile(stagingDirectory, "export-", ".csv");
        CompletableFuture<Long> records = CompletableFuture.supplyAsync(() -> entries.exportCsv(model, object, query, columns, file),
                RECORD_WRITERS);
        try {
            GrowingFile.send(file, records, out);
            out.flush();
            return written(records);
        } finally {
            // A send cut short (the client went away) leaves the database writing: the file goes once it is done.
            records.exceptionally(failure -> 0L).join();
            Files.deleteIfExists(file);
        }
    }

    /** How many records the database wrote, or the error that stopped it, as it was thrown. */
    private static long written(CompletableFuture<Long> records) {
        try {
            return records.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The columns of {@code fields} (GraphQL or api names; empty: every field), refusing a name the object lacks. */
    public List<FieldDef> columns(ObjectDef object, List<String> fields) {
        if (fields.isEmpty()) {
            List<FieldDef> all = new ArrayList<>();
            all.add(SystemFields.ID);
            all.addAll(object.fields());
            all.add(SystemFields.CREATED_AT);
            all.add(SystemFields.UPDATED_AT);
            return all;
        }
        List<FieldDef> chosen = new ArrayList<>();
        for (String name : fields) {
            chosen.add(FieldNames.find(object, name).orElseThrow(() -> new CrmException(ErrorCode.VALIDATION,
                    object.apiName() + " has no field '" + name + "'", Map.of("object", object.apiName(), "field", name))));
        }
        return chosen;
    }
}
