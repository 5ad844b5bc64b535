package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.jobs.BackgroundTask;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the deliveries of the {@link DeliveryJournal} into {@code shopify_webhooks}, every
 * {@code webhook-journal.move-ms} (the first run at the plugin's start moves what a stop or a crash
 * left), in transactions of up to {@link Deliveries#MOVE_BATCH} through the same insert that leaves out
 * duplicates ({@link Deliveries#storeAll}), then asks the {@link Applier} for a pass. A sealed segment is
 * deleted once all of it is committed; moving it again after a crash in between stores nothing twice.
 * A torn record at the end of a segment (a crash while it was written: never acknowledged) is dropped
 * with what follows it; the zeros written ahead of the records end a segment quietly.
 */
@Extension
public class JournalMover implements BackgroundTask {

    private static final Logger log = LoggerFactory.getLogger(JournalMover.class);

    /** How far the active segment was moved (runs and the job {@code apply-webhooks} move under this class's lock). */
    private static long movedNumber;
    private static long movedBytes;

    /** What one move read: the deliveries, where the last whole record ended, and whether a torn record followed it. */
    private record Moved(int deliveries, long end, boolean torn) {
    }

    @Override
    public String name() {
        return "move-webhook-journal";
    }

    @Override
    public Duration interval(PluginContext context) {
        return Duration.ofMillis(Long.parseLong(context.config("webhook-journal.move-ms").orElse("100")));
    }

    @Override
    public void run(PluginContext context) throws IOException {
        if (moveAll(context) > 0) {
            Applier.signal(context);
        }
    }

    /** Moves everything on disk in the journal; returns how many deliveries were read from it (duplicates included). */
    static synchronized int moveAll(PluginContext context) throws IOException {
        DeliveryJournal journal = DeliveryJournal.of(context);
        DeliveryJournal.Readable readable = journal.readable();
        int moved = 0;
        for (DeliveryJournal.Sealed segment : readable.sealed()) {
            long from = segment.number() == movedNumber ? movedBytes : 0;
            long size = Files.size(segment.file());
            Moved segmentMoved = move(context, segment.file(), from, size);
            if (segmentMoved.torn()) {
                log.warn("Webhook journal {}: a torn record at byte {} (never acknowledged) and the {} bytes after it dropped",
                        segment.file(), segmentMoved.end(), size - segmentMoved.end());
            }
            moved += segmentMoved.deliveries();
            journal.delete(segment);
        }
        long from = readable.activeNumber() == movedNumber ? movedBytes : 0;
        if (readable.forcedBytes() > from) {
            Moved activeMoved = move(context, readable.active(), from, readable.forcedBytes());
            movedBytes = activeMoved.end();
            movedNumber = readable.activeNumber();
            moved += activeMoved.deliveries();
        }
        return moved;
    }

    /** Stores the whole records of {@code file} between {@code from} and {@code to}, committed batch by batch. */
    private static Moved move(PluginContext context, Path file, long from, long to) throws IOException {
        int deliveries = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(from)), 1 << 16);
            JournalRecord.Reader reader = new JournalRecord.Reader(in, from, to);
            List<Deliveries.Delivery> batch = new ArrayList<>();
            for (Deliveries.Delivery delivery = reader.next(); delivery != null; delivery = reader.next()) {
                batch.add(delivery);
                if (batch.size() == Deliveries.MOVE_BATCH) {
                    deliveries += store(context, batch);
                }
            }
            deliveries += store(context, batch);
            return new Moved(deliveries, reader.offset(), reader.torn());
        }
    }

    private static int store(PluginContext context, List<Deliveries.Delivery> batch) {
        int stored = batch.size();
        if (stored > 0) {
            Deliveries.storeAll(context, batch);
            batch.clear();
        }
        return stored;
    }
}
