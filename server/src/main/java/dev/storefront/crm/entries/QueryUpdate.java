package dev.storefront.crm.entries;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.InvalidValueException;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.StagedUpdate;
import dev.storefront.crm.storage.Transaction;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets fields of many entries from one SELECT with the rules of any write: every value must convert
 * to its field's type (the refused value named, in the same words as a single write), required
 * fields stay filled, unique values stay unique, relation targets exist, and every id is an entry.
 * Each rule is one statement over the whole staged set, never one per row.
 */
final class QueryUpdate {

    private final StagedUpdate staged;
    private final EntryStore entries;
    private final ComputedFields computed;

    QueryUpdate(StagedUpdate staged, EntryStore entries, ComputedFields computed) {
        this.staged = staged;
        this.entries = entries;
        this.computed = computed;
    }

    long run(Transaction tx, MetadataSnapshot model, ObjectDef object, List<String> fieldNames, String select,
             List<Object> parameters, OffsetDateTime now) {
        List<FieldDef> fields = fields(object, fieldNames);
        StagedUpdate.Staged rows = staged.stage(tx, select, parameters);
        requireColumns(object, fieldNames, rows.columns(), true);
        staged.badId(tx, object).ifPresent(bad -> {
            if (bad.id() == null) {
                throw new CrmException(ErrorCode.VALIDATION, "The query for " + object.apiName() + " returns a row without an id",
                        Map.of("object", object.apiName()));
            }
            if (bad.repeated()) {
                throw new CrmException(ErrorCode.VALIDATION, "The query for " + object.apiName()
                        + " returns entry " + bad.id() + " more than once", Map.of("object", object.apiName(), "id", bad.id()));
            }
            throw NotFoundException.entry(object.apiName(), bad.id());
        });
        Map<String, List<String>> texts = staged.distinctTexts(tx, fields.stream().filter(f -> needsJava(f.kind())).toList());
        for (FieldDef field : fields) {
            check(tx, model, object, field, rows, texts);
        }
        boolean read = computed.reads(model, object, fieldNames);
        // Moving entries between parents (a relation written) changes the old parents' rollups too.
        List<Entry> before = read && fields.stream().anyMatch(FieldDef::isRelation)
                ? entries.findByIds(tx, object, staged.ids(tx)) : List.of();
        List<Long> changing = read ? staged.changing(tx, object, fields) : List.of();
        long changed = staged.apply(tx, object, fields, now);
        if (read) {
            computed.written(tx, model, object, before, entries.findByIds(tx, object, changing));
        }
        // A refusal above leaves the staging table to its connection, which a failed write closes.
        staged.drop(tx);
        return changed;
    }

    /**
     * Creates one entry per row of {@code select} (one column per field api name in {@code fieldNames}),
     * checked as a whole like {@link #run}; fields not returned get their defaults. Returns the new ids.
     */
    List<Long> create(Transaction tx, MetadataSnapshot model, ObjectDef object, List<String> fieldNames, String select,
                      List<Object> parameters, OffsetDateTime now) {
        List<FieldDef> fields = fields(object, fieldNames);
        StagedUpdate.Staged rows = staged.stage(tx, select, parameters);
        requireColumns(object, fieldNames, rows.columns(), false);
        Map<String, List<String>> texts = staged.distinctTexts(tx, fields.stream().filter(f -> needsJava(f.kind())).toList());
        for (FieldDef field : fields) {
            check(tx, model, object, field, rows, texts);
        }
        for (FieldDef field : object.fields()) {
            if (field.required() && field.defaultValue() == null && !fieldNames.contains(field.apiName())) {
                throw new InvalidValueException(object.apiName(), field.apiName(), null, "is required: the query must return it");
            }
        }
        List<FieldDef> defaulted = object.fields().stream()
                .filter(f -> !fieldNames.contains(f.apiName()) && f.defaultValue() != null).toList();
        List<Long> ids = staged.insert(tx, entries.reserveIds(tx, object, rows.rows()), object, fields, defaulted, now);
        staged.drop(tx);
        // New entries get their own computed fields, and change those that read them: else nothing to recompute.
        boolean read = object.fields().stream().anyMatch(FieldDef::isComputed)
                || computed.reads(model, object, object.fields().stream().map(FieldDef::apiName).toList());
        if (!ids.isEmpty() && read) {
            computed.written(tx, model, object, List.of(), entries.findByIds(tx, object, ids));
        }
        return ids;
    }

