package dev.storefront.crm.imports.csv;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The normalizer ({@link CsvNormalizer}) reading the upload on a thread of its own while the chunks are written: chunk
 * {@code k} converts as soon as part {@code k} is written whole, while the next parts are read. Read first, the normalizer
 * (Java, one core) kept the other core idle for its whole read before the first convert. Nothing may be committed
 * before the whole file was read, so that a file found unreadable further on writes nothing: a chunk's transaction
 * waits for the read's end ({@link #result()}, {@link #ended(long)}) before it commits, which costs only the first.
 */
final class Normalizing implements CsvNormalizer.Progress, AutoCloseable {

    /** Part {@code k} of the file: records up to {@code last}; {@code more}: records follow in later parts. */
    record Part(Path path, long last, boolean more) {
    }

    private final int chunkSize;
    private final LongConsumer records;
    private final BooleanSupplier cancelled;
    private final Thread thread;
    /** The parts written whole, but the last, and the header, as they come; then the read's result or failure. */
    private final List<Path> written = new ArrayList<>();
    private List<String> header;
    private CsvNormalizer.Result result;
    private Throwable failure;
    /** Set when the import ended first: the read stops at its next block. */
    private volatile boolean stopped;

    private Normalizing(CsvNormalizer normalizer, Path file, int chunkSize, LongConsumer records, BooleanSupplier cancelled) {
        this.chunkSize = chunkSize;
        this.records = records;
        this.cancelled = cancelled;
        this.thread = new Thread(() -> read(normalizer, file), "crm-import-normalizer");
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading {@code file} into parts of {@code chunkSize} records; {@code records} is told their number at the end.
     * Once {@code cancelled} says so, the read stops at its next block and whoever waits for it gets {@link CsvNormalizer.Stopped}.
     */
    static Normalizing start(CsvNormalizer normalizer, Path file, int chunkSize, LongConsumer records, BooleanSupplier cancelled) {
        Normalizing normalizing = new Normalizing(normalizer, file, chunkSize, records, cancelled);
        normalizing.thread.start();
        return normalizing;
    }

    private void read(CsvNormalizer normalizer, Path file) {
        try {
            CsvNormalizer.Result read = normalizer.normalize(file, chunkSize, this);
            records.accept(read.records());
            synchronized (this) {
                result = read;
                notifyAll();
            }
        } catch (Throwable e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void written(List<String> header, int k, Path path) {
        // A second pass (Windows-1252) writes the same bytes again into other files: the first pass's stay, being read.
        if (k == written.size()) {
            this.header = header;
            written.add(path);
            notifyAll();
        }
    }

    /** The file's header, once read (the file's problem, if the read failed first). */
    synchronized List<String> header() {
        while (header == null && !ended()) {
            await();
        }
        return header != null ? header : result().header();
    }

    /** Part {@code k} once written whole, null when the file has no records from it on; the file's problem if the read failed. */
    synchronized Part part(int k) {
        while (k >= written.size() && !ended()) {
            await();
        }
        if (k < written.size()) {
            return new Part(written.get(k), (k + 1L) * chunkSize, true);
        }
        CsvNormalizer.Result read = result();
        return k < read.parts().size() ? new Part(read.parts().get(k), read.records(), false) : null;
    }

    /** What the whole read gave, once it ended; its failure (the file's problem, or {@link CsvNormalizer.Stopped}) rethrown. */
    synchronized CsvNormalizer.Result result() {
        while (!ended()) {
            await();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure instanceof IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /**
     * Whether the read ended within {@code millis}: then what it gave, or its failure, is {@link #result()}'s. False when it
     * still runs after them.
     */
    synchronized boolean ended(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; !ended() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            await(left);
        }
        return ended();
    }

    /**
     * {@code e}, which ended the import, or the file's problem that the read found meanwhile: a file that cannot be read
     * is reported as such, as when it was read whole before anything else.
     */
    RuntimeException failureOr(RuntimeException e) {
        try {
            result();
        } catch (RuntimeException problem) {
            if (problem != e) {
                problem.addSuppressed(e);
            }
            return problem;
        }
        return e;
    }

    private boolean ended() {
        return result != null || failure != null;
    }

    private void await() {
        await(0);
    }

    /** Waits to be told that a part or the end was reached, at most {@code millis} (0: no limit). */
    private void await(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("Interrupted while the file was read"));
        }
    }

    @Override
    public boolean stopped() {
        return stopped || cancelled.getAsBoolean();
    }

    /** Ends the read if it still runs (at its next block) and waits for its thread, so its part files can be deleted. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
