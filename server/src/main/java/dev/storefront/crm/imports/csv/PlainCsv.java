package dev.storefront.crm.imports.csv;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes an upload that DuckDB's CSV reader can read as it is, with the same cells, record
 * numbers and lines {@link CsvNormalizer} would give, and cuts it into one part per chunk in the same
 * pass: each record's line is copied as it is behind its record number and line (so DuckDB reads the
 * numbers as columns and converts on all cores, where numbering rows in SQL is a single-threaded step),
 * instead of being parsed into cells and rewritten. A file is plain when it is UTF-8, its header is
 * line 1 and every record after it is one line (record {@code n} is line {@code n + 1}); line ends are
 * all LF or all CRLF, blank lines come only at the end; every record has exactly the header's number
 * of cells, not all empty; a quote only encloses a whole cell, without a line break inside; and no
 * cell starts or ends with whitespace or starts with {@code =} or {@code '} (Excel's guards). At the
 * first byte that breaks this the parts written so far are deleted and the normalizer reads the file.
 */
final class PlainCsv {

    private static final int START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTED = 3;
    /** Longer records go through the normalizer (DuckDB's reader refuses lines over 2 MB by default). */
    private static final int MAX_RECORD = 1 << 20;

    private PlainCsv() {
    }

    /** The parts, written as {@code <in>.part-<k>}, or empty when the file needs the normalizer (no part left then). */
    static Optional<CsvNormalizer.Result> split(Path in, int chunkSize, byte delimiter) throws IOException {
        Scan scan = new Scan(in, delimiter, chunkSize);
        boolean plain = false;
        try (InputStream input = Files.newInputStream(in)) {
            plain = scan.run(input);
        } finally {
            scan.closePart();
            if (!plain) {
                for (Path part : scan.parts) {
                    Files.deleteIfExists(part);
                }
            }
        }
        if (!plain) {
            return Optional.empty();
        }
        return Optional.of(new CsvNormalizer.Result(scan.header, scan.records, (char) delimiter, StandardCharsets.UTF_8,
                List.copyOf(scan.parts), true, scan.crlf));
    }

    /** The checks over the bytes, one instance per file. */
    private static final class Scan {

        private final Path file;
        private final byte delimiter;
        private final int chunkSize;
        private final List<Path> parts = new ArrayList<>();
        private OutputStream out;
        /** Where the current record's bytes start in the buffer being read, while a record line is being copied. */
        private int copyFrom = -1;
        private boolean recordEnded;
        private List<String> header;
        /** The header's cells, collected only while reading line 1. */
        private final List<String> headerCells = new ArrayList<>();
        private final ByteArrayOutputStream headerCell = new ByteArrayOutputStream();
        private long records;
        private boolean crlf;
        private int lineEnds;

        private int state = START;
        private long offset;
        private long lineStart;
        private boolean afterCr;
        private boolean blankLineSeen;
        private int cells;
        private boolean anyContent;
        /** First and last byte of the current cell's content (quotes excluded), -1 while it has none. */
        private int first = -1;
        private int last = -1;
        private int utf8Pending;

        Scan(Path file, byte delimiter, int chunkSize) {
            this.file = file;
            this.delimiter = delimiter;
            this.chunkSize = chunkSize;
        }

        /** False as soon as a byte shows the file is not plain. */
        boolean run(InputStream in) throws IOException {
            byte[] buffer = new byte[1 << 16];
            int read;
            boolean bom = true;
            while ((read = in.read(buffer)) > 0) {
                int i = 0;
                if (bom) {
                    bom = false;
                    if (read >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
                        i = 3;
                        offset = 3;
                        lineStart = 3;
                    }
                }
                for (; i < read; i++, offset++) {
                    byte b = buffer[i];
                    if (offset == lineStart && header != null && b != '\n' && b != '\r') {
                        startRecord();
                        copyFrom = i;
                    }
                    if (!accept(b)) {
                        return false;
                    }
                    if (recordEnded) {
                        out.write(buffer, copyFrom, i + 1 - copyFrom);
                        copyFrom = -1;
                        recordEnded = false;
                    }
                }
                if (copyFrom >= 0) {
                    out.write(buffer, copyFrom, read - copyFrom);
                    copyFrom = 0;
                }
            }
            if (afterCr || state == QUOTED || utf8Pending > 0) {
                return false;
            }
            if (offset > lineStart && !endLine(offset)) {
                return false;
            }
            return header != null && records > 0;
        }

