package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import io.micrometer.core.instrument.Metrics;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops the reading statements of one request when nobody waits for their answer any more: the
 * client went away, or the request ran past its deadline. Bound to the thread that works on the
 * request; the statements of {@link DuckDb#read} and of the SQL console it runs are registered while
 * they execute, and {@link #cancel} (from any thread) interrupts them inside DuckDB, which stops
 * between two chunks of rows. Writes are never interrupted: they are short, hold the write lock and
 * must commit or roll back whole on their own.
 */
public final class Cancellation implements AutoCloseable {

    /** Why a request's work was stopped; the tag of the {@code crm.requests.cancelled} counter. */
    public enum Reason {
        CLIENT_GONE("the client closed the connection"),
        DEADLINE("the request ran past its deadline");

        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "request-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final Set<Statement> running = ConcurrentHashMap.newKeySet();
    private volatile Reason reason;
    private volatile ScheduledFuture<?> deadline;

    private Cancellation() {
    }

    /** Starts one for the work this thread does until {@link #close}. */
    public static Cancellation open() {
        Cancellation cancellation = new Cancellation();
        CURRENT.set(cancellation);
        return cancellation;
    }

    /** The one of the request this thread works on, if any. */
    static Cancellation current() {
        return CURRENT.get();
    }

    /** Cancels the work of the request this thread works on (if any) once {@code timeout} has passed. */
    public static void deadlineAfter(Duration timeout) {
        Cancellation cancellation = CURRENT.get();
        if (cancellation != null) {
            cancellation.deadline = DEADLINES.schedule(() -> cancellation.cancel(Reason.DEADLINE), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Interrupts what runs now and refuses what would start later; the first reason wins. */
    public void cancel(Reason why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        Metrics.counter("crm.requests.cancelled", "reason", why.name()).increment();
        running.forEach(Cancellation::interrupt);
    }

    interface StatementWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} on {@code statement}, interrupted if this is cancelled meanwhile. */
    <T> T run(Statement statement, StatementWork<T> work) throws SQLException {
        refuseIfCancelled();
        running.add(statement);
        try {
            // A cancel between the check above and the add would miss the statement: check again.
            refuseIfCancelled();
            return work.run();
        } catch (SQLException e) {
            refuseIfCancelled();
            throw e;
        } finally {
            running.remove(statement);
        }
    }

    private void refuseIfCancelled() {
        Reason why = reason;
        if (why != null) {
            throw new CrmException(ErrorCode.VALIDATION, "The request was stopped: " + why.words);
        }
    }

    private static void interrupt(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // It finished as we cancelled it; nothing left to stop.
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> pending = deadline;
        if (pending != null) {
            pending.cancel(false);
        }
        CURRENT.remove();
    }
}
