package dev.storefront.crm.imports.csv;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.storage.BulkEntries;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.Transaction;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Converts, checks and writes one chunk of rows with a fixed number of statements: one lookup per
 * relation rule, key and unique field, then one insert and one update. Every rule of a single
 * write applies (field values, required, unique, relation targets); a row that breaks one is
 * reported with its row number, column, value and reason, and skipped. Within a chunk, a later row
 * with the same key replaces an earlier one, as it would if the rows were written one by one.
 */
public final class ChunkWriter {

    private final EntryStore store;
    private final BulkEntries bulk;
    private final EntryService entries;
    private final Clock clock;

    public ChunkWriter(EntryStore store, BulkEntries bulk, EntryService entries, Clock clock) {
        this.store = store;
        this.bulk = bulk;
        this.entries = entries;
        this.clock = clock;
    }

    private static final class Row {
        final long number;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<MappingPlan.Rule, Object> lookups = new HashMap<>();
        final Map<String, String> texts = new HashMap<>();
        Long existingId;
        boolean bad;
        String[] error;

        Row(long number) {
            this.number = number;
        }
    }

    void write(Transaction tx, MetadataSnapshot model, MappingPlan plan, List<String> header,
               UnaryOperator<Map<String, String>> transform, List<String[]> cells, long firstRow, Job job) {
        ObjectDef object = plan.object();
        List<Row> rows = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            rows.add(parse(object, plan, header, transform, cells.get(i), firstRow + i, job));
        }
        linkRelations(tx, object, plan, rows, job);
        matchKeys(tx, plan, rows);
        List<Row> kept = latestPerKey(plan, rows);
        checkUnique(tx, object, plan, kept, job);
        List<Map<String, Object>> inserts = new ArrayList<>();
        List<Long> updateIds = new ArrayList<>();
        List<Map<String, Object>> updates = new ArrayList<>();
        for (Row row : kept) {
            if (row.bad || !required(object, plan, row, job)) {
                continue;
            }
            if (row.existingId == null) {
                inserts.add(row.values);
            } else {
                updateIds.add(row.existingId);
                updates.add(row.values);
            }
        }
        for (Row row : rows) {
            if (row.error != null) {
                job.error(row.number, row.error[0], row.error[1], row.error[2]);
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        store.insert(tx, object, inserts, now);
        bulk.updateMany(tx, object, plan.rules().stream().map(MappingPlan.Rule::field).toList(), updateIds, updates, now);
        if (!inserts.isEmpty() || !updates.isEmpty()) {
            entries.bulkWritten(tx, object);
        }
    }

    private Row parse(ObjectDef object, MappingPlan plan, List<String> header, UnaryOperator<Map<String, String>> transform,
                      String[] raw, long number, Job job) {
        String[] cells = raw;
        if (transform != null) {
            Map<String, String> byName = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                byName.put(header.get(i), i >= raw.length || raw[i] == null ? "" : raw[i]);
            }
            Map<String, String> changed = transform.apply(byName);
            cells = new String[header.size()];
            for (int i = 0; i < header.size(); i++) {
                cells[i] = changed.get(header.get(i));
            }
        }
        String[] row = cells;
        Row parsed = new Row(number);
        for (MappingPlan.Rule rule : plan.rules()) {
            String text = rule.source().evaluate(index -> index < 0 || index >= row.length ? null : row[index]);
            parsed.texts.put(rule.field().apiName(), text);
            try {
                if (rule.via() != null) {
                    Object value = FieldValues.fromText(rule.target().apiName(), rule.via(), text);
                    parsed.values.put(rule.field().apiName(), null);
                    if (value != null) {
                        parsed.lookups.put(rule, value);
                    }
                } else {
                    parsed.values.put(rule.field().apiName(), FieldValues.fromText(object.apiName(), rule.field(), text));
                }
            } catch (CrmException e) {
                bad(job, parsed, rule, text, reason(e, rule.via() != null ? rule.target() : object, rule.via() != null ? rule.via() : rule.field(), text));
                break;
            }
        }
        return parsed;
    }

    private void linkRelations(Transaction tx, ObjectDef object, MappingPlan plan, List<Row> rows, Job job) {
        for (MappingPlan.Rule rule : plan.rules()) {
            if (!rule.field().isRelation() || rule.target() == null) {
                continue;
            }
            if (rule.via() != null) {
                Set<Object> values = new HashSet<>();
                rows.stream().filter(r -> !r.bad && r.lookups.containsKey(rule)).forEach(r -> values.add(r.lookups.get(rule)));
                Map<String, Long> ids = bulk.idsByValues(tx, rule.target(), rule.via(), values);
                for (Row row : rows) {
                    Object value = row.lookups.get(rule);
                    if (row.bad || value == null) {
                        continue;
                    }
                    Long id = ids.get(FieldValues.toText(value));
                    if (id == null) {
                        bad(job, row, rule, row.texts.get(rule.field().apiName()),
                                "no " + rule.target().apiName() + " entry has " + rule.via().apiName() + " '" + FieldValues.toText(value) + "'");
                    } else {
                        row.values.put(rule.field().apiName(), id);
                    }
                }
            } else {
                Set<Long> ids = new HashSet<>();
                rows.stream().filter(r -> !r.bad && r.values.get(rule.field().apiName()) != null)
                        .forEach(r -> ids.add((Long) r.values.get(rule.field().apiName())));
                Set<Long> existing = store.existingIds(tx, rule.target(), ids);
                for (Row row : rows) {
                    Object id = row.values.get(rule.field().apiName());
                    if (!row.bad && id != null && !existing.contains(id)) {
                        bad(job, row, rule, String.valueOf(id), "no " + rule.target().apiName() + " entry has id " + id);
                    }
                }
            }
        }
    }

