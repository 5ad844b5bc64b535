package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Where a webhook delivery is stored durably before it is acknowledged: an append-only file in the
 * plugin's folder ({@code webhook-journal/}), cut into segments of {@code webhook-journal.segment-bytes}.
 * {@link #append} returns once the delivery is on disk ({@link FileChannel#force}), by group commit:
 * whoever forces the file forces everything appended until then, so the requests that appended while
 * one force ran are served by the next single force. A force costs the same for one delivery or a
 * hundred (2.5-4 ms on this disk by hand), while DuckDB's store cycle costs ~7 ms of CPU a batch.
 * Records overwrite zeros written ahead of them ({@code webhook-journal.zeroed-bytes} at a time): a force
 * of bytes that only overwrite ones already on disk has no file size or block allocation to commit, so
 * it skips the file system's journal commit (by hand, 8 writers: a force 1.3-1.7 ms instead of 1.6-2.5 ms,
 * and far fewer slow ones). The first force after the zeros are extended commits the new size with them.
 *
 * <p>The {@link JournalMover} then copies the deliveries into {@code shopify_webhooks} (where duplicates
 * are left out) and deletes a segment once all of it is committed there. A new segment is begun at
 * each start, so what a crash left is in sealed segments only, moved again by the first pass.
 */
final class DeliveryJournal {

    private static final String SEGMENT_PREFIX = "deliveries-";
    private static final String SEGMENT_SUFFIX = ".journal";
    private static volatile DeliveryJournal journal;

    /** A segment no longer appended to: all of it is on disk. */
    record Sealed(long number, Path file) {
    }

    /** What the mover may read: the sealed segments in order, and the active one up to {@code forcedBytes}. */
    record Readable(List<Sealed> sealed, long activeNumber, Path active, long forcedBytes) {
    }

    private final Path directory;
    private final long segmentBytes;
    private final ByteBuffer zeros;
    /** Held while appending and while switching segments; a force holds {@link #forcing}, taken first when both are. */
    private final Object appending = new Object();
    private final ReentrantLock forcing = new ReentrantLock();
    private final List<Sealed> sealed = new ArrayList<>();
    private FileChannel active;
    private long activeNumber;
    private Path activeFile;
    /** Bytes appended since this journal opened, over all its segments; and where the active segment begins in that count. */
    private long appended;
    private long activeStart;
    /** Where the zeros written ahead in the active segment end: records up to there overwrite them. */
    private long zeroedEnd;
    /** Of {@link #appended}, how many are known to be on disk. */
    private final AtomicLong forced = new AtomicLong();
    private volatile long lastAppended = System.nanoTime();

    private DeliveryJournal(Path directory, long segmentBytes, int zeroedBytes) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.segmentBytes = segmentBytes;
        this.zeros = ByteBuffer.allocate(zeroedBytes).asReadOnlyBuffer();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(DeliveryJournal::sealedSegment).filter(s -> s != null).sorted((a, b) -> Long.compare(a.number(), b.number()))
                    .forEach(sealed::add);
        }
        activeNumber = sealed.isEmpty() ? 1 : sealed.get(sealed.size() - 1).number() + 1;
        begin();
    }

    /**
     * The plugin's journal, opened (beginning a new segment) on first use. Every delivery asks for it, so
     * only the first use takes the class's lock.
     */
    static DeliveryJournal of(PluginContext context) {
        DeliveryJournal open = journal;
        return open != null ? open : open(context);
    }

    private static synchronized DeliveryJournal open(PluginContext context) {
        if (journal == null) {
            try {
                journal = new DeliveryJournal(context.dataDirectory().resolve("webhook-journal"),
                        Long.parseLong(context.config("webhook-journal.segment-bytes").orElse("16777216")),
                        Integer.parseInt(context.config("webhook-journal.zeroed-bytes").orElse("1048576")));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the webhook journal in " + context.dataDirectory(), e);
            }
        }
        return journal;
    }

    /** Closes the journal when the plugin stops; what is in it stays for the next start. */
    static synchronized void close() throws IOException {
        if (journal != null) {
            journal.forcing.lock();
            try {
                synchronized (journal.appending) {
                    journal.active.close();
                }
            } finally {
                journal.forcing.unlock();
                journal = null;
            }
        }
    }

    /** Appends {@code delivery} and returns once it is on disk. */
    void append(Deliveries.Delivery delivery) throws IOException {
        byte[] record = JournalRecord.encode(delivery);
        long end;
        synchronized (appending) {
            if (appended - activeStart + record.length > segmentBytes && appended > activeStart) {
                end = -1;
            } else {
                end = write(record);
            }
        }
        if (end < 0) {
            end = rollThenWrite(record);
        }
        force(end);
    }

    /** How long ago the last delivery was appended. */
    long nanosSinceLastAppend() {
        return System.nanoTime() - lastAppended;
    }

    Readable readable() {
        synchronized (appending) {
            return new Readable(List.copyOf(sealed), activeNumber, activeFile, forced.get() - activeStart);
        }
    }

    /** Deletes a sealed segment that was moved whole. */
    void delete(Sealed segment) throws IOException {
        synchronized (appending) {
            sealed.remove(segment);
        }
        Files.deleteIfExists(segment.file());
    }

    private long write(byte[] record) throws IOException {
        long position = appended - activeStart;
        while (position + record.length > zeroedEnd) {
            writeFully(zeros.duplicate(), zeroedEnd);
            zeroedEnd += zeros.capacity();
        }
        writeFully(ByteBuffer.wrap(record), position);
        appended += record.length;
        lastAppended = System.nanoTime();
        return appended;
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += active.write(buffer, position);
        }
    }

    /**
     * Seals the full active segment, its zeroed tail cut off, and appends to a new one; under both locks, so no
     * force is on the old file meanwhile.
     */
    private long rollThenWrite(byte[] record) throws IOException {
        forcing.lock();
        try {
            synchronized (appending) {
                if (appended - activeStart + record.length > segmentBytes && appended > activeStart) {
                    active.truncate(appended - activeStart);
                    active.force(false);
                    forced.accumulateAndGet(appended, Math::max);
                    active.close();
                    sealed.add(new Sealed(activeNumber, activeFile));
                    activeNumber++;
                    activeStart = appended;
                    begin();
                }
                return write(record);
            }
        } finally {
            forcing.unlock();
        }
    }

    /** Waits until the first {@code end} bytes are on disk, forcing them (and all appended meanwhile) unless another force did. */
    private void force(long end) throws IOException {
        if (forced.get() >= end) {
            return;
        }
        forcing.lock();
        try {
            if (forced.get() >= end) {
                return;
            }
            FileChannel channel;
            long upTo;
            synchronized (appending) {
                channel = active;
                upTo = appended;
            }
            channel.force(false);
            forced.accumulateAndGet(upTo, Math::max);
        } finally {
            forcing.unlock();
        }
    }

    /** Opens segment {@link #activeNumber}, and makes its name durable (the folder forced) before anything is acknowledged from it. */
    private void begin() throws IOException {
        activeFile = directory.resolve(SEGMENT_PREFIX + String.format("%012d", activeNumber) + SEGMENT_SUFFIX);
        active = FileChannel.open(activeFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        zeroedEnd = 0;
        try (FileChannel folder = FileChannel.open(directory, StandardOpenOption.READ)) {
            folder.force(true);
        }
    }

    private static Sealed sealedSegment(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(SEGMENT_PREFIX) || !name.endsWith(SEGMENT_SUFFIX)) {
            return null;
        }
        return new Sealed(Long.parseLong(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length())), file);
    }
}
