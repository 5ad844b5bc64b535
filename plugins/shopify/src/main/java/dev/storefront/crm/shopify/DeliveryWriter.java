package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of webhook deliveries, led by the requests themselves. Each request queues its
 * delivery; if no batch is being gathered or stored, it leads: it takes what is queued (up to
 * {@link #BATCH}), stores the new ones in ONE transaction of one insert ({@link Deliveries#storeAll}),
 * and only after its commit answers every request of the batch, stored or duplicate. Requests
 * queued meanwhile wait; when the batch is answered the first of them leads the next one. No thread
 * stands between a request and its commit, and under a burst one commit (and one turn of the host's
 * write lock) serves many deliveries; a delivery alone is stored at once.
 *
 * <p>A sender waits for its answer before it sends again, so with a fixed set of senders a leader
 * taking only what is queued splits them into groups that take turns: those answered by one commit
 * come back while the others are being stored (8 senders: batches of 4 on average, measured). A commit
 * costs about the same whatever it holds, so a leader waits for as many deliveries as the last round
 * brought (the last batch and those queued while it was stored), for as long as the last batch took
 * to store at most, and is woken once that many are queued. The groups then merge into one batch a
 * round (8 senders: batches of 7.7, 30% more stored per second at load 12); a sender that stopped
 * costs one such wait, then is no longer expected.
 */
final class DeliveryWriter {

    /** Deliveries stored in one transaction at most: bounds a transaction's size under a flood. */
    static final int BATCH = 500;

    /**
     * How long the applier stands back for deliveries waiting to be stored, at most, before each
     * batch it applies. An applied batch holds the host's one write lock for 50 ms to over a second
     * (it reads the stored customers and orders whole), and every sender waiting meanwhile waits that
     * long for its answer; so the applier waits for a burst to end (a thousand deliveries from 8
     * senders took 3 s to store on a quiet machine, 10 to 16 s at load 30). Past this bound a flood
     * that never pauses still gets a batch applied every 10 s.
     */
    private static final long YIELD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * How long after the last answer storing still counts as busy: a commit answers all its senders at
     * once, so for an instant none waits, until each sends its next delivery, a few milliseconds later on
     * a quiet machine and tens on a loaded one. Applying a lone delivery this much later costs nothing,
     * since nobody waits for it.
     */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Guards everything below. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Signalled when as many deliveries are queued as the gathering leader expects. */
    private static final Condition GATHERED = LOCK.newCondition();
    /** Signalled when the last batch of a burst is answered: nothing is queued or being stored. */
    private static final Condition IDLE = LOCK.newCondition();
    private static final ArrayDeque<Waiter> QUEUE = new ArrayDeque<>();
    /** True while a request gathers or stores a batch; then whatever is queued has a leader to come. */
    private static boolean leading;
    /** What the last round brought, and how long its batch took to store: the next leader's wait. */
    private static int expected = 1;
    private static long storingNanos;
    private static long lastAnswered = System.nanoTime() - QUIET_NANOS;

    /** What a waiting request is told: its delivery's answer, or to lead the next batch. */
    private enum Turn { STORED, DUPLICATE, LEAD }

    /**
     * One request's delivery and its turn. Answers complete a future, not a condition of {@link #LOCK}:
     * a batch's requests then wake without queueing for the lock (on a loaded machine, a lock holder
     * preempted meanwhile would hold up all of them).
     */
    private record Waiter(Deliveries.Delivery delivery, CompletableFuture<Turn> turn) {
    }

    private DeliveryWriter() {
    }

    /** Stores {@code delivery} with the others queued with it; returns once committed: true, or false for a duplicate. */
    static boolean store(PluginContext context, Deliveries.Delivery delivery) {
        Waiter waiter = new Waiter(delivery, new CompletableFuture<>());
        boolean leads;
        LOCK.lock();
        try {
            QUEUE.add(waiter);
            if (QUEUE.size() >= wanted()) {
                GATHERED.signal();
            }
            leads = !leading;
            leading = true;
        } finally {
            LOCK.unlock();
        }
        Turn turn = leads ? Turn.LEAD : waiter.turn().join();
        if (turn == Turn.LEAD) {
            // A leader is the first queued, so its delivery is the first of its batch.
            turn = leadOneBatch(context);
        }
        return turn == Turn.STORED;
    }

    /**
     * Waits while deliveries wait to be stored or were answered within {@link #QUIET_NANOS}, for
     * {@link #YIELD_NANOS} at most: the applier calls it before each batch, so under a burst the
     * host's one write lock goes to storing (which Shopify waits for) before applying (which nobody
     * waits for).
     */
    static void yieldToStoring() {
        long until = System.nanoTime() + YIELD_NANOS;
        LOCK.lock();
        try {
            for (long now = System.nanoTime(); now < until; now = System.nanoTime()) {
                long busy = leading ? until - now : lastAnswered + QUIET_NANOS - now;
                if (busy <= 0) {
                    return;
                }
                IDLE.awaitNanos(Math.min(busy, until - now));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Gathers a batch, stores it in one transaction, answers its requests and hands the lead to the
     * first request queued meanwhile, if any; returns the answer to the batch's first delivery.
     */
    private static Turn leadOneBatch(PluginContext context) {
        List<Waiter> batch = gather();
        long started = System.nanoTime();
        List<Boolean> stored;
        try {
            stored = Deliveries.storeAll(context, batch.stream().map(Waiter::delivery).toList());
        } catch (RuntimeException | Error e) {
            batch.forEach(waiter -> waiter.turn().completeExceptionally(e));
            handOver(batch.size(), started);
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).turn().complete(stored.get(i) ? Turn.STORED : Turn.DUPLICATE);
        }
        if (stored.contains(true)) {
            Applier.signal(context);
        }
        handOver(batch.size(), started);
        return stored.get(0) ? Turn.STORED : Turn.DUPLICATE;
    }

    /**
     * The leader's batch: what is queued once {@link #expected} deliveries are, or once the last
     * batch's storing time has passed (see the class comment).
     */
    private static List<Waiter> gather() {
        LOCK.lock();
        try {
            long until = System.nanoTime() + storingNanos;
            try {
                for (long now = System.nanoTime(); QUEUE.size() < wanted() && now < until; now = System.nanoTime()) {
                    GATHERED.awaitNanos(until - now);
                }
            } catch (InterruptedException e) {
                // Stops gathering, not storing: the batch's requests wait for this leader.
                Thread.currentThread().interrupt();
            }
            List<Waiter> batch = new ArrayList<>();
            while (!QUEUE.isEmpty() && batch.size() < BATCH) {
                batch.add(QUEUE.poll());
            }
            return batch;
        } finally {
            LOCK.unlock();
        }
    }

    /** After a batch is answered: what the next leader waits for, and the lead to the first request queued meanwhile. */
    private static void handOver(int batchSize, long started) {
        Waiter next;
        LOCK.lock();
        try {
            lastAnswered = System.nanoTime();
            storingNanos = lastAnswered - started;
            expected = batchSize + QUEUE.size();
            next = QUEUE.peek();
            leading = next != null;
            if (next == null) {
                IDLE.signalAll();
            }
        } finally {
            LOCK.unlock();
        }
        if (next != null) {
            next.turn().complete(Turn.LEAD);
        }
    }

    /** How many queued deliveries a leader waits for before it stores them. */
    private static int wanted() {
        return Math.min(expected, BATCH);
    }
}
