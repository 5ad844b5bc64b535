package dev.storefront.crm.imports.csv;

import dev.storefront.crm.storage.CsvStaging;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an uploaded file the way a spreadsheet user means it and writes it in the one strict form
 * given to DuckDB's CSV reader, one part file per chunk of records (so each chunk's statement reads
 * its own rows straight from a file): UTF-8, comma-separated, {@code \n} between records, no header,
 * every record with exactly the header's number of cells after two of its own: the record number
 * (1 = first data record) and the file line where the record starts. Cells lose the whitespace
 * around them here (no-break spaces too), once, so SQL reads each value as it is. One pass over the
 * bytes, whatever the file's size.
 *
 * <p>What it accepts: RFC 4180 (quoted cells with delimiters, doubled quotes and CR, LF or CRLF
 * inside); CRLF, LF or CR line ends; a UTF-8 byte-order mark; a last line with or without a line
 * end; blank lines (skipped); {@code ,}, {@code ;}, tab or {@code |} delimiters (detected from the
 * header, or given); UTF-8, or a single-byte charset such as Windows-1252 (detected when the bytes
 * are not UTF-8, or given); header names with extra spaces; Excel's {@code ="00123"} text guard and
 * the {@code '=} formula escape; quotes inside an unquoted cell; spaces around a quoted cell
 * ({@code a, "b, c" ,d}); empty cells after the last header column. What it refuses, before
 * anything is written: binary data, text whose charset is detected that holds UTF-8 characters of
 * several bytes before bytes that are not UTF-8 (two charsets mixed), a quote never closed, a record
 * of more than {@link CsvStaging#MAX_RECORD_BYTES} bytes, and a record with more non-empty cells
 * than the header has columns.
 */
final class CsvNormalizer {

    /** Delimiters tried when none is given, in order of preference on a tie. */
    private static final byte[] DELIMITERS = {',', ';', '\t', '|'};
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /**
     * What was read: the header (names stripped), data records written, how the file was read, and
     * the part files, part {@code k} holding records {@code k * chunkSize + 1} onwards.
     */
    record Result(List<String> header, long records, char delimiter, Charset charset, List<Path> parts) {
    }

    /** Told of each part once it is written whole, but the last (the {@link Result} names it), as the read goes on. */
    interface Progress {

        /** Part {@code k}, {@code path}, holds its {@code chunkSize} records; the file's header is {@code header}. */
        void written(List<String> header, int k, Path path) throws IOException;

        /** Asked before each block of the file is read: true ends the read there with {@link Stopped}. */
        boolean stopped();
    }

    /** The read was asked to stop ({@link Progress#stopped}) before the file's end: its import was cancelled or ended first. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("The file was not read to its end: the import was cancelled", null, false, false);
        }
    }

    private final Charset givenCharset;
    private final Character givenDelimiter;

    /**
     * @param charset   null to detect (UTF-8, else Windows-1252)
     * @param delimiter null to detect from the header line
     */
    CsvNormalizer(Charset charset, Character delimiter) {
        if (charset != null && !charset.equals(StandardCharsets.UTF_8) && charset.newEncoder().maxBytesPerChar() > 1) {
            throw new ImportFileException("charset " + charset.name() + " is not supported: use UTF-8 or a single-byte"
                    + " charset such as windows-1252 or ISO-8859-1");
        }
        this.givenCharset = charset;
        this.givenDelimiter = delimiter;
    }

    /**
     * Writes the parts as {@code <in>.part-<charset>-<k>} beside {@code in}, {@code chunkSize} records each. A file
     * detected as not UTF-8 is read again as Windows-1252 into parts of other names: that pass begins where the first
     * met a byte that is not UTF-8, after nothing but ASCII (else the file mixes two charsets and is refused), so the
     * parts the first pass wrote whole are the same bytes in either, and a reader of them may go on reading them.
     */
    Result normalize(Path in, int chunkSize, Progress progress) throws IOException {
        byte delimiter = givenDelimiter != null ? (byte) givenDelimiter.charValue() : detectDelimiter(in);
        Charset charset = givenCharset != null ? givenCharset : StandardCharsets.UTF_8;
        try {
            return pass(in, chunkSize, delimiter, charset, givenCharset == null, progress);
        } catch (NotUtf8 e) {
            return pass(in, chunkSize, delimiter, WINDOWS_1252, false, progress);
        }
    }

    /** Thrown when detecting and the bytes are not UTF-8: the file is read again as Windows-1252. */
    private static final class NotUtf8 extends RuntimeException {
        NotUtf8() {
            super(null, null, false, false);
        }
    }

    private Result pass(Path in, int chunkSize, byte delimiter, Charset charset, boolean detecting, Progress progress) throws IOException {
        Parser parser = new Parser(in, chunkSize, delimiter, charset, detecting, progress);
        try (InputStream input = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
            parser.run(input);
        } finally {
            parser.closePart();
        }
        return new Result(parser.header, parser.records, (char) delimiter, charset, List.copyOf(parser.parts));
    }

    /** The delimiter that occurs most often outside quotes in the first line; ',' when none does. */
    private static byte detectDelimiter(Path in) throws IOException {
        int[] counts = new int[DELIMITERS.length];
        try (InputStream input = new BufferedInputStream(Files.newInputStream(in))) {
            boolean quoted = false;
            int b;
            while ((b = input.read()) >= 0) {
                if (b == '"') {
                    quoted = !quoted;
                } else if (!quoted && (b == '\n' || b == '\r')) {
                    break;
                }
                for (int i = 0; i < DELIMITERS.length && !quoted; i++) {
                    if (b == DELIMITERS[i]) {
                        counts[i]++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return DELIMITERS[best];
    }

    /** The state machine over the bytes; one instance per pass. */
    private static final class Parser {

        private static final int START = 0;
        private static final int UNQUOTED = 1;
        private static final int QUOTED = 2;
        private static final int QUOTE_IN_QUOTED = 3;

        private final Path file;
        private final int chunkSize;
        private final Charset charset;
        private final Progress progress;
        private final List<Path> parts = new ArrayList<>();
        private OutputStream out;
        /** U+00A0, U+202F and U+FEFF in UTF-8: spaces around a value that nobody sees. */
        private static final byte[][] UNICODE_SPACES = {{(byte) 0xC2, (byte) 0xA0}, {(byte) 0xE2, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};
        /** Bytes waiting for {@link #out}: written in blocks, not a call per byte. */
        private final byte[] pending = new byte[1 << 16];
        private int pendingLength;
        private final byte delimiter;
        private final boolean utf8;
        private final boolean detecting;
        /** For a single-byte charset: the UTF-8 bytes of each byte value from 0x80. */
        private final byte[][] highBytes;

        /**
         * The current record's cells, back to back in {@code record}; cell {@code i} is
         * {@code record[starts[i], ends[i])} once trimmed and unguarded. No copy per cell.
         */
        private byte[] record = new byte[1 << 12];
        private int recordLength;
        private int cellStart;
        private int[] starts = new int[64];
        private int[] ends = new int[64];
        private boolean[] quotedCells = new boolean[64];
        private int cellCount;
        private List<String> header;
        private long records;
        /** File line of the byte being read, and where the current record and its last quote began. */
        private long line = 1;
        private long recordLine = 1;
        private long quoteLine = 1;
        /** Where in {@code record} the last quote seen inside a quoted cell stands, had it been text. */
        private int quoteEnd;
        private long offset;
        private int utf8Pending;
        /** The line of the first character of more than one byte read as UTF-8; 0 while there is none. */
        private long utf8Line;

        Parser(Path file, int chunkSize, byte delimiter, Charset charset, boolean detecting, Progress progress) {
            this.file = file;
            this.chunkSize = chunkSize;
            this.charset = charset;
            this.progress = progress;
            this.delimiter = delimiter;
            this.utf8 = charset.equals(StandardCharsets.UTF_8);
            this.detecting = detecting;
            this.highBytes = utf8 ? null : highBytes(charset);
        }

        private static byte[][] highBytes(Charset charset) {
            byte[][] table = new byte[128][];
            for (int b = 0x80; b <= 0xFF; b++) {
                table[b - 0x80] = new String(new byte[] {(byte) b}, charset).getBytes(StandardCharsets.UTF_8);
            }
            return table;
        }

        void run(InputStream in) throws IOException {
            byte[] buffer = new byte[1 << 16];
            int state = START;
            boolean afterCr = false;
            int read;
            boolean first = true;
            while ((read = in.read(buffer)) > 0) {
                // Asked per block of 64 KB, not per part: a part of 250,000 records took ~0.4 s to read before a cancel ended it.
                if (progress.stopped()) {
                    throw new Stopped();
                }
                int i = 0;
                if (first) {
                    first = false;
                    checkSignature(buffer, read);
                    if (read >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
                        i = 3;
                    }
                }
                for (; i < read; i++) {
                    byte b = buffer[i];
                    offset++;
                    if (afterCr) {
                        afterCr = false;
                        if (b == '\n') {
                            // The LF of a CRLF: one line end, already counted (and kept, inside quotes).
                            if (state == QUOTED) {
                                append(b);
                            }
                            continue;
                        }
                    }
                    if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
                        throw new ImportFileException("The file is not a CSV text file: it holds binary data (byte "
                                + offset + ", line " + line + "). Save it from the spreadsheet as CSV and upload that file");
                    }
                    if (b == '\r' || b == '\n') {
                        afterCr = b == '\r';
                        if (state == QUOTED) {
                            // Kept in the value; the LF of a CRLF follows through the afterCr branch above.
                            append(b);
                            line++;
                            continue;
                        }
                        line++;
                        endCell(state == QUOTE_IN_QUOTED);
                        endRecord();
                        recordLine = line;
                        state = START;
                        continue;
                    }
                    switch (state) {
                        case START -> {
                            if (b == '"') {
                                state = QUOTED;
                                quoteLine = line;
                            } else if (b == delimiter) {
                                endCell(false);
                            } else if (!padding(b)) {
                                // Spaces before a cell are dropped (cells are trimmed anyway), so ` "Smith, John"` is quoted.
                                append(b);
                                state = UNQUOTED;
                            }
                        }
                        case UNQUOTED -> {
                            if (b == delimiter) {
                                endCell(false);
                                state = START;
                            } else {
                                append(b);
                            }
                        }
                        case QUOTED -> {
                            if (b == '"') {
                                state = QUOTE_IN_QUOTED;
                                quoteEnd = recordLength;
                            } else {
                                append(b);
                            }
                        }
                        default -> {
                            if (b == delimiter) {
                                endCell(true);
                                state = START;
                            } else if (padding(b)) {
                                // Spaces after the closing quote: trimmed if the cell ends here, else text after the quote.
                                append(b);
                            } else if (b == '"' && recordLength == quoteEnd) {
                                append(b);
                                state = QUOTED;
                            } else {
                                // A lone quote inside a quoted cell is kept as text, as spreadsheets read it.
                                insertQuote();
                                if (b == '"') {
                                    quoteEnd = recordLength;
                                } else {
                                    append(b);
                                    state = QUOTED;
                                }
                            }
                        }
                    }
                }
            }
            if (state == QUOTED) {
                throw new ImportFileException("Record " + (records + 1) + ", which starts on line " + recordLine
                        + ", opens a quote on line " + quoteLine + " that is never closed: the file may be cut off."
                        + ImportFileException.NOTHING_IMPORTED);
            }
            if (utf8Pending > 0) {
                notUtf8();
            }
            if (state != START || cellCount > 0) {
                endCell(state == QUOTE_IN_QUOTED);
                endRecord();
            }
            if (header == null) {
                throw new ImportFileException("The file is empty: it has no header line");
            }
        }

        private void checkSignature(byte[] buffer, int read) {
            if (read >= 4 && buffer[0] == 'P' && buffer[1] == 'K' && buffer[2] == 3 && buffer[3] == 4) {
                throw new ImportFileException("The file is a zip archive or an Excel workbook (.xlsx), not CSV: save it"
                        + " from the spreadsheet as CSV and upload that file");
            }
            if (read >= 2 && ((buffer[0] & 0xFF) == 0xFF && (buffer[1] & 0xFF) == 0xFE
                    || (buffer[0] & 0xFF) == 0xFE && (buffer[1] & 0xFF) == 0xFF)) {
                throw new ImportFileException("The file is UTF-16 text (as Excel's \"Unicode Text\" writes it): save it"
                        + " as \"CSV UTF-8\" and upload that file");
            }
        }

        private void append(byte b) {
            if (b < 0) {
                if (utf8) {
                    checkUtf8(b);
                } else {
                    for (byte encoded : highBytes[(b & 0xFF) - 0x80]) {
                        put(encoded);
                    }
                    return;
                }
            } else if (utf8Pending > 0) {
                notUtf8();
            }
            put(b);
        }

        private void put(byte b) {
            if (recordLength == record.length) {
                grow();
            }
            record[recordLength++] = b;
        }

        private void grow() {
            if (record.length >= CsvStaging.MAX_RECORD_BYTES) {
                throw new ImportFileException("Record " + (records + 1) + ", which starts on line " + recordLine + ", holds more than "
                        + (CsvStaging.MAX_RECORD_BYTES >> 20) + " MB of text: a quote that is never closed, or a whole document in a cell."
                        + ImportFileException.NOTHING_IMPORTED);
            }
            record = Arrays.copyOf(record, record.length * 2);
        }

        /** Puts back, as text, the quote a quoted cell's text went on after (before the spaces that followed it). */
        private void insertQuote() {
            if (utf8Pending > 0) {
                notUtf8();
            }
            if (recordLength == record.length) {
                grow();
            }
            System.arraycopy(record, quoteEnd, record, quoteEnd + 1, recordLength - quoteEnd);
            record[quoteEnd] = '"';
            recordLength++;
        }

        /** Spaces and tabs around a cell's value (a tab delimiter is matched before this is asked). */
        private static boolean padding(byte b) {
            return b == ' ' || b == '\t';
        }

        /** Follows multi-byte sequences: a lead byte announces 1-3 continuation bytes (10xxxxxx). */
        private void checkUtf8(byte b) {
            int v = b & 0xFF;
            if (utf8Pending > 0) {
                if ((v & 0xC0) != 0x80) {
                    notUtf8();
                }
                utf8Pending--;
                if (utf8Pending == 0 && utf8Line == 0) {
                    utf8Line = line;
                }
            } else if (v >= 0xC2 && v <= 0xDF) {
                utf8Pending = 1;
            } else if (v >= 0xE0 && v <= 0xEF) {
                utf8Pending = 2;
            } else if (v >= 0xF0 && v <= 0xF4) {
                utf8Pending = 3;
            } else {
                notUtf8();
            }
        }

        private void notUtf8() {
            if (detecting && utf8Line > 0) {
                // Read as Windows-1252, the UTF-8 text before would be garbled (Zoë as ZoÃ«): neither charset reads it all.
                throw new ImportFileException("Line " + line + " is not UTF-8 text (byte " + offset + "), but line " + utf8Line
                        + " is: the file mixes two charsets. Save it from the spreadsheet as CSV UTF-8 and upload that file,"
                        + " or pass its charset, e.g. charset=windows-1252, to read all of it so");
            }
            if (detecting) {
                throw new NotUtf8();
            }
            throw new ImportFileException("Line " + line + " is not UTF-8 text (byte " + offset + "): pass the file's"
                    + " charset, e.g. charset=windows-1252");
        }

        private void endCell(boolean quoted) {
            if (utf8Pending > 0) {
                notUtf8();
            }
            if (cellCount == starts.length) {
                starts = Arrays.copyOf(starts, cellCount * 2);
                ends = Arrays.copyOf(ends, cellCount * 2);
                quotedCells = Arrays.copyOf(quotedCells, cellCount * 2);
            }
            int start = cellStart;
            int end = recordLength;
            while (start < end && whitespace(record[start])) {
                start++;
            }
            while (end > start && whitespace(record[end - 1])) {
                end--;
            }
            int n = end - start;
            if (n >= 3 && record[start] == '=' && record[start + 1] == '"' && record[end - 1] == '"') {
                // Excel's text guard: ="00123" is 00123.
                start += 2;
                end--;
            } else if (n >= 2 && record[start] == '\'' && (record[start + 1] == '=' || record[start + 1] == '+'
                    || record[start + 1] == '-' || record[start + 1] == '@')) {
                // The formula escape: '=SUM(A1) is =SUM(A1).
                start++;
            }
            while (start < end && whitespace(record[start])) {
                start++;
            }
            while (end > start && whitespace(record[end - 1])) {
                end--;
            }
            if (start < end && (record[start] < 0 || record[end - 1] < 0)) {
                // A byte beyond ASCII at an edge may be part of a no-break space. Off the common path: the general
                // trim for every cell took the normalizer's CPU from ~0.62 to ~0.82 s for 1M records of 6 cells.
                start = afterSpaces(start, end);
                end = beforeSpaces(start, end);
            }
            starts[cellCount] = start;
            ends[cellCount] = end;
            quotedCells[cellCount] = quoted;
            cellCount++;
            cellStart = recordLength;
        }

        /** Where the text of {@code record[start, end)} begins after the spaces it starts with. */
        private int afterSpaces(int start, int end) {
            int space;
            while (start < end && (space = spaceAt(start, end)) > 0) {
                start += space;
            }
            return start;
        }

        /** Where the text of {@code record[start, end)} ends before the spaces it ends with. */
        private int beforeSpaces(int start, int end) {
            int space;
            while (end > start && (space = spaceBefore(start, end)) > 0) {
                end -= space;
            }
            return end;
        }

        /**
         * The bytes of the space at {@code i}, 0 if none: ASCII whitespace, as Java's {@code strip()} sees it,
         * and the invisible ones that pasted text brings (U+00A0 and U+202F no-break spaces, U+FEFF), in UTF-8.
         * Left in, an email address ending in a no-break space was stored with it, and matched no one.
         */
        private int spaceAt(int i, int end) {
            if (whitespace(record[i])) {
                return 1;
            }
            if (record[i] >= 0) {
                return 0;
            }
            for (byte[] space : UNICODE_SPACES) {
                if (i + space.length <= end && Arrays.equals(record, i, i + space.length, space, 0, space.length)) {
                    return space.length;
                }
            }
            return 0;
        }

        /** The bytes of the space ending at {@code end}, 0 if none (UTF-8 is read back safely from a character's end). */
        private int spaceBefore(int start, int end) {
            if (whitespace(record[end - 1])) {
                return 1;
            }
            if (record[end - 1] >= 0) {
                return 0;
            }
            for (byte[] space : UNICODE_SPACES) {
                if (end - space.length >= start && Arrays.equals(record, end - space.length, end, space, 0, space.length)) {
                    return space.length;
                }
            }
            return 0;
        }

        /** ASCII whitespace, as Java's {@code strip()} sees it: the staged cell is the value's text. */
        private static boolean whitespace(byte b) {
            return b == ' ' || b >= '\t' && b <= '\r' || b >= 0x1C && b <= 0x1F;
        }

        private boolean blank(int cell) {
            return starts[cell] == ends[cell];
        }

        private String text(int cell) {
            return new String(record, starts[cell], ends[cell] - starts[cell], StandardCharsets.UTF_8);
        }

        private void endRecord() throws IOException {
            boolean blank = true;
            for (int i = 0; i < cellCount && blank; i++) {
                blank = blank(i) && !quotedCells[i];
            }
            if (!blank && header == null) {
                header = new ArrayList<>();
                int last = cellCount;
                while (last > 0 && text(last - 1).isBlank()) {
                    last--;
                }
                for (int i = 0; i < last; i++) {
                    String name = text(i).strip();
                    header.add(name.isEmpty() ? "column " + (i + 1) : name);
                }
            } else if (!blank) {
                writeRecord();
            }
            cellCount = 0;
            recordLength = 0;
            cellStart = 0;
        }

        private void writeRecord() throws IOException {
            if (records % chunkSize == 0) {
                closePart();
                if (!parts.isEmpty()) {
                    progress.written(header, parts.size() - 1, parts.get(parts.size() - 1));
                }
                Path part = file.resolveSibling(file.getFileName() + ".part-" + charset.name() + "-" + parts.size());
                parts.add(part);
                out = Files.newOutputStream(part);
            }
            records++;
            int columns = header.size();
            for (int i = columns; i < cellCount; i++) {
                if (!blank(i)) {
                    throw new ImportFileException("Record " + records + " (line " + recordLine + ") has " + lastNonEmpty()
                            + " cells, but the header has " + columns + " columns: a delimiter inside a value needs quotes"
                            + " around the value." + ImportFileException.NOTHING_IMPORTED);
                }
            }
            writeNumber(records);
            write((byte) ',');
            writeNumber(recordLine);
            for (int i = 0; i < columns; i++) {
                write((byte) ',');
                if (i < cellCount) {
                    writeCell(starts[i], ends[i]);
                }
            }
            write((byte) '\n');
        }

        void closePart() throws IOException {
            if (out != null) {
                out.write(pending, 0, pendingLength);
                pendingLength = 0;
                out.close();
                out = null;
            }
        }

        private int lastNonEmpty() {
            int last = cellCount;
            while (last > 0 && blank(last - 1)) {
                last--;
            }
            return last;
        }

        private void write(byte b) throws IOException {
            if (pendingLength == pending.length) {
                out.write(pending, 0, pendingLength);
                pendingLength = 0;
            }
            pending[pendingLength++] = b;
        }

        private void writeNumber(long value) throws IOException {
            if (value >= 10) {
                writeNumber(value / 10);
            }
            write((byte) ('0' + value % 10));
        }

        private void writeCell(int start, int end) throws IOException {
            boolean quote = false;
            for (int i = start; i < end && !quote; i++) {
                byte b = record[i];
                quote = b == '"' || b == ',' || b == '\n' || b == '\r';
            }
            if (!quote) {
                for (int i = start; i < end; i++) {
                    write(record[i]);
                }
                return;
            }
            write((byte) '"');
            for (int i = start; i < end; i++) {
                if (record[i] == '"') {
                    write((byte) '"');
                }
                write(record[i]);
            }
            write((byte) '"');
        }
    }
}
