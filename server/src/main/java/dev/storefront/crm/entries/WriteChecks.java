package dev.storefront.crm.entries;

import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.InvalidValueException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.Transaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules a write must pass: known fields, valid values, required values, unique values, existing targets. */
final class WriteChecks {

    private final EntryStore store;

    WriteChecks(EntryStore store) {
        this.store = store;
    }

    /** A full row for insert: converted values, defaults filled in, required fields present. */
    Map<String, Object> forCreate(ObjectDef object, Map<String, Object> input, int index) {
        try {
            Map<String, Object> row = convertAll(object, input);
            for (FieldDef field : object.fields()) {
                // Most fields have neither a default nor a rule: no lookup in the row for them (10,000 rows x every field).
                if ((field.defaultValue() == null && !field.required()) || row.get(field.apiName()) != null) {
                    continue;
                }
                if (field.defaultValue() == null) {
                    throw new InvalidValueException(object.apiName(), field.apiName(), null, "is required");
                }
                row.put(field.apiName(), field.defaultValue());
            }
            return row;
        } catch (CrmException e) {
            if (index < 0) {
                throw e;
            }
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("index", index);
            throw new CrmException(e.code(), "inputs[" + index + "]: " + e.getMessage(), details);
        }
    }

    /** Only the fields given, converted; clearing a required field is refused. */
    Map<String, Object> forUpdate(ObjectDef object, Map<String, Object> input) {
        Map<String, Object> changes = convertAll(object, input);
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            FieldDef field = object.field(change.getKey()).orElseThrow();
            if (change.getValue() == null && field.required()) {
                throw new InvalidValueException(object.apiName(), field.apiName(), null, "is required and cannot be cleared");
            }
        }
        return changes;
    }

    /** Rollups and formulas are the engine's to write. */
    static CrmException computedRefused(ObjectDef object, FieldDef field) {
        return new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + field.apiName()
                + " is computed by the CRM (" + (field.computed() instanceof dev.storefront.crm.metadata.Computed.Rollup
                ? "a rollup" : "a formula") + ") and cannot be set", Map.of("object", object.apiName(), "field", field.apiName()));
    }

    Object converted(ObjectDef object, FieldDef field, Object raw) {
        return FieldValues.convert(object.apiName(), field, raw);
    }

    private static Map<String, Object> convertAll(ObjectDef object, Map<String, Object> input) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, Object> value : input.entrySet()) {
            FieldDef field = object.field(value.getKey()).orElseThrow(() -> new CrmException(ErrorCode.VALIDATION,
                    object.apiName() + " has no field '" + value.getKey() + "'",
                    Map.of("object", object.apiName(), "field", value.getKey())));
            if (field.isComputed()) {
                throw computedRefused(object, field);
            }
            row.put(field.apiName(), FieldValues.convert(object.apiName(), field, value.getValue()));
        }
        return row;
    }

    /**
     * Unique values must not repeat within the rows nor match another stored entry; relation
     * targets must exist. {@code selfId} is the entry being updated, which may keep its own values.
     */
    void uniqueAndRelations(Transaction tx, MetadataSnapshot model, ObjectDef object, List<Map<String, Object>> rows, Long selfId) {
        for (FieldDef field : object.uniqueFields()) {
            Set<Object> values = new LinkedHashSet<>();
            for (Map<String, Object> row : rows) {
                Object value = row.get(field.apiName());
                if (value != null && !values.add(value)) {
                    throw duplicate(object, field, value, null);
                }
            }
            for (Map.Entry<Object, Long> taken : store.idsByValue(tx, object, field, values).entrySet()) {
                if (!taken.getValue().equals(selfId)) {
                    throw duplicate(object, field, taken.getKey(), taken.getValue());
                }
            }
        }
        relations(tx, model, object, rows);
    }

    /** Relation targets must exist. */
    void relations(Transaction tx, MetadataSnapshot model, ObjectDef object, List<Map<String, Object>> rows) {
        for (FieldDef field : object.relationFields()) {
            Set<Long> targets = new HashSet<>();
            rows.forEach(row -> {
                if (row.get(field.apiName()) != null) {
                    targets.add((Long) row.get(field.apiName()));
                }
            });
            ObjectDef target = model.object(field.relatedObject());
            Set<Long> missing = new HashSet<>(targets);
            missing.removeAll(store.existingIds(tx, target, targets));
            if (!missing.isEmpty()) {
                Long id = missing.iterator().next();
                throw new InvalidValueException(object.apiName(), field.apiName(), id,
                        "does not exist in " + target.apiName());
            }
        }
    }

    private static ConflictException duplicate(ObjectDef object, FieldDef field, Object value, Long holder) {
        Map<String, Object> details = new HashMap<>(Map.of("object", object.apiName(), "field", field.apiName(),
                "value", FieldValues.toText(value)));
        String by = holder == null ? "twice in this request" : "already by entry " + holder;
        if (holder != null) {
            details.put("existingId", String.valueOf(holder));
        }
        return new ConflictException(object.apiName() + "." + field.apiName() + ": '" + FieldValues.toText(value)
                + "' must be unique but is used " + by, details);
    }
}
