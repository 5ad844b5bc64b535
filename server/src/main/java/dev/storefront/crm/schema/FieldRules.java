package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.InvalidValueException;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a field definition on its own and against its object, before anything touches the database. */
final class FieldRules {

    private static final Set<FieldKind> UNIQUE_CAPABLE = EnumSet.of(FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE,
            FieldKind.URL, FieldKind.NUMBER, FieldKind.INTEGER, FieldKind.DATE, FieldKind.DATETIME);

    private FieldRules() {
    }

    /** Turns a spec into a field of {@code owner}; {@code snapshot} must already contain any relation target. */
    static FieldDef define(MetadataSnapshot snapshot, ObjectDef owner, FieldSpec spec, int position) {
        String object = owner.apiName();
        if (spec.label() == null || spec.label().isBlank()) {
            throw invalid(object, spec.apiName(), "label", "needs a label");
        }
        if (spec.kind() == null) {
            throw invalid(object, spec.label(), "type", "needs a type");
        }
        String apiName = spec.apiName() == null || spec.apiName().isBlank() ? ApiNames.fromLabel(spec.label()) : spec.apiName();
        FieldDef field = new FieldDef(apiName, spec.label().strip(), spec.kind(), spec.required(), spec.unique(), null,
                spec.options(), spec.relatedObject(), position, spec.description(), spec.computed(), spec.scale());
        checkName(owner, field, null);
        checkShape(snapshot, object, field);
        ComputedRules.check(snapshot, owner, field, spec.defaultValue());
        return withDefault(object, field, spec.defaultValue());
    }

    /** Applies a patch's simple parts (label, name, options, flags, default); the kind is the caller's. */
    static FieldDef patch(MetadataSnapshot snapshot, ObjectDef owner, FieldDef old, FieldPatch patch) {
        FieldDef field = new FieldDef(
                patch.apiName() == null ? old.apiName() : patch.apiName(),
                patch.label() == null ? old.label() : patch.label().strip(),
                patch.kind() == null ? old.kind() : patch.kind(),
                patch.required() == null ? old.required() : patch.required(),
                patch.unique() == null ? old.unique() : patch.unique(),
                null,
                patch.options() == null ? old.options() : patch.options(),
                old.relatedObject(),
                old.position(),
                patch.description() == null ? old.description() : patch.description(),
                patch.computed() == null ? old.computed() : patch.computed(),
                // A field that stops being a number leaves its scale behind.
                patch.scale() != null ? patch.scale() : patch.kind() == null || patch.kind() == FieldKind.NUMBER ? old.scale() : null);
        if (field.label().isBlank()) {
            throw invalid(owner.apiName(), old.apiName(), "label", "needs a label");
        }
        if ((old.kind() == FieldKind.RELATION) != (field.kind() == FieldKind.RELATION)) {
            throw invalid(owner.apiName(), old.apiName(), "type", "cannot change to or from a relation");
        }
        checkName(owner, field, old.apiName());
        checkShape(snapshot, owner.apiName(), field);
        Object rawDefault = patch.clearDefault() || field.isComputed() ? null
                : patch.defaultValue() != null ? patch.defaultValue() : FieldValues.toText(old.defaultValue());
        ComputedRules.check(snapshot, owner, field, rawDefault);
        return withDefault(owner.apiName(), field, rawDefault);
    }

    private static FieldDef withDefault(String object, FieldDef field, Object rawDefault) {
        if (rawDefault == null) {
            return field;
        }
        if (field.isRelation()) {
            throw invalid(object, field.apiName(), "defaultValue", "a relation cannot have a default");
        }
        Object value = rawDefault instanceof String text
                ? FieldValues.fromText(object, field, text)
                : FieldValues.convert(object, field, rawDefault);
        return new FieldDef(field.apiName(), field.label(), field.kind(), field.required(), field.unique(), value,
                field.options(), field.relatedObject(), field.position(), field.description(), field.computed(), field.scale());
    }

    private static void checkName(ObjectDef owner, FieldDef field, String previousName) {
        String object = owner.apiName();
        if (!ApiNames.isValid(field.apiName())) {
            throw invalid(object, field.apiName(), "apiName",
                    "must start with a letter and hold only a-z, 0-9 and _ (at most 63 characters)");
        }
        if (ApiNames.SYSTEM_COLUMNS.contains(field.apiName()) || ApiNames.SYSTEM_COLUMNS.contains(field.column())) {
            throw invalid(object, field.apiName(), "apiName", "is reserved for a system column");
        }
        Set<String> taken = new HashSet<>();
        owner.fields().stream().filter(f -> !f.apiName().equals(previousName)).forEach(f -> {
            taken.add(f.apiName());
            taken.add(f.column());
        });
        if (taken.contains(field.apiName()) || taken.contains(field.column())) {
            throw new CrmException(ErrorCode.CONFLICT, object + " already has a field named '" + field.apiName() + "'",
                    Map.of("object", object, "field", field.apiName()));
        }
    }

    private static void checkShape(MetadataSnapshot snapshot, String object, FieldDef field) {
        if (field.kind().hasOptions()) {
            if (field.options().isEmpty()) {
                throw invalid(object, field.apiName(), "options", "needs at least one option");
            }
            Set<String> values = new HashSet<>();
            for (String option : field.options()) {
                if (option == null || option.isBlank() || !values.add(ApiNames.enumValue(option))) {
                    throw invalid(object, field.apiName(), "options",
                            "has an empty option or two options that read the same ('" + option + "')");
                }
            }
        } else if (!field.options().isEmpty()) {
            throw invalid(object, field.apiName(), "options", "only enum and multi_enum fields take options");
        }
        if (field.isRelation()) {
            if (field.relatedObject() == null || snapshot.find(field.relatedObject()).isEmpty()) {
                throw invalid(object, field.apiName(), "relatedObject",
                        "must name an existing object, not '" + field.relatedObject() + "'");
            }
        } else if (field.relatedObject() != null) {
            throw invalid(object, field.apiName(), "relatedObject", "only relation fields take a related object");
        }
        if (field.scale() != null && field.kind() != FieldKind.NUMBER) {
            throw invalid(object, field.apiName(), "scale", "only number fields take a scale");
        }
        if (field.scale() != null && (field.scale() < 0 || field.scale() > FieldValues.NUMBER_SCALE)) {
            throw invalid(object, field.apiName(), "scale", "must be 0 to " + FieldValues.NUMBER_SCALE + " decimal places, not "
                    + field.scale());
        }
        if (field.unique() && !UNIQUE_CAPABLE.contains(field.kind())) {
            throw invalid(object, field.apiName(), "unique", "a " + field.kind().name().toLowerCase() + " field cannot be unique");
        }
    }

    static InvalidValueException invalid(String object, String field, String setting, String problem) {
        return new InvalidValueException(object, field == null ? "?" : field, null, setting + " " + problem);
    }

    static List<String> removedOptions(FieldDef old, FieldDef next) {
        return old.options().stream().filter(o -> !next.options().contains(o)).toList();
    }
}