    /** {@code texts}: the distinct values of the fields only Java can judge, read for all of them at once. */
    private void check(Transaction tx, MetadataSnapshot model, ObjectDef object, FieldDef field, StagedUpdate.Staged rows,
                       Map<String, List<String>> texts) {
        if (needsJava(field.kind())) {
            Map<String, String> stored = new LinkedHashMap<>();
            for (String given : texts.get(field.apiName())) {
                String value = storedText(object, field, given);
                if (!value.equals(given)) {
                    stored.put(given, value);
                }
            }
            if (!stored.isEmpty()) {
                staged.replace(tx, field, stored);
            }
        } else if (!rows.typedAs(field)) {
            staged.uncastable(tx, field).ifPresent(value -> {
                FieldValues.fromText(object.apiName(), field, value);
                throw new InvalidValueException(object.apiName(), field.apiName(), value, "is not a " + field.kind().name().toLowerCase());
            });
        }
        if (field.required()) {
            boolean updating = rows.hasIds();
            staged.emptyValue(tx, field, updating).ifPresent(id -> {
                throw new InvalidValueException(object.apiName(), field.apiName(), null, updating
                        ? "is required and cannot be cleared (entry " + id + ")" : "is required but row " + id + " of the query leaves it empty");
            });
        }
        if (field.isRelation()) {
            ObjectDef target = model.object(field.relatedObject());
            staged.missingTarget(tx, field, target).ifPresent(id -> {
                throw new InvalidValueException(object.apiName(), field.apiName(), id, "does not exist in " + target.apiName());
            });
        }
        if (field.unique()) {
            staged.duplicateAfter(tx, object, field, rows.hasIds()).ifPresent(value -> {
                throw new ConflictException(object.apiName() + "." + field.apiName() + ": '" + value
                        + "' must be unique but more than one entry would hold it",
                        Map.of("object", object.apiName(), "field", field.apiName(), "value", value));
            });
        }
    }

    /** Text formats and options are judged by {@link FieldValues} on each distinct value; typed columns by casts. */
    private static boolean needsJava(FieldKind kind) {
        return kind.isTextual() || kind.hasOptions() || kind == FieldKind.TAGS;
    }

    /** The stored form of one value (or list item) given as text, or the error a single write would give. */
    private static String storedText(ObjectDef object, FieldDef field, String given) {
        Object value = FieldValues.convert(object.apiName(), field, field.kind().isList() ? List.of(given) : given);
        return value instanceof List<?> items ? String.valueOf(items.isEmpty() ? given : items.get(0)) : String.valueOf(value);
    }

    private static List<FieldDef> fields(ObjectDef object, List<String> names) {
        if (names.isEmpty()) {
            throw new CrmException(ErrorCode.VALIDATION, "Name at least one field of " + object.apiName() + " to update",
                    Map.of("object", object.apiName()));
        }
        List<FieldDef> fields = names.stream().map(name -> object.field(name)
                .orElseThrow(() -> NotFoundException.field(object.apiName(), name))).toList();
        fields.stream().filter(FieldDef::isComputed).findFirst().ifPresent(field -> {
            throw WriteChecks.computedRefused(object, field);
        });
        return fields;
    }

    private static void requireColumns(ObjectDef object, List<String> fieldNames, List<String> columns, boolean withId) {
        for (String wanted : withId ? concat("id", fieldNames) : fieldNames) {
            if (!columns.contains(wanted)) {
                throw new CrmException(ErrorCode.VALIDATION, "The query for " + object.apiName() + " must return a column '"
                        + wanted + "' (it returns " + String.join(", ", columns) + ")", Map.of("object", object.apiName(), "field", wanted));
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
