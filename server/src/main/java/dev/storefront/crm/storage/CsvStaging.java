package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the part file of a chunk is read by DuckDB's own reader: {@code rec} and {@code line} BIGINT, the
 * cells as VARCHAR named {@code c0, c1, ...}, so no name from a file ever becomes an identifier. A part
 * is either normalized (no header; record number, file line, then one trimmed cell per header column,
 * see {@code CsvNormalizer}) or a run of an uploaded file's own lines, which a plain file (one line per
 * record, cells already as they are meant) is cut into without being rewritten. The file path is bound;
 * files may only lie in the staging folder.
 */
public final class CsvStaging {

    private CsvStaging() {
    }

    /**
     * One chunk's file. For a run of lines, records are numbered from {@code firstRecord} in file
     * order and each stands on the line after its number (the header is line 1).
     */
    public record Part(Path file, int columns, boolean lines, long firstRecord, char delimiter, boolean crlf) {

        /** A part in the normalized form, whose records carry their own number and line. */
        public static Part normalized(Path file, int columns) {
            return new Part(file, columns, false, 0, ',', false);
        }

        /** Lines of a plain upload as they are, {@code delimiter}-separated, ending in CRLF or LF. */
        public static Part lines(Path file, int columns, long firstRecord, char delimiter, boolean crlf) {
            return new Part(file, columns, true, firstRecord, delimiter, crlf);
        }
    }

    /** Appends a table expression of {@code part}'s records: {@code rec}, {@code line}, {@code c0 ...}. */
    static void readCsv(SqlBuilder sql, Part part) {
        if (!part.lines()) {
            reader(sql, part.file(), ',', false, true, part.columns());
            return;
        }
        // WITH ORDINALITY numbers the rows in file order also when DuckDB reads the file on several threads.
        sql.sql("(SELECT \"ordinality\" + ").bind(part.firstRecord() - 1).sql(" AS \"rec\", \"ordinality\" + ").bind(part.firstRecord())
                .sql(" AS \"line\"");
        for (int i = 0; i < part.columns(); i++) {
            sql.sql(", ").ident("c" + i);
        }
        sql.sql(" FROM ");
        reader(sql, part.file(), part.delimiter(), part.crlf(), false, part.columns());
        sql.sql(" WITH ORDINALITY) AS \"part\"");
    }

    /** {@code read_csv} of a headerless file of {@code cells} text cells, after {@code rec} and {@code line} when {@code numbered}. */
    private static void reader(SqlBuilder sql, Path file, char delimiter, boolean crlf, boolean numbered, int cells) {
        List<String> columns = new ArrayList<>();
        if (numbered) {
            columns.add("'rec': 'BIGINT'");
            columns.add("'line': 'BIGINT'");
        }
        for (int i = 0; i < cells; i++) {
            columns.add("'c" + i + "': 'VARCHAR'");
        }
        sql.sql("read_csv(").bind(file.toAbsolutePath().toString()).sql(", header = false, auto_detect = false, delim = ")
                .bind(String.valueOf(delimiter)).sql(", quote = '\"', escape = '\"', new_line = '" + (crlf ? "\\r\\n" : "\\n")
                        + "', columns = {" + String.join(", ", columns) + "})");
    }

    /** One record of a part file: its number (also given as its line) and its cells, null where empty. */
    public record Row(long record, List<String> cells) {
    }

    /**
     * Writes {@code rows} as a part file {@link #readCsv} reads, for records that come from no file (a
     * sync's page): every cell stripped, as the normalizer does, and quoted with its quotes doubled.
     */
    public static void writePart(Path file, List<Row> rows) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Row row : rows) {
                out.write(row.record() + "," + row.record());
                for (String cell : row.cells()) {
                    out.write(',');
                    String text = cell == null ? "" : cell.strip();
                    if (!text.isEmpty()) {
                        out.write('"' + text.replace("\"", "\"\"") + '"');
                    }
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage a page of records in " + file.getParent(), e);
        }
    }

    /** Drops the staging tables earlier versions loaded whole files into ({@code prefix*}); returns how many. */
    public static int dropLeftovers(Transaction tx, String prefix) {
        List<String> tables = tx.query(new SqlBuilder().sql("SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, ")
                .bind(prefix).sql(")").build(), row -> row.getString(1));
        tables.forEach(table -> tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(table).build()));
        return tables.size();
    }
}
