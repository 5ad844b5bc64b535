package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Reads and writes entries of any object. Takes values already checked by the caller; the
 * only rules kept here are the ones that need the data itself (which ids and values exist).
 */
public final class EntryStore {

    private static final String RANK = "crm_rank";
    private static final RollupStore ROLLUPS = new RollupStore();
    /** From this many ids on, ids without a gap are read as a range (fewer are a short list of binds). */
    private static final int RANGE_FROM = 64;

    /** Next id per table. Writes are serialised, so a counter read once from max(id) stays right. */
    private final Map<String, AtomicLong> nextIds = new ConcurrentHashMap<>();
    /**
     * The indexes {@link #insertAbsent} made or found, by table and column, with the catalog epoch then:
     * DDL that may drop them (a rename, retype or drop of a column drops all of a table's) moves the
     * epoch on, and the next such write makes them again. Saves asking for them every write.
     */
    private final Map<String, Long> uniqueIndexes = new ConcurrentHashMap<>();

    public List<Entry> findByIds(Transaction tx, ObjectDef object, Collection<Long> ids) {
        return findByIds(tx, object, null, ids);
    }

    /** @param fields api names of the fields to read, or null for every field */
    public List<Entry> findByIds(Transaction tx, ObjectDef object, Set<String> fields, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<FieldDef> read = readFields(object, fields, Ordering.byId(), null);
        Sql sql = select(object, read).where(idsAmong(Set.copyOf(ids))).build();
        return tx.query(sql, row -> read(object, read, row));
    }

    /**
     * Many ids without a gap (the entries one set-based write created) as a range, which DuckDB
     * answers from the zone maps; a list is compared with every row (6,300 orders of 1M, machine
     * at load 20: 100-160 ms as a list, 30-100 ms as a range).
     */
    private static Condition idsAmong(Set<Long> ids) {
        long min = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        if (ids.size() < RANGE_FROM || max - min + 1 != ids.size()) {
            return Condition.in("id", ids);
        }
        return Condition.and(Condition.compare("id", Condition.Operator.GTE, min), Condition.compare("id", Condition.Operator.LTE, max));
    }

    public EntryPage findPage(Transaction tx, ObjectDef object, Condition filter, Ordering ordering, PageRequest page) {
        return findPage(tx, object, null, filter, ordering, page);
    }

    /**
     * @param fields api names of the fields the caller will read (the sort keys are added), or null
     *               for every field. DuckDB carries every selected column through the sort, so a page
     *               of a wide object costs several times more when all its columns are read.
     */
    public EntryPage findPage(Transaction tx, ObjectDef object, Set<String> fields, Condition filter, Ordering ordering,
                              PageRequest page) {
        List<FieldDef> read = readFields(object, fields, ordering, null);
        SqlBuilder sql = select(object, read).where(Condition.and(filter, window(ordering, page))).sql(" ORDER BY ");
        (page.backward() ? ordering.reversed() : ordering).renderOrderBy(sql);
        sql.sql(" LIMIT ").bind(page.size() + 1);
        return toPage(tx.query(sql.build(), row -> read(object, read, row)), ordering, page);
    }

    /** Every matching entry in order, one at a time, in a single streamed query. */
    public void forEach(Transaction tx, ObjectDef object, Condition filter, Ordering ordering, java.util.function.Consumer<Entry> consumer) {
        SqlBuilder sql = select(object).where(filter).sql(" ORDER BY ");
        ordering.renderOrderBy(sql);
        tx.forEach(sql.build(), row -> {
            consumer.accept(read(object, row));
            return null;
        });
    }

    /**
     * Writes every matching entry in order as one CSV record of {@code columns} to {@code file}
     * ({@link CsvCopy}), in one statement; returns how many. Asked in id order, the statement skips its
     * sort (a third of an export's time at 1M rows) when the table's scan already yields the matching ids
     * ascending: the database keeps a table's insertion order in a scan without ORDER BY, ids are
     * allocated ascending, and one scan of the ids alone, just before, checks it. Both must see the same
     * rows, so {@code tx} must be one snapshot ({@code DuckDb.snapshot}), not autocommitted statements
     * between which a model change could rewrite the table.
     */
    public long copyCsv(Transaction tx, ObjectDef object, List<FieldDef> columns, Condition filter, Ordering ordering, Path file) {
        boolean scanOrder = ordering.byIdAscending() && scansInIdOrder(tx, object, filter);
        SqlBuilder sql = CsvCopy.copy();
        CsvCopy.cells(sql, columns);
        sql.sql(" FROM ").ident(object.apiName()).where(filter);
        if (!scanOrder) {
            sql.sql(" ORDER BY ");
            ordering.renderOrderBy(sql);
        }
        return tx.update(CsvCopy.to(sql, file));
    }

