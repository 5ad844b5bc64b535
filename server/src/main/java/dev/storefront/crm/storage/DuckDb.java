package dev.storefront.crm.storage;

import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database: one DuckDB file, one root connection, and connections duplicated from it
 * for units of work, each serving one unit of work at a time. A connection that finished its work
 * cleanly goes back to a pool with the statements it prepared ({@link PooledConnection}), since
 * preparing costs more than running a point lookup.
 *
 * <p>Two DuckDB behaviours shape this class. A failed {@code commit()} leaves its connection broken
 * (it commits every later statement), and {@code commit()} after an earlier error in the same
 * transaction returns normally while rolling everything back. So a write transaction never outlives
 * its first error: the error propagates, the transaction is rolled back, and its connection is
 * closed, never pooled. Writes are serialised by one lock, which also makes check-then-write
 * (unique values, relation targets) safe without physical constraints.
 *
 * <p>The database is sandboxed when it opens: no file outside the staging folder beside it can be
 * read or written, nothing can be attached or installed, and settings are locked. This is what
 * makes the read-only SQL console safe; imports stage their files in {@link #stagingDirectory()}.
 */
public final class DuckDb implements AutoCloseable {

    /**
     * What DuckDB may take of the machine. Its own defaults (80% of RAM, every core) plus the JVM's
     * heap are more than the machine has: one large query would get the process killed.
     *
     * @param memoryLimit   DuckDB's {@code memory_limit}, e.g. {@code 2GB}; larger work spills to disk.
     *                      Blank: half of what the machine's memory leaves beside the JVM's largest heap
     * @param threads       DuckDB's worker threads; 0 means one per core
     * @param tempDirectory where that work spills; null: {@code <database file>.tmp} beside the database
     */
    public record Limits(String memoryLimit, int threads, Path tempDirectory) {

        public static final Limits DEFAULT = new Limits("", 0, null);
        /** Below this DuckDB spills even small sorts to disk. */
        private static final long MIN_MEMORY_MB = 256;

        /** The memory limit in force: the one given, or the machine's share. */
        String memory() {
            if (!memoryLimit.isBlank()) {
                return memoryLimit;
            }
            long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
            long free = machine - Runtime.getRuntime().maxMemory();
            return Math.max(MIN_MEMORY_MB, free / 2 / (1024 * 1024)) + "MB";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DuckDb.class);
    /** How long a backup waits for reads older than the latest change, and how often it tries meanwhile. */
    private static final Duration BACKUP_WAIT_FOR_READS = Duration.ofMinutes(2);
    private static final Duration BACKUP_RETRY = Duration.ofMillis(50);

    private final DuckDBConnection root;
    private final Path file;
    private final Path stagingDirectory;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();
    private final AtomicLong statements = new AtomicLong();
    private final Deque<PooledConnection> idle = new ConcurrentLinkedDeque<>();
    /** Connections kept idle at most: one per request the in-flight limits let run at once, and some. */
    private final int maxIdle = 4 * Runtime.getRuntime().availableProcessors();
    /** DDL statements run so far: a pooled connection prepared since the last one still has right plans. */
    private final AtomicLong catalogEpoch = new AtomicLong();

    public DuckDb(Path file) {
        this(file, Limits.DEFAULT);
    }

    public DuckDb(Path file, Limits limits) {
        try {
            this.file = file.toAbsolutePath();
            Path parent = file.toAbsolutePath().getParent();
            stagingDirectory = Files.createDirectories(parent.resolve("staging"));
            Properties settings = new Properties();
            // Nothing can be downloaded here; fail fast instead of hanging on a network call.
            settings.setProperty("autoinstall_known_extensions", "false");
            settings.setProperty("autoload_known_extensions", "false");
            settings.setProperty("memory_limit", limits.memory());
            settings.setProperty("temp_directory", (limits.tempDirectory() == null ? Path.of(this.file + ".tmp")
                    : limits.tempDirectory().toAbsolutePath()).toString());
            settings.setProperty("threads", String.valueOf(limits.threads() > 0 ? limits.threads()
                    : Runtime.getRuntime().availableProcessors()));
            // Defaults come from the machine: the operator reads here what this start chose.
            log.info("DuckDB {}: memory limit {}, {} threads, spills to {}", this.file, settings.getProperty("memory_limit"),
                    settings.getProperty("threads"), settings.getProperty("temp_directory"));
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), settings);
            try (Statement statement = root.createStatement()) {
                statement.execute("SET GLOBAL TimeZone = 'UTC'");
                statement.execute("SET allowed_directories = ['" + stagingDirectory.toString().replace("'", "''") + "']");
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder of database " + file, e);
        } catch (SQLException e) {
            throw new StorageException("Cannot open DuckDB database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a connection in autocommit mode, or inside this thread's open write transaction. */
    public <T> T read(Function<Transaction, T> work) {
        Transaction open = current.get();
        if (open != null) {
            return work.apply(open);
        }
        PooledConnection connection = take();
        T result;
        try {
            result = work.apply(new Transaction(connection, statements, catalogEpoch, Cancellation.current(), false));
        } catch (RuntimeException | Error e) {
            connection.close();
            throw e;
        }
        giveBack(connection);
        return result;
    }

    /**
     * Runs {@code work}'s reads in one transaction that is always rolled back, so its statements all
     * see the same committed state whatever commits meanwhile (in autocommit each statement sees its
     * own). Takes no write lock; inside this thread's open write transaction it joins that one.
     */
    public <T> T snapshot(Function<Transaction, T> work) {
        Transaction open = current.get();
        if (open != null) {
            return work.apply(open);
        }
        PooledConnection pooled = take();
        try {
            pooled.connection().setAutoCommit(false);
            T result = work.apply(new Transaction(pooled, statements, catalogEpoch, Cancellation.current(), false));
            pooled.connection().rollback();
            pooled.connection().setAutoCommit(true);
            giveBack(pooled);
            return result;
        } catch (SQLException e) {
            pooled.close();
            throw StorageException.translate(e);
        } catch (RuntimeException | Error e) {
            pooled.close();
            throw e;
        }
    }

    /**
     * Runs {@code work} in one write transaction: all of it is committed or none. A nested call on the
     * same thread joins the outer transaction. Callbacks registered with
     * {@link Transaction#afterCommit} run once the commit succeeded.
     */
    public <T> T write(Function<Transaction, T> work) {
        return write(work, false);
    }

    /**
     * Runs {@code work} as {@link #write} does, for one operation of a service whose caller writes
     * nothing around it: its last write may then commit the transaction itself (see
     * {@link Transaction#updateAsLastWrite}). Joined to this thread's open transaction, it is a part
     * of that one, and that one's opener decides.
     */
    public <T> T writeOne(Function<Transaction, T> work) {
        return write(work, true);
    }

    private <T> T write(Function<Transaction, T> work, boolean lastWriteMayCommit) {
        Transaction open = current.get();
        if (open != null) {
            return work.apply(open);
        }
        return transaction(work, true, lastWriteMayCommit);
    }

    /**
     * Runs {@code work} in a write transaction that is always rolled back: what a change would do,
     * its DDL and checks against the stored data included, without keeping any of it. Cannot join a
     * transaction this thread has open, since rolling back would take that one's work with it.
     */
    public <T> T trial(Function<Transaction, T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("A trial cannot run inside an open write transaction");
        }
        return transaction(work, false, false);
    }

    private <T> T transaction(Function<Transaction, T> work, boolean keep, boolean lastWriteMayCommit) {
        writeLock.lock();
        PooledConnection pooled = null;
        boolean clean = false;
        try {
            pooled = take();
            Connection connection = pooled.connection();
            connection.setAutoCommit(false);
            Transaction transaction = new Transaction(pooled, statements, catalogEpoch, null, lastWriteMayCommit);
            current.set(transaction);
            T result;
            try {
                result = work.apply(transaction);
                transaction.insertRemaining();
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection);
                throw e;
            }
            if (transaction.failed()) {
                rollbackQuietly(connection);
                throw new StorageException("A statement failed inside the transaction; nothing was written", null);
            }
            if (!keep) {
                rollbackQuietly(connection);
                return result;
            }
            transaction.commit();
            clean = true;
            current.remove();
            transaction.runAfterCommit();
            return result;
        } catch (SQLException e) {
            throw StorageException.translate(e);
        } finally {
            current.remove();
            // Only a committed connection is known to be sound: after a failed commit DuckDB's is not.
            if (clean) {
                giveBack(pooled);
            } else if (pooled != null) {
                pooled.close();
            }
            writeLock.unlock();
        }
    }

    /**
     * Whether another thread waits for the write lock: for a holder that could give it back and redo its work later (an
     * import's first chunk, converted while its file is still being read), so that the wait of others stays short.
     */
    public boolean othersWaitToWrite() {
        return writeLock.hasQueuedThreads();
    }

    private PooledConnection take() {
        PooledConnection pooled = idle.pollFirst();
        if (pooled == null) {
            try {
                return new PooledConnection((DuckDBConnection) root.duplicate(), catalogEpoch.get());
            } catch (SQLException e) {
                throw StorageException.translate(e);
            }
        }
        pooled.catalogAt(catalogEpoch.get());
        return pooled;
    }

    private void giveBack(PooledConnection pooled) {
        if (idle.size() < maxIdle) {
            idle.addFirst(pooled);
        } else {
            pooled.close();
        }
    }

    /**
     * Writes a consistent copy of the database to {@code target}, a file a server can open as it is.
     * Writes wait meanwhile: after a checkpoint under the write lock the file holds every committed
     * transaction and nothing else can change it until the copy is done.
     *
     * <p>DuckDB refuses the checkpoint while a read that began before the latest committed change is
     * still running (an export, a report): it keeps that change's transaction alive for the read, and
     * counts it as an active write. The backup then tries again every {@link #BACKUP_RETRY}, letting
     * writes through in between, for at most {@code waitForReads}.
     */
    public void backup(Path target) {
        backup(target, BACKUP_WAIT_FOR_READS);
    }

    void backup(Path target, Duration waitForReads) {
        long deadline = System.nanoTime() + waitForReads.toNanos();
        while (!tryBackup(target)) {
            if (System.nanoTime() - deadline > 0) {
                throw new ConflictException("The backup could not start: a read that began before the latest change (an export"
                        + " or a long report) has run for more than " + waitForReads.toSeconds() + " s since; try again once it has finished");
            }
            try {
                Thread.sleep(BACKUP_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("The backup was interrupted before it started", e);
            }
        }
    }

    /** The backup, or false when DuckDB refused its checkpoint for an older read; nothing is written then. */
    private boolean tryBackup(Path target) {
        writeLock.lock();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (Connection connection = root.duplicate(); Statement statement = connection.createStatement()) {
            try {
                statement.execute("CHECKPOINT");
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("other write transactions active")) {
                    return false;
                }
                throw e;
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            // A copy cut short (a full disk) must not leave a file that looks like a backup.
            Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (SQLException e) {
            throw StorageException.translate(e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("Cannot write the backup " + target, e);
        } finally {
            writeLock.unlock();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot remove the unfinished backup {}", file, e);
        }
    }

    /** Answers a trivial query, or throws: whether the database is open and serving reads. */
    public void ping() {
        read(tx -> tx.query(new SqlBuilder().sql("SELECT 1").build(), row -> row.getInt(1)));
    }

    /** The one folder the database may read files from (and write them to). */
    public Path stagingDirectory() {
        return stagingDirectory;
    }

    interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} under the write lock on a connection of its own, each statement committed by
     * itself, and closes the connection after: for a script whose temporary tables outlive its
     * statements' transactions (the bulk demo generator, whose single transaction outgrew DuckDB's
     * memory at 100 million orders).
     */
    <T> T autocommitted(ConnectionWork<T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("Statements committed one by one cannot run inside an open write transaction");
        }
        writeLock.lock();
        try (Connection connection = root.duplicate()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw StorageException.translate(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on its own connection inside a transaction that is always rolled back. */
    <T> T rolledBack(ConnectionWork<T> work) {
        try (Connection connection = root.duplicate()) {
            connection.setAutoCommit(false);
            try {
                statements.incrementAndGet();
                return work.run(connection);
            } finally {
                rollbackQuietly(connection);
            }
        } catch (SQLException e) {
            throw StorageException.translate(e);
        }
    }

    /** How many times DDL outdated the statements connections keep prepared. */
    long catalogEpoch() {
        return catalogEpoch.get();
    }

    /** SQL statements executed so far; lets tests prove that batching keeps the count fixed. */
    public long statementCount() {
        return statements.get();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is closed right after; DuckDB discards the transaction with it.
            log.debug("Rollback failed, closing the connection instead", e);
        }
    }

    @Override
    public void close() {
        for (PooledConnection pooled; (pooled = idle.pollFirst()) != null; ) {
            pooled.close();
        }
        try {
            root.close();
        } catch (SQLException e) {
            log.warn("Closing DuckDB failed", e);
        }
    }
}