    private void matchKeys(Transaction tx, MappingPlan plan, List<Row> rows) {
        for (FieldDef key : plan.keys()) {
            List<Object> values = new ArrayList<>();
            rows.stream().filter(r -> !r.bad && r.existingId == null && r.values.get(key.apiName()) != null)
                    .forEach(r -> values.add(r.values.get(key.apiName())));
            Map<String, Long> ids = bulk.idsByValues(tx, plan.object(), key, values);
            for (Row row : rows) {
                Object value = row.values.get(key.apiName());
                if (!row.bad && row.existingId == null && value != null) {
                    row.existingId = ids.get(FieldValues.toText(value));
                }
            }
        }
    }

    /** One row per entry: the last row of the chunk with the same existing entry or the same first key. */
    private static List<Row> latestPerKey(MappingPlan plan, List<Row> rows) {
        Set<String> seen = new HashSet<>();
        List<Row> kept = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row row = rows.get(i);
            if (row.bad) {
                continue;
            }
            String identity = identity(plan, row);
            if (identity == null || seen.add(identity)) {
                kept.add(row);
            }
        }
        java.util.Collections.reverse(kept);
        return kept;
    }

    private static String identity(MappingPlan plan, Row row) {
        if (row.existingId != null) {
            return "#" + row.existingId;
        }
        for (FieldDef key : plan.keys()) {
            Object value = row.values.get(key.apiName());
            if (value != null) {
                return key.apiName() + "=" + FieldValues.toText(value);
            }
        }
        return null;
    }

    private void checkUnique(Transaction tx, ObjectDef object, MappingPlan plan, List<Row> rows, Job job) {
        for (MappingPlan.Rule rule : plan.rules()) {
            FieldDef field = rule.field();
            if (!field.unique() || rule.via() != null) {
                continue;
            }
            Map<String, Row> byValue = new HashMap<>();
            for (Row row : rows) {
                Object value = row.values.get(field.apiName());
                if (row.bad || value == null) {
                    continue;
                }
                Row first = byValue.putIfAbsent(FieldValues.toText(value), row);
                if (first != null) {
                    bad(job, row, rule, FieldValues.toText(value), "must be unique but row " + first.number + " has it too");
                }
            }
            Map<String, Long> holders = bulk.idsByValues(tx, object, field,
                    rows.stream().filter(r -> !r.bad && r.values.get(field.apiName()) != null).map(r -> r.values.get(field.apiName())).toList());
            for (Row row : rows) {
                Object value = row.values.get(field.apiName());
                if (row.bad || value == null) {
                    continue;
                }
                Long holder = holders.get(FieldValues.toText(value));
                if (holder != null && !holder.equals(row.existingId)) {
                    bad(job, row, rule, FieldValues.toText(value), "must be unique but is already used by entry " + holder);
                }
            }
        }
    }

    private static boolean required(ObjectDef object, MappingPlan plan, Row row, Job job) {
        for (FieldDef field : object.fields()) {
            // An empty cell means the field's default, on creation and on update alike.
            boolean written = row.existingId == null || row.values.containsKey(field.apiName());
            if (written && row.values.get(field.apiName()) == null && field.defaultValue() != null) {
                row.values.put(field.apiName(), field.defaultValue());
            }
        }
        for (FieldDef field : object.fields()) {
            boolean checked = row.existingId == null || row.values.containsKey(field.apiName());
            if (checked && field.required() && row.values.get(field.apiName()) == null) {
                MappingPlan.Rule rule = plan.rules().stream().filter(r -> r.field().equals(field)).findFirst().orElse(null);
                row.error = new String[] {rule == null ? field.apiName() : rule.source().columns(), null, field.apiName() + ": is required"};
                row.bad = true;
                return false;
            }
        }
        return true;
    }

    private static void bad(Job job, Row row, MappingPlan.Rule rule, String value, String reason) {
        if (!row.bad) {
            row.bad = true;
            row.error = new String[] {rule.source().columns(), value, rule.field().apiName() + ": " + reason};
        }
    }

    /** "customers.email: 'x' is not a valid email address" → "is not a valid email address". */
    private static String reason(CrmException e, ObjectDef object, FieldDef field, String value) {
        String message = e.getMessage();
        String prefix = object.apiName() + "." + field.apiName() + ":";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length()).strip();
            int close = message.indexOf("' ");
            if (message.startsWith("'") && close > 0) {
                message = message.substring(close + 2);
            }
        }
        return message;
    }
}