        /** Opens the next part at a chunk boundary, then writes the coming record's number and line. */
        private void startRecord() throws IOException {
            if (records % chunkSize == 0) {
                closePart();
                Path part = file.resolveSibling(file.getFileName() + ".part-" + parts.size());
                parts.add(part);
                out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16);
            }
            out.write((String.valueOf(records + 1) + (char) delimiter + (records + 2) + (char) delimiter).getBytes(StandardCharsets.US_ASCII));
        }

        void closePart() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
        }

        private boolean accept(byte b) {
            if (afterCr) {
                afterCr = false;
                return b == '\n' && endLine(offset - 1) && lineEnd(true);
            }
            if (b == '\r' || b == '\n') {
                if (state == QUOTED) {
                    return false;
                }
                if (b == '\r') {
                    afterCr = true;
                    return true;
                }
                return endLine(offset) && lineEnd(false);
            }
            if (b >= 0 && b < 0x20 && b != '\t') {
                return false;
            }
            if (offset - lineStart > MAX_RECORD) {
                return false;
            }
            if (b < 0) {
                utf8Pending = Utf8.next(utf8Pending, b & 0xFF);
                if (utf8Pending == Utf8.INVALID) {
                    return false;
                }
            } else if (utf8Pending > 0) {
                return false;
            }
            switch (state) {
                case START -> {
                    if (b == '"') {
                        state = QUOTED;
                    } else if (b == delimiter) {
                        return endCell();
                    } else {
                        content(b);
                        state = UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    if (b == '"') {
                        return false;
                    } else if (b == delimiter) {
                        return endCell();
                    }
                    content(b);
                }
                case QUOTED -> {
                    if (b == '"') {
                        state = QUOTE_IN_QUOTED;
                    } else {
                        content(b);
                    }
                }
                default -> {
                    if (b == '"') {
                        content(b);
                        state = QUOTED;
                    } else if (b == delimiter) {
                        return endCell();
                    } else {
                        return false;
                    }
                }
            }
            return true;
        }

        /** All line ends must be alike, so DuckDB is told which one. */
        private boolean lineEnd(boolean isCrlf) {
            if (lineEnds++ == 0) {
                crlf = isCrlf;
            }
            return crlf == isCrlf;
        }

        private void content(byte b) {
            if (first < 0) {
                first = b & 0xFF;
            }
            last = b & 0xFF;
            if (header == null) {
                headerCell.write(b);
            }
        }

        private boolean endCell() {
            // Header names are stripped in Java; a value's whitespace and Excel's guards need the normalizer.
            boolean ok = first < 0 || first != '=' && first != '\'' && (header == null || !whitespace(first) && !whitespace(last));
            anyContent |= first >= 0;
            if (header == null) {
                headerCells.add(headerCell.toString(StandardCharsets.UTF_8).strip());
                headerCell.reset();
            }
            cells++;
            first = -1;
            last = -1;
            state = START;
            return ok;
        }

        /** The line that began at {@code lineStart} ends at {@code at} (its line end's first byte). */
        private boolean endLine(long at) {
            boolean blank = at == lineStart;
            lineStart = offset + 1;
            if (blank) {
                blankLineSeen = true;
                return header != null;
            }
            if (blankLineSeen || utf8Pending > 0 || !endCell()) {
                return false;
            }
            boolean ok = true;
            if (header == null) {
                header = List.copyOf(headerCells);
                ok = header.stream().noneMatch(String::isEmpty);
            } else {
                ok = cells == header.size() && anyContent;
                records++;
                recordEnded = true;
            }
            cells = 0;
            anyContent = false;
            return ok;
        }

        /** ASCII whitespace as the normalizer trims it (control bytes other than tab never reach here). */
        private static boolean whitespace(int b) {
            return b == ' ' || b == '\t';
        }
    }
}
