package dev.storefront.crm.storage;

import java.util.List;

/**
 * What one chunk did: entries created, entries changed, rows that matched an entry whose values
 * were all the same already (not written, so {@code updated_at} keeps its meaning), the rows
 * refused, with what the importer needs to explain them, and what the written rows touched.
 */
public record ChunkOutcome(long created, long updated, long unchanged, List<Problem> problems, BulkWrite written) {

    public enum Kind {
        /** The text is not a value of the field's type ({@code rule}). */
        VALUE,
        /** A relation names an entry that does not exist ({@code rule}). */
        NOT_FOUND,
        /** An earlier row of the chunk has the same unique value; {@code ref} is its record number. */
        DUPLICATE,
        /** Another entry holds the unique value; {@code ref} is its id. */
        TAKEN,
        /** A required field ({@code field}) would be empty. */
        REQUIRED
    }

    /**
     * @param record record number in the file (1 = first data record)
     * @param line   file line where the record starts
     * @param rule   index of the plan's rule at fault, or -1 for {@link Kind#REQUIRED} of an unmapped field
     * @param field  api name of the field at fault
     * @param texts  the source text of every rule, in plan order (null where empty)
     */
    public record Problem(long record, long line, Kind kind, int rule, String field, Long ref, List<String> texts) {
    }
}
