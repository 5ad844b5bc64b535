package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread that applies stored deliveries, so the webhook endpoint answers as soon as a
 * delivery is journaled (Shopify gives up after 5 s) and deliveries are applied one at a time in the
 * order Shopify triggered them. A delivery stored while the thread is busy is picked up by the next
 * pass; every pass applies all that is still Received, so deliveries left by a crash or a restart
 * are applied by the pass the first move of the journal at start asks for, or by the job {@code apply-webhooks}.
 */
final class Applier {

    /**
     * How long the applier stands back for a burst of deliveries, at most, before each batch it
     * applies. An applied batch takes 50 ms to over a second of CPU (it reads the stored customers and
     * orders whole), which on a small machine the requests being answered meanwhile would wait for;
     * past this bound a flood that never pauses still gets a batch applied every 10 s.
     */
    private static final long YIELD_MILLIS = 10_000;
    /**
     * How long after the last delivery was journaled a burst still counts as going on: senders send
     * their next delivery a few milliseconds after their answer on a quiet machine, tens on a loaded one.
     */
    private static final long QUIET_NANOS = 200_000_000;

    private static ExecutorService thread;
    private static final AtomicBoolean QUEUED = new AtomicBoolean();

    private Applier() {
    }

    /** Asks for a pass; returns at once. Passes asked for while one waits to start are one pass. */
    static void signal(PluginContext context) {
        if (QUEUED.compareAndSet(false, true)) {
            thread().execute(() -> {
                QUEUED.set(false);
                Deliveries.applyPending(context);
            });
        }
    }

    /** Moves what is journaled, then runs a pass on the applier's thread and waits for it; returns how many deliveries it applied. */
    static int applyNow(PluginContext context) throws InterruptedException, ExecutionException {
        return thread().submit(() -> {
            JournalMover.moveAll(context);
            return Deliveries.applyPending(context);
        }).get();
    }

    /**
     * Waits while deliveries were journaled within {@link #QUIET_NANOS}, for {@link #YIELD_MILLIS} at
     * most: called before each batch, so a burst is answered first and applied after.
     */
    static void yieldToAnswering(PluginContext context) {
        DeliveryJournal journal = DeliveryJournal.of(context);
        long until = System.nanoTime() + YIELD_MILLIS * 1_000_000;
        try {
            while (journal.nanosSinceLastAppend() < QUIET_NANOS && System.nanoTime() < until) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the thread when the plugin stops; deliveries not applied yet stay stored as Received. */
    static synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }

    private static synchronized ExecutorService thread() {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "shopify-webhooks");
                t.setDaemon(true);
                return t;
            });
        }
        return thread;
    }
}
