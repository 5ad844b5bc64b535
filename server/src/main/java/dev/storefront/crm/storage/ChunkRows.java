package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;

/**
 * The rows one chunk of an import reads ({@link ImportChunks}): columns {@code rec} (its number, the
 * order in which later rows win), {@code line} (where it is in its file, for reports) and
 * {@code c0, c1, ...}, trimmed text or NULL when empty, one per source column.
 */
@FunctionalInterface
public interface ChunkRows {

    /** Appends a table expression and a WHERE clause that keeps the chunk's rows; more conditions may follow with AND. */
    void select(SqlBuilder sql);
}
