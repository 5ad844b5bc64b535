package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.List;

/**
 * What one import writes: which source fills which field of {@code object}, and which unique fields
 * find the entry a row updates ({@code keys}, tried in order; each is also the field of a rule).
 * {@code when}, if not null, keeps only the rows where it is not empty. {@code items}, if not null, is the
 * cell whose list of items ({@link CellSource.ItemField}) makes each row one row per item; {@code when}
 * is then tried per item. {@code createOnly}: rows whose keys find an entry leave it as it is. {@code keepStored}: a row's
 * empty value leaves the field of the entry it updates as stored.
 */
public record ChunkPlan(ObjectDef object, List<Rule> rules, List<FieldDef> keys, CellSource when, CellSource items, boolean createOnly,
                        boolean keepStored) {

    /**
     * @param target   the related object of a relation field, else null
     * @param via      the unique field of {@code target} whose value the source holds, or null when it
     *                 holds the field's own value (for a relation: the target's id)
     * @param optional for a link by value: a value no entry holds leaves the relation empty instead of
     *                 refusing the row. Several optional rules may fill one relation: the first that finds
     *                 an entry links it.
     */
    public record Rule(FieldDef field, ObjectDef target, FieldDef via, CellSource source, boolean optional) {

        public Rule(FieldDef field, ObjectDef target, FieldDef via, CellSource source) {
            this(field, target, via, source, false);
        }

        /** The field the source's text is read as: the target's unique field for a link by value. */
        FieldDef readAs() {
            return via != null ? via : field;
        }
    }

    public ChunkPlan {
        rules = List.copyOf(rules);
        keys = List.copyOf(keys);
    }

    /** A plan of one entry per row. */
    public ChunkPlan(ObjectDef object, List<Rule> rules, List<FieldDef> keys, CellSource when) {
        this(object, rules, keys, when, null, false, false);
    }
}
