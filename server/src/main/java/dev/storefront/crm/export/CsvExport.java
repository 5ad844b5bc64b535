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
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a list of entries as CSV from one streamed query whose rows are the records, formatted
 * and quoted by the database, so memory stays flat however many rows there are. The header holds field labels; list values are JSON arrays, relations the
 * target's id, so a file exported here can be imported again.
 */
public class CsvExport {

    private final EntryService entries;

    public CsvExport(EntryService entries) {
        this.entries = entries;
    }

    /** Refuses a bad filter or sort while an error can still be sent as a status code. */
    public void check(MetadataSnapshot model, ObjectDef object, ListQuery query) {
        entries.check(model, object, query);
    }

    /** @param fields GraphQL names of the columns to write; empty means every field */
    public long write(MetadataSnapshot model, ObjectDef object, ListQuery query, List<String> fields, Writer out) throws IOException {
        List<FieldDef> columns = columns(object, fields);
        CsvWriter csv = new CsvWriter(out);
        csv.record(columns.stream().map(FieldDef::label).toList());
        long[] written = {0};
        try {
            entries.forEachCsvRecord(model, object, query, columns, record -> {
                try {
                    out.write(record);
                    out.write("\r\n");
                    written[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        return written[0];
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
