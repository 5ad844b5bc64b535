package dev.storefront.crm.entries;

import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.Entry;

/**
 * Hears every entry written through {@link EntryService}, after the transaction committed (never
 * for a rolled-back write), and inside it ({@link #beforeCommit}). {@code before} is null for a creation, {@code after} null for a deletion.
 */
@FunctionalInterface
public interface EntryChangeListener {

    enum Change { CREATED, UPDATED, DELETED }

    void changed(Change change, ObjectDef object, Entry before, Entry after);

    /**
     * The same change inside its write transaction, on the writing thread, before the commit: what the
     * listener writes here commits with the change or not at all. Throwing refuses the change. A deletion
     * is told before the entry is removed, so the listener can still query it as it was.
     */
    default void beforeCommit(Change change, ObjectDef object, Entry before, Entry after) {
    }

    /**
     * Whether it hears changes now. One that would drop them all (no started plugin listens) spares
     * the writer reading the entries a set-based write created and describing each change to it.
     */
    default boolean listening() {
        return true;
    }

    /**
     * Whether it reads {@code before} of an update of {@code object}: when none does, an update is told
     * with {@code before} null and does not read the entry first.
     */
    default boolean readsBefore(ObjectDef object) {
        return listening();
    }

    /**
     * Whether it wants each entry of {@code object} told apart when a set-based write stands for single
     * writes of many: when none does, they are told as one {@link #bulkWritten} and not read back.
     */
    default boolean hearsEachEntry(ObjectDef object) {
        return listening();
    }

    /** Many entries of {@code object} were written at once by a bulk import, or a set-based write none hears entry by entry. */
    default void bulkWritten(ObjectDef object) {
    }
}
