package dev.storefront.crm.storage;

import java.time.Duration;

/**
 * When DuckDB's write-ahead log is folded into the database file. A commit is durable when it returns
 * (its log records are forced to disk) whenever the checkpoint comes; a checkpoint makes the file whole
 * and the log short, so that a start after a crash replays less. DuckDB itself checkpoints inside the
 * commit that takes the log past its threshold, and that commit pays for everything written since the
 * last checkpoint: the import of 1M orders paid ~4 s of CPU in the commit of its customers' totals, whose
 * 120 MB of log passed DuckDB's 16 MiB. Here that threshold is a ceiling, and {@link IdleCheckpoints}
 * checkpoints as soon as writes pause.
 *
 * @param idle      how long no write has committed before the server checkpoints
 * @param logBytes  the log's size from which it does
 * @param threshold the log's size at which a commit checkpoints anyway (DuckDB's {@code checkpoint_threshold})
 */
public record Checkpoints(Duration idle, long logBytes, long threshold) {

    /** DuckDB's own: a commit checkpoints from 16 MiB of log, and nothing else does. */
    public static final Checkpoints AT_COMMIT = new Checkpoints(Duration.ZERO, 0, 16L << 20);
}
