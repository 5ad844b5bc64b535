package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * With {@code --profile}, the server logs each statement's time (storage.Transaction at DEBUG);
 * this reads what one request added to the log, so the bench can split our time into SQL (statement,
 * JDBC and row mapping) and everything else (HTTP, GraphQL parse and validation, fetchers, JSON).
 */
final class SqlTimeLog {

    private static final Pattern STATEMENT = Pattern.compile("sql (\\d+) us");

    private final Path log;
    private long offset;

    SqlTimeLog(Path log) {
        this.log = log;
    }

    void mark() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            offset = file.length();
        }
    }

    /** Statements and their summed time since {@link #mark()}. */
    double[] sinceMark() throws IOException {
        byte[] added;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            added = new byte[(int) Math.max(0, file.length() - offset)];
            file.seek(offset);
            file.readFully(added);
        }
        Matcher matcher = STATEMENT.matcher(new String(added, StandardCharsets.UTF_8));
        double micros = 0;
        int statements = 0;
        while (matcher.find()) {
            micros += Long.parseLong(matcher.group(1));
            statements++;
        }
        return new double[] {statements, micros / 1000};
    }
}
