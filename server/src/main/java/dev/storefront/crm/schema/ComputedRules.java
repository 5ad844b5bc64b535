package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Checks a rollup or formula definition against the model: what it reads must exist and have a fitting kind. */
final class ComputedRules {

    private static final Set<FieldKind> RESULT_KINDS = EnumSet.of(FieldKind.INTEGER, FieldKind.NUMBER, FieldKind.DATE,
            FieldKind.DATETIME);

    private ComputedRules() {
    }

    static void check(MetadataSnapshot snapshot, ObjectDef owner, FieldDef field, Object rawDefault) {
        if (!field.isComputed()) {
            return;
        }
        String object = owner.apiName();
        if (field.required() || field.unique() || rawDefault != null) {
            throw FieldRules.invalid(object, field.apiName(), "type", "a computed field cannot be required, unique or have a default");
        }
        if (!RESULT_KINDS.contains(field.kind())) {
            throw FieldRules.invalid(object, field.apiName(), "result", "must be integer, number, date or datetime");
        }
        if (field.computed() instanceof Computed.Rollup rollup) {
            checkRollup(snapshot, owner, field, rollup);
        } else {
            checkFormula(owner, field, (Computed.Formula) field.computed());
        }
    }

    private static void checkRollup(MetadataSnapshot snapshot, ObjectDef owner, FieldDef field, Computed.Rollup rollup) {
        String object = owner.apiName();
        ObjectDef from = snapshot.find(rollup.from()).orElseThrow(() -> FieldRules.invalid(object, field.apiName(), "rollup.from",
                "must name an existing object, not '" + rollup.from() + "'"));
        Optional<FieldDef> via = from.field(rollup.via());
        if (via.isEmpty() || !via.get().isRelation() || !object.equals(via.get().relatedObject())) {
            throw FieldRules.invalid(object, field.apiName(), "rollup.via",
                    "must be a relation of " + from.apiName() + " that points at " + object + ", not '" + rollup.via() + "'");
        }
        if (rollup.aggregate() == Computed.Aggregate.COUNT) {
            return;
        }
        FieldDef source = from.field(String.valueOf(rollup.field())).orElseThrow(() -> FieldRules.invalid(object, field.apiName(),
                "rollup.field", "must name a field of " + from.apiName() + ", not '" + rollup.field() + "'"));
        boolean numeric = source.kind().isNumeric();
        boolean ordered = numeric || source.kind() == FieldKind.DATE || source.kind() == FieldKind.DATETIME;
        boolean fits = switch (rollup.aggregate()) {
            case SUM, AVG -> numeric;
            case MIN, MAX -> ordered;
            default -> true;
        };
        if (!fits) {
            throw FieldRules.invalid(object, field.apiName(), "rollup.field", rollup.aggregate().name().toLowerCase()
                    + " cannot aggregate " + source.kind().name().toLowerCase() + " field '" + source.apiName() + "'");
        }
    }

    private static void checkFormula(ObjectDef owner, FieldDef field, Computed.Formula formula) {
        String object = owner.apiName();
        try {
            for (String name : formula.parsed().fields()) {
                FieldDef read = owner.field(name).orElseThrow(() -> FieldRules.invalid(object, field.apiName(), "formula",
                        "reads '" + name + "', which is no field of " + object));
                if (!RESULT_KINDS.contains(read.kind()) || name.equals(field.apiName())) {
                    throw FieldRules.invalid(object, field.apiName(), "formula",
                            "can only read number, integer and date fields other than itself, not '" + name + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            throw FieldRules.invalid(object, field.apiName(), "formula", e.getMessage());
        }
    }
}
