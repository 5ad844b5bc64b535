package dev.storefront.crm.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Checkpoints the database once writes pause ({@link Checkpoints}), looking twice per idle period, on a thread of its own. */
final class IdleCheckpoints implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "crm-checkpoints");
        thread.setDaemon(true);
        return thread;
    });

    IdleCheckpoints(DuckDb db, Checkpoints checkpoints) {
        long every = Math.max(1, checkpoints.idle().toMillis() / 2);
        timer.scheduleWithFixedDelay(() -> db.checkpointIfIdle(checkpoints.idle(), checkpoints.logBytes()), every, every,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
