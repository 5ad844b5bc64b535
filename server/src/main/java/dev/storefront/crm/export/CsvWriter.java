package dev.storefront.crm.export;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * RFC 4180 CSV: fields holding a comma, quote, CR or LF are quoted, quotes are doubled, records
 * end with CRLF. An empty value is an empty field.
 */
final class CsvWriter {

    private final Writer out;

    CsvWriter(Writer out) {
        this.out = out;
    }

    void record(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            write(fields.get(i));
        }
        out.write("\r\n");
    }

    private void write(String field) throws IOException {
        if (field == null) {
            return;
        }
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0;
        if (!quote) {
            out.write(field);
            return;
        }
        out.write('"');
        out.write(field.replace("\"", "\"\""));
        out.write('"');
    }
}
