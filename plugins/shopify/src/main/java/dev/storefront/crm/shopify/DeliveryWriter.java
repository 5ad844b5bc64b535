package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit of webhook deliveries. Each request queues its delivery and waits; one writer thread
 * takes every delivery queued meanwhile (up to {@link #BATCH}), stores the new ones in ONE
 * transaction of one insert ({@link Deliveries#storeAll}) and only after its commit answers each request, stored or
 * duplicate. Under a burst, one commit (and one turn of the host's write lock) serves many deliveries
 * instead of one each; a delivery alone is stored at once, with no waiting for company.
 *
 * <p>A sender waits for its answer before it sends again, so with a fixed set of senders the writer,
 * taking only what is queued, splits them into groups that take turns: those answered by one commit
 * come back while the others are being stored (8 senders: batches of 4 on average, measured). A commit
 * costs about the same whatever it holds, so before a batch the writer waits for as many deliveries as
 * the last round brought (the last batch and those queued while it was stored), for as long as the
 * last batch took to store at most. The groups then merge into one batch a round, which doubles what
 * a commit serves when senders answer faster than a commit takes (8 senders: batches of 7.7, 30% more
 * stored per second at load 12); a sender that stopped costs one such wait, then is no longer expected.
 */
final class DeliveryWriter {

    /** Deliveries stored in one transaction at most: bounds a transaction's size under a flood. */
    static final int BATCH = 500;

    private record Pending(Deliveries.Delivery delivery, CompletableFuture<Boolean> stored) {
    }

    /**
     * How long the applier stands back for deliveries waiting to be stored, at most, before each
     * batch it applies. An applied batch holds the host's one write lock for 50 ms to over a second
     * (it reads the stored customers and orders whole), and every sender waiting meanwhile waits that
     * long for its answer; so the applier waits for a burst to end (a thousand deliveries from 8
     * senders took 3 s to store on a quiet machine, 10 to 16 s at load 30). Past this bound a flood
     * that never pauses still gets a batch applied every 10 s.
     */
    private static final long YIELD_MILLIS = 10_000;
    /**
     * How long after the last answer storing still counts as busy: a commit answers all its senders at
     * once, so for an instant none waits, until each sends its next delivery, a few milliseconds later on
     * a quiet machine and tens on a loaded one. Applying a lone delivery this much later costs nothing,
     * since nobody waits for it.
     */
    private static final long QUIET_NANOS = 200_000_000;

    private static final BlockingQueue<Pending> QUEUE = new LinkedBlockingQueue<>();
    /** Deliveries queued or being stored, not yet answered. */
    private static final AtomicInteger UNANSWERED = new AtomicInteger();
    private static volatile long lastAnswered = System.nanoTime() - QUIET_NANOS;
    private static Thread writer;

    private DeliveryWriter() {
    }

    /** Stores {@code delivery} with the others queued with it; returns once committed: true, or false for a duplicate. */
    static boolean store(PluginContext context, Deliveries.Delivery delivery) throws InterruptedException, ExecutionException {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        start(context);
        UNANSWERED.incrementAndGet();
        try {
            QUEUE.put(new Pending(delivery, stored));
            return stored.get();
        } finally {
            UNANSWERED.decrementAndGet();
        }
    }

    /**
     * Waits while deliveries wait to be stored or were answered within {@link #QUIET_NANOS}, for
     * {@link #YIELD_MILLIS} at most: the applier calls it before each batch, so under a burst the
     * host's one write lock goes to storing (which Shopify waits for) before applying (which nobody
     * waits for).
     */
    static void yieldToStoring() {
        long until = System.nanoTime() + YIELD_MILLIS * 1_000_000;
        try {
            while ((UNANSWERED.get() > 0 || System.nanoTime() - lastAnswered < QUIET_NANOS) && System.nanoTime() < until) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the writer when the plugin stops; deliveries still queued are answered with an error, so Shopify sends them again. */
    static synchronized void stop() {
        if (writer != null) {
            writer.interrupt();
            writer = null;
        }
        List<Pending> left = new ArrayList<>();
        QUEUE.drainTo(left);
        left.forEach(p -> p.stored().completeExceptionally(new IllegalStateException("The Shopify plugin stopped before storing the delivery")));
    }

    private static synchronized void start(PluginContext context) {
        if (writer == null) {
            writer = new Thread(() -> write(context), "shopify-webhook-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private static void write(PluginContext context) {
        List<Pending> batch = new ArrayList<>();
        int expected = 1;
        long storing = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(QUEUE.take());
                gather(batch, expected, storing);
            } catch (InterruptedException e) {
                return;
            }
            long started = System.nanoTime();
            try {
                List<Boolean> stored = Deliveries.storeAll(context, batch.stream().map(Pending::delivery).toList());
                lastAnswered = System.nanoTime();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).stored().complete(stored.get(i));
                }
                if (stored.contains(true)) {
                    Applier.signal(context);
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.stored().completeExceptionally(e));
            }
            storing = System.nanoTime() - started;
            expected = batch.size() + QUEUE.size();
            batch.clear();
        }
    }

    /**
     * Adds to {@code batch} what is queued, then waits for more while it holds fewer than
     * {@code expected} deliveries, {@code storing} nanoseconds at most (see the class comment).
     */
    private static void gather(List<Pending> batch, int expected, long storing) throws InterruptedException {
        QUEUE.drainTo(batch, BATCH - batch.size());
        long until = System.nanoTime() + storing;
        while (batch.size() < Math.min(expected, BATCH)) {
            Pending next = QUEUE.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            QUEUE.drainTo(batch, BATCH - batch.size());
        }
    }
}
