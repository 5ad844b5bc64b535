package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.List;

/**
 * What one import writes: which source fills which field of {@code object}, and which unique fields
 * find the entry a row updates ({@code keys}, tried in order; each is also the field of a rule).
 * {@code when}, if not null, keeps only the rows where it is not empty.
 */
public record ChunkPlan(ObjectDef object, List<Rule> rules, List<FieldDef> keys, CellSource when) {

    /**
     * @param target the related object of a relation field, else null
     * @param via    the unique field of {@code target} whose value the source holds, or null when it
     *               holds the field's own value (for a relation: the target's id)
     */
    public record Rule(FieldDef field, ObjectDef target, FieldDef via, CellSource source) {

        /** The field the source's text is read as: the target's unique field for a link by value. */
        FieldDef readAs() {
            return via != null ? via : field;
        }
    }

    public ChunkPlan {
        rules = List.copyOf(rules);
        keys = List.copyOf(keys);
    }
}