    /** True when a scan of {@code object}'s rows matching {@code filter}, without ORDER BY, yields their ids ascending. */
    private static boolean scansInIdOrder(Transaction tx, ObjectDef object, Condition filter) {
        long[] last = {Long.MIN_VALUE};
        boolean[] ascending = {true};
        tx.forEach(new SqlBuilder().sql("SELECT ").ident("id").sql(" FROM ").ident(object.apiName()).where(filter).build(), row -> {
            long id = row.getLong(1);
            ascending[0] &= id > last[0];
            last[0] = id;
            return null;
        });
        return ascending[0];
    }

    public long count(Transaction tx, ObjectDef object, Condition filter) {
        Sql sql = new SqlBuilder().sql("SELECT count(*) FROM ").ident(object.apiName()).where(filter).build();
        return tx.query(sql, row -> row.getLong(1)).get(0);
    }

    /**
     * One page per parent for a reverse list ({@code customer.orders}), for many parents in one
     * statement: rows are numbered per parent and cut at the page size.
     */
    public Map<Long, EntryPage> findPagesByParent(Transaction tx, ObjectDef object, FieldDef relation, Collection<Long> parentIds,
                                                  Condition filter, Ordering ordering, PageRequest page) {
        return findPagesByParent(tx, object, null, relation, parentIds, filter, ordering, page);
    }

    /**
     * The rows are numbered over the columns the numbering needs alone (id, parent, sort keys, what the
     * filter reads), and only the kept rows' selected columns are read, by a semi-join on their ids in
     * the same statement. Reading every selected column of every candidate row cost 3x the CPU (50
     * customers x 5 orders of 1M: 131 against 39 ms; 50 x 50: 140 against 48 ms), as DuckDB fetches a
     * compressed string by row id dearly. The semi-join scans the id column with the kept ids as a
     * filter: cheaper here than fetching the kept rows through the id index (72 ms for 50 x 5).
     *
     * @param fields as for {@link #findPage(Transaction, ObjectDef, Set, Condition, Ordering, PageRequest)}
     */
    public Map<Long, EntryPage> findPagesByParent(Transaction tx, ObjectDef object, Set<String> fields, FieldDef relation,
                                                  Collection<Long> parentIds, Condition filter, Ordering ordering,
                                                  PageRequest page) {
        String parent = relation.column();
        List<FieldDef> read = readFields(object, fields, ordering, relation);
        Ordering order = page.backward() ? ordering.reversed() : ordering;
        SqlBuilder sql = select(object, read).sql(" WHERE ").ident("id").sql(" IN (SELECT ").ident("id").sql(" FROM (SELECT ")
                .ident("id").sql(", row_number() OVER (PARTITION BY ").ident(parent).sql(" ORDER BY ");
        order.renderOrderBy(sql);
        sql.sql(") AS ").ident(RANK).sql(" FROM ").ident(object.apiName())
                .where(Condition.and(Condition.in(parent, Set.copyOf(parentIds)), filter, window(ordering, page)))
                .sql(") WHERE ").ident(RANK).sql(" <= ").bind(page.size() + 1)
                .sql(") ORDER BY ").ident(parent).sql(", ");
        order.renderOrderBy(sql);
        Map<Long, List<Entry>> byParent = new HashMap<>();
        tx.query(sql.build(), row -> {
            Entry entry = read(object, read, row);
            byParent.computeIfAbsent((Long) entry.get(relation.apiName()), k -> new ArrayList<>()).add(entry);
            return null;
        });
        Map<Long, EntryPage> pages = new HashMap<>();
        for (Long parentId : parentIds) {
            pages.put(parentId, toPage(byParent.getOrDefault(parentId, List.of()), ordering, page));
        }
        return pages;
    }

