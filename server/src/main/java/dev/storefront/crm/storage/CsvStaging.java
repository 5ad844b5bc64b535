package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a normalized CSV part file (no header; record number, file line, then one trimmed cell per
 * header column, see {@code CsvNormalizer}) is read by DuckDB's own reader: {@code rec} and
 * {@code line} BIGINT, the cells as VARCHAR named {@code c0, c1, ...}, so no name from a file ever
 * becomes an identifier. The file path is bound; files may only lie in the staging folder.
 */
public final class CsvStaging {

    /**
     * The most bytes a record's cells may hold. DuckDB's reader refuses a line over its
     * {@code max_line_size} (2 MB by default) in its own words, so the normalizer refuses a longer
     * record first and the reader is told the longest line such a record can stage as.
     */
    public static final int MAX_RECORD_BYTES = 32 << 20;
    /** A staged line: the record's cells, each quote doubled at worst, with its two numbers and delimiters. */
    private static final int MAX_LINE_BYTES = 2 * MAX_RECORD_BYTES + (1 << 20);

    private CsvStaging() {
    }

    /** Appends {@code read_csv(...)} of {@code file}, whose records hold {@code columns} cells after the two numbers. */
    static void readCsv(SqlBuilder sql, Path file, int columns) {
        sql.sql("read_csv(").bind(file.toAbsolutePath().toString())
                .sql(", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', new_line = '\\n',"
                        + " max_line_size = " + MAX_LINE_BYTES + ", columns = {'rec': 'BIGINT', 'line': 'BIGINT'");
        for (int i = 0; i < columns; i++) {
            sql.sql(", 'c" + i + "': 'VARCHAR'");
        }
        sql.sql("})");
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
