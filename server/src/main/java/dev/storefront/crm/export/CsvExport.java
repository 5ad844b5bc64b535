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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a list of entries as CSV: the header here, the records formatted and quoted by the database
 * into a file that is then streamed, so memory stays flat however many rows there are. The header holds field labels; list values are JSON arrays, relations the
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
    public long write(MetadataSnapshot model, ObjectDef object, ListQuery query, List<String> fields, OutputStream out) throws IOException {
        List<FieldDef> columns = columns(object, fields);
        Writer header = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        new CsvWriter(header).record(columns.stream().map(FieldDef::label).toList());
        header.flush();
        long written = entries.exportCsv(model, object, query, columns, out);
        out.flush();
        return written;
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