    public Map<Long, Long> countByParent(Transaction tx, ObjectDef object, FieldDef relation, Collection<Long> parentIds,
                                         Condition filter) {
        String parent = relation.column();
        Sql sql = new SqlBuilder().sql("SELECT ").ident(parent).sql(", count(*) FROM ").ident(object.apiName())
                .where(Condition.and(Condition.in(parent, Set.copyOf(parentIds)), filter)).sql(" GROUP BY ").ident(parent).build();
        Map<Long, Long> counts = new HashMap<>();
        parentIds.forEach(id -> counts.put(id, 0L));
        tx.query(sql, row -> counts.put(row.getLong(1), row.getLong(2)));
        return counts;
    }

    /** Which of {@code ids} exist in {@code object}. */
    public Set<Long> existingIds(Transaction tx, ObjectDef object, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Sql sql = new SqlBuilder().sql("SELECT \"id\" FROM ").ident(object.apiName())
                .where(Condition.in("id", Set.copyOf(ids))).build();
        return Set.copyOf(tx.query(sql, row -> row.getLong(1)));
    }

    /** The ids of entries whose {@code field} holds one of {@code values}, by value. */
    public Map<Object, Long> idsByValue(Transaction tx, ObjectDef object, FieldDef field, Collection<?> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        Sql sql = new SqlBuilder().sql("SELECT ").ident(field.column()).sql(", \"id\" FROM ").ident(object.apiName())
                .where(Condition.in(field.column(), Set.copyOf(values))).build();
        Map<Object, Long> ids = new HashMap<>();
        tx.query(sql, row -> ids.put(readValue(field, row, 1), row.getLong(2)));
        return ids;
    }

    /**
     * Inserts new entries in one statement and returns them in the order given, built from the rows
     * themselves: each row maps field api names to stored-type values (missing fields are null).
     * {@code computed} are the object's computed fields: a new entry gets the values they have while
     * nothing links to it, computed in the same statement, which returns only those, and only when
     * {@code answered} names one of them.
     *
     * @param answered api names of the fields the returned entries carry (null: all); entries lack the others
     */
    public List<Entry> insert(Transaction tx, ObjectDef object, List<Map<String, Object>> rows, OffsetDateTime now,
                              List<ComputedColumn> computed, String timeZone, Set<String> answered) {
        return insert(tx, object, rows, now, computed, timeZone, answered, false);
    }

    /**
     * Like {@link #insert}, but in the same one statement a row whose value of a unique field a stored
     * entry holds is left out instead of inserted; returns per row, in the order given, its entry or
     * null when it was left out. The rows must not repeat a unique value among themselves. The stored
     * values are looked up through an ART index on each unique field, made by the first such write:
     * a log written this way (webhook deliveries) grows without bound, and reading its whole columns
     * for each small batch would cost more with every row.
     */
    public List<Entry> insertAbsent(Transaction tx, ObjectDef object, List<Map<String, Object>> rows, OffsetDateTime now,
                                    List<ComputedColumn> computed, String timeZone) {
        long epoch = tx.catalogEpoch();
        for (FieldDef field : object.uniqueFields()) {
            String key = object.apiName() + "." + field.column();
            if (!Objects.equals(uniqueIndexes.get(key), epoch)) {
                SchemaStore.indexUnique(tx, object.apiName(), field.column());
                tx.afterCommit(() -> uniqueIndexes.put(key, epoch));
            }
        }
        return insert(tx, object, rows, now, computed, timeZone, null, true);
    }

