package dev.storefront.crm.imports.csv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes an upload that DuckDB's CSV reader can read as it is, with the same cells and record
 * numbers {@link CsvNormalizer} would give, and cuts it into one part per chunk by copying its lines
 * (the parts are then read in parallel by DuckDB instead of being rewritten by one Java thread). A
 * file is plain when it is UTF-8, its header is line 1 and every record after it is one line
 * (record {@code n} is line {@code n + 1}); line ends are all LF or all CRLF, blank lines come only at
 * the end; every record has exactly the header's number of cells, not all empty; a quote only
 * encloses a whole cell, without a line break inside; and no cell starts or ends with whitespace or
 * starts with {@code =} or {@code '} (Excel's guards). Anything else goes through the normalizer, so
 * this is only a faster way to the same result: a scan that stops at the first byte that needs it.
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

    /** The parts, written as {@code <in>.part-<k>}, or empty when the file needs the normalizer (nothing written then). */
    static Optional<CsvNormalizer.Result> split(Path in, int chunkSize, byte delimiter) throws IOException {
        Scan scan = new Scan(delimiter, chunkSize);
        try (InputStream input = Files.newInputStream(in)) {
            if (!scan.run(input)) {
                return Optional.empty();
            }
        }
        List<Path> parts = new ArrayList<>();
        try (FileChannel source = FileChannel.open(in, StandardOpenOption.READ)) {
            for (int k = 0; k < scan.chunkStarts.size(); k++) {
                long start = scan.chunkStarts.get(k);
                long end = k + 1 < scan.chunkStarts.size() ? scan.chunkStarts.get(k + 1) : scan.end;
                Path part = in.resolveSibling(in.getFileName() + ".part-" + k);
                try (FileChannel target = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    for (long done = 0; done < end - start; ) {
                        done += source.transferTo(start + done, end - start - done, target);
                    }
                }
                parts.add(part);
            }
        }
        return Optional.of(new CsvNormalizer.Result(scan.header, scan.records, (char) delimiter, StandardCharsets.UTF_8, parts,
                true, scan.crlf));
    }

    /** The checks over the bytes, one instance per file. */
    private static final class Scan {

        private final byte delimiter;
        private final int chunkSize;
        private final List<Long> chunkStarts = new ArrayList<>();
        private List<String> header;
        /** The header's cells, collected only while reading line 1. */
        private final List<String> headerCells = new ArrayList<>();
        private final ByteArrayOutputStream headerCell = new ByteArrayOutputStream();
        private long records;
        /** Where the file's records end: before any blank lines at its end. */
        private long end;
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

        Scan(byte delimiter, int chunkSize) {
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
                    if (!accept(buffer[i])) {
                        return false;
                    }
                }
            }
            if (afterCr || state == QUOTED || utf8Pending > 0) {
                return false;
            }
            if (offset > lineStart && !endLine(offset)) {
                return false;
            }
            if (!blankLineSeen) {
                end = offset;
            }
            return header != null && records > 0;
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
            long start = lineStart;
            lineStart = offset + 1;
            if (blank) {
                if (!blankLineSeen) {
                    end = start;
                }
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
                if (records % chunkSize == 0) {
                    chunkStarts.add(start);
                }
                records++;
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
