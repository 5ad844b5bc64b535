package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.Expression;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Condition;

/** A computed field ready to render: its definition resolved against the model, filters compiled. */
public sealed interface ComputedColumn {

    FieldDef field();

    /** {@code source} is null for a plain count. */
    record Rollup(FieldDef field, ObjectDef from, FieldDef via, Computed.Aggregate aggregate, FieldDef source,
                  Condition where) implements ComputedColumn {
    }

    record Formula(FieldDef field, Expression expression) implements ComputedColumn {
    }
}