    private List<Entry> insert(Transaction tx, ObjectDef object, List<Map<String, Object>> rows, OffsetDateTime now,
                               List<ComputedColumn> computed, String timeZone, Set<String> answered, boolean absentOnly) {
        if (rows.isEmpty()) {
            return List.of();
        }
        long first = reserveIds(tx, object, rows.size());
        List<FieldDef> stored = object.fields().stream().filter(field -> !field.isComputed()).toList();
        List<String> columns = new ArrayList<>(List.of("id", "created_at", "updated_at"));
        stored.forEach(field -> columns.add(field.column()));
        computed.forEach(column -> columns.add(column.field().column()));
        // The inner select names every stored column, so the computed values read the new row as they read a stored one.
        SqlBuilder sql = new SqlBuilder().sql("INSERT INTO ").ident(object.apiName()).sql(" (").idents(columns)
                .sql(") SELECT ").idents(columns.subList(0, 3 + stored.size()));
        ROLLUPS.appendNewEntryValues(sql, computed, timeZone);
        sql.sql(" FROM (SELECT unnest(range(").bind(first).sql("::BIGINT, ").bind(first + rows.size())
                .sql("::BIGINT)) AS \"id\", ").bind(now).sql("::TIMESTAMPTZ AS \"created_at\", ").bind(now).sql("::TIMESTAMPTZ AS \"updated_at\"");
        Map<String, Object[]> set = setColumns(rows);
        for (FieldDef field : stored) {
            sql.sql(", ");
            Object[] column = set.get(field.apiName());
            String type = ColumnTypes.of(field);
            if (column == null) {
                // A column no row sets costs nothing to send: most creates fill a few fields of many.
                sql.sql("CAST(NULL AS ").sql(type).sql(")");
            } else if (field.kind().isList()) {
                // The driver binds no array of arrays: lists travel as JSON text, each distinct list written once (a bulk
                // create's rows mostly share their tags).
                Map<Object, String> texts = new HashMap<>();
                String[] text = new String[column.length];
                for (int i = 0; i < column.length; i++) {
                    text[i] = column[i] == null ? null : texts.computeIfAbsent(column[i], FieldValues::toText);
                }
                sql.sql("unnest(").bind(new SqlArray("VARCHAR", Arrays.asList(text))).sql("::VARCHAR[])")
                        .sql(ColumnTypes.castFromText(field));
            } else {
                // Bound in the column's own type (checked values already have it): no text to format here and parse there.
                sql.sql("unnest(").bind(new SqlArray(type, Arrays.asList(column))).sql("::").sql(type).sql("[])");
            }
            sql.sql(" AS ").ident(field.column());
        }
        sql.sql(") AS ").ident(RollupStore.ROW);
        if (absentOnly) {
            notTaken(sql, object, rows);
        }
        List<Entry> entries = new ArrayList<>(rows.size());
        List<FieldDef> fields = answered == null ? object.fields()
                : object.fields().stream().filter(field -> answered.contains(field.apiName())).toList();
        boolean computedAnswered = answered == null || computed.stream().anyMatch(column -> answered.contains(column.field().apiName()));
        if (!computedAnswered && !absentOnly) {
            // Nothing to read back: a bulk create answered with ids alone reads no 10,000 rows of computed values.
            tx.update(sql.build());
            for (int i = 0; i < rows.size(); i++) {
                entries.add(entry(object, fields, first + i, now, rows.get(i), Map.of()));
            }
            return entries;
        }
        sql.sql(" RETURNING \"id\"");
        computed.forEach(column -> sql.sql(", ").ident(column.field().column()));
        Map<Long, Map<String, Object>> values = new HashMap<>();
        tx.query(sql.build(), row -> {
            Map<String, Object> read = new HashMap<>();
            for (int i = 0; i < computed.size(); i++) {
                FieldDef field = computed.get(i).field();
                read.put(field.apiName(), readValue(field, row, i + 2));
            }
            values.put(row.getLong(1), read);
            return null;
        });
        for (int i = 0; i < rows.size(); i++) {
            entries.add(values.containsKey(first + i) ? entry(object, fields, first + i, now, rows.get(i), values.get(first + i)) : null);
        }
        return entries;
    }

    /**
     * {@code WHERE} no stored entry holds the row's value of any unique field (a null value takes
     * nothing). The stored values are read as those equal to one of the rows' own ({@code = ANY} of
     * a list), which DuckDB answers from the field's index; a join with the rows would read the
     * whole column whatever the index.
     */
    private static void notTaken(SqlBuilder sql, ObjectDef object, List<Map<String, Object>> rows) {
        String glue = " WHERE ";
        for (FieldDef field : object.uniqueFields()) {
            List<Object> values = rows.stream().map(row -> row.get(field.apiName())).filter(Objects::nonNull).toList();
            if (values.isEmpty()) {
                continue;
            }
            String type = ColumnTypes.of(field);
            sql.sql(glue).sql("(").ident(RollupStore.ROW).sql(".").ident(field.column()).sql(" IS NULL OR ").ident(RollupStore.ROW)
                    .sql(".").ident(field.column()).sql(" NOT IN (SELECT ").ident(field.column()).sql(" FROM ").ident(object.apiName())
                    .sql(" WHERE ").ident(field.column()).sql(" = ANY(").bind(new SqlArray(type, values)).sql("::").sql(type).sql("[])))");
            glue = " AND ";
        }
    }

