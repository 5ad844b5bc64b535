package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread that applies stored deliveries, so the webhook endpoint answers as soon as a
 * delivery is stored (Shopify gives up after 5 s) and deliveries are applied one at a time in the
 * order Shopify triggered them. A delivery stored while the thread is busy is picked up by the next
 * pass; every pass applies all that is still Received, so deliveries left by a crash or a restart
 * are applied, first, by the pass the next delivery starts, or by the job {@code apply-webhooks}.
 */
final class Applier {

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

    /** Runs a pass on the applier's thread and waits for it; returns how many deliveries it applied. */
    static int applyNow(PluginContext context) throws InterruptedException, ExecutionException {
        return thread().submit(() -> Deliveries.applyPending(context)).get();
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