    /**
     * The values of each field some row sets, by row: one pass over the rows' own values, which are
     * a few of the object's fields (a bulk create's rows x every field would be 460,000 lookups).
     */
    private static Map<String, Object[]> setColumns(List<Map<String, Object>> rows) {
        Map<String, Object[]> columns = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            for (Map.Entry<String, Object> value : rows.get(i).entrySet()) {
                if (value.getValue() != null) {
                    columns.computeIfAbsent(value.getKey(), name -> new Object[rows.size()])[i] = value.getValue();
                }
            }
        }
        return columns;
    }

    /** A new entry from its written values and its computed ones: {@code fields}, the answered ones in model order. */
    private static Entry entry(ObjectDef object, List<FieldDef> fields, long id, OffsetDateTime now, Map<String, Object> row,
                               Map<String, Object> computed) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef field : fields) {
            values.put(field.apiName(), field.isComputed() ? computed.get(field.apiName()) : row.get(field.apiName()));
        }
        return new Entry(object.apiName(), id, now, now, values);
    }

    /** Sets the given fields of one entry and returns it as it now is, in one statement. */
    public Entry update(Transaction tx, ObjectDef object, long id, Map<String, Object> changes, OffsetDateTime now) {
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET \"updated_at\" = ").bind(now);
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            FieldDef field = object.field(change.getKey()).orElseThrow();
            sql.sql(", ").ident(field.column()).sql(" = ").bind(change.getValue());
        }
        sql.where(Condition.eq("id", id)).sql(" RETURNING ").idents(columns(object));
        return tx.query(sql.build(), row -> read(object, row)).get(0);
    }

    /**
     * Sets the given fields of one entry if it is at {@code version} (null: any), in one statement;
     * false if no entry was at it. Its new version is {@code now}, or a microsecond past its last if
     * the clock has not moved on, as each change must be a new version. The entry is not returned:
     * DuckDB 2.0 reads every column of the row for a {@code RETURNING} of any of them (measured on
     * 100,000 customers: 2.7 ms of CPU for the update by id, 5-8 ms with {@code RETURNING}), so the
     * caller reads back only the fields it needs.
     *
     * @param last the caller writes and refuses nothing after it in {@code tx}, so the statement may
     *             commit the transaction (see {@link Transaction#updateAsLastWrite})
     */
    public boolean updateIfVersion(Transaction tx, ObjectDef object, long id, Map<String, Object> changes, OffsetDateTime now,
                                   OffsetDateTime version, boolean last) {
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET ").ident("updated_at").sql(" = greatest(")
                .bind(now).sql(", ").ident("updated_at").sql(" + INTERVAL 1 MICROSECOND)");
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            FieldDef field = object.field(change.getKey()).orElseThrow();
            sql.sql(", ").ident(field.column()).sql(" = ").bind(change.getValue());
        }
        Condition where = Condition.and(Condition.eq("id", id), version == null ? Condition.always() : Condition.eq("updated_at", version));
        Sql update = sql.where(where).build();
        return (last ? tx.updateAsLastWrite(object.apiName(), where, update) : tx.update(update)) == 1;
    }

    /**
     * Adds {@code deltas} to numeric fields of one entry (an empty value counts as 0) and returns it
     * as it now is, in one statement: concurrent increments never read a stale value.
     */
    public Entry increment(Transaction tx, ObjectDef object, long id, Map<String, Object> deltas, OffsetDateTime now) {
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET \"updated_at\" = ").bind(now);
        for (Map.Entry<String, Object> delta : deltas.entrySet()) {
            FieldDef field = object.field(delta.getKey()).orElseThrow();
            sql.sql(", ").ident(field.column()).sql(" = coalesce(").ident(field.column()).sql(", 0) + ").bind(delta.getValue());
        }
        sql.where(Condition.eq("id", id)).sql(" RETURNING ").idents(columns(object));
        return tx.query(sql.build(), row -> read(object, row)).get(0);
    }

    public void delete(Transaction tx, ObjectDef object, Collection<Long> ids) {
        tx.update(new SqlBuilder().sql("DELETE FROM ").ident(object.apiName()).where(Condition.in("id", Set.copyOf(ids))).build());
    }

    /** Unlinks every entry of {@code object} whose {@code relation} points at one of {@code targetIds}. */
    public long clearRelation(Transaction tx, ObjectDef object, FieldDef relation, Collection<Long> targetIds, OffsetDateTime now) {
        return tx.update(new SqlBuilder().sql("UPDATE ").ident(object.apiName())
                .sql(" SET ").ident(relation.column()).sql(" = NULL, \"updated_at\" = ").bind(now)
                .where(Condition.in(relation.column(), Set.copyOf(targetIds))).build());
    }

    /** Forgets cached state of a table that was dropped or recreated. */
    public void forget(String table) {
        nextIds.remove(table);
    }

    /** Takes {@code count} consecutive new ids of {@code object} for rows inserted by a caller's own statement; returns the first. */
    public long reserveIds(Transaction tx, ObjectDef object, long count) {
        AtomicLong next = nextIds.computeIfAbsent(object.apiName(), table -> new AtomicLong(maxId(tx, table) + 1));
        return next.getAndAdd(count);
    }

    private static long maxId(Transaction tx, String table) {
        Sql sql = new SqlBuilder().sql("SELECT coalesce(max(\"id\"), 0) FROM ").ident(table).build();
        return tx.query(sql, row -> row.getLong(1)).get(0);
    }

    private static Condition window(Ordering ordering, PageRequest page) {
        return Condition.and(
                page.after() == null ? Condition.always() : ordering.after(CursorCodec.decode(page.after(), "after")),
                page.before() == null ? Condition.always() : ordering.before(CursorCodec.decode(page.before(), "before")));
    }

    private static EntryPage toPage(List<Entry> rows, Ordering ordering, PageRequest page) {
        boolean more = rows.size() > page.size();
        List<Entry> kept = new ArrayList<>(more ? rows.subList(0, page.size()) : rows);
        if (page.backward()) {
            Collections.reverse(kept);
        }
        List<String> cursors = kept.stream().map(ordering::cursorOf).toList();
        return page.backward()
                ? new EntryPage(kept, cursors, page.before() != null, more)
                : new EntryPage(kept, cursors, more, page.after() != null);
    }

    private static SqlBuilder select(ObjectDef object) {
        return select(object, object.fields());
    }

    private static SqlBuilder select(ObjectDef object, List<FieldDef> fields) {
        return new SqlBuilder().sql("SELECT ").idents(columns(fields)).sql(" FROM ").ident(object.apiName());
    }

    /** The fields to read: the wanted ones, the sort keys (for cursors) and the parent relation, in model order. */
    private static List<FieldDef> readFields(ObjectDef object, Set<String> wanted, Ordering ordering, FieldDef parent) {
        if (wanted == null) {
            return object.fields();
        }
        return object.fields().stream().filter(f -> wanted.contains(f.apiName()) || ordering.sortsBy(f.apiName())
                || parent != null && parent.apiName().equals(f.apiName())).toList();
    }

    static List<String> columns(ObjectDef object) {
        return columns(object.fields());
    }

    private static List<String> columns(List<FieldDef> fields) {
        List<String> columns = new ArrayList<>(List.of("id", "created_at", "updated_at"));
        fields.forEach(f -> columns.add(f.column()));
        return columns;
    }

    static Entry read(ObjectDef object, ResultSet row) throws SQLException {
        return read(object, object.fields(), row);
    }

    /** Reads a row selected with {@code columns(fields)}; fields not read are absent from the entry. */
    static Entry read(ObjectDef object, List<FieldDef> fields, ResultSet row) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        int index = 4;
        for (FieldDef field : fields) {
            values.put(field.apiName(), readValue(field, row, index++));
        }
        return new Entry(object.apiName(), row.getLong(1), row.getObject(2, OffsetDateTime.class),
                row.getObject(3, OffsetDateTime.class), values);
    }

    private static Object readValue(FieldDef field, ResultSet row, int index) throws SQLException {
        Object value = switch (field.kind()) {
            case NUMBER -> row.getBigDecimal(index);
            case INTEGER, RELATION -> row.getLong(index);
            case BOOLEAN -> row.getBoolean(index);
            case DATE -> row.getObject(index, LocalDate.class);
            case DATETIME -> row.getObject(index, OffsetDateTime.class);
            case MULTI_ENUM, TAGS -> readList(row.getArray(index));
            default -> row.getString(index);
        };
        return row.wasNull() ? null : value;
    }

    private static List<String> readList(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] items = (Object[]) array.getArray();
        return java.util.Arrays.stream(items).map(String::valueOf).collect(Collectors.toList());
    }
}
