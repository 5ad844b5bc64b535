package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.SystemFields;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Metadata rows and the tables they describe. Every method runs inside the caller's transaction, so
 * a metadata change and its DDL commit together or not at all (DuckDB's DDL is transactional).
 *
 * <p>Object tables get no primary key, unique constraint or foreign key: ids, unique values and
 * relations are enforced by the engine under the single write lock. They do get plain ART indexes on
 * {@code id} and on every relation column, so a lookup by id and a page of related entries do not
 * scan the table. DuckDB refuses to rename, drop or retype any column of a table that has an index,
 * so those changes drop the table's indexes first, and {@link #syncIndexes} builds them again before
 * the change commits (a trial change is rolled back, which restores the indexes as they were).
 */
public final class SchemaStore {

    /** Marks the indexes this class manages; {@link #syncIndexes} leaves any other alone. */
    private static final String INDEX_PREFIX = "crm_ix_";
    /** The name a table's copy has while {@link #dropColumn} rebuilds it (object api names never start with crm_). */
    private static final String REBUILD_PREFIX = "crm_rebuild_";
    /** Up to this many metadata rows are inserted value by value; more as one array per column. */
    private static final int FEW_ROWS = 16;

    private static final List<String> METADATA_DDL = List.of(
            "CREATE TABLE IF NOT EXISTS crm_objects (api_name VARCHAR NOT NULL, singular_api_name VARCHAR NOT NULL,"
                    + " singular_label VARCHAR NOT NULL, plural_label VARCHAR NOT NULL, description VARCHAR,"
                    + " position INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS crm_fields (object_api_name VARCHAR NOT NULL, api_name VARCHAR NOT NULL,"
                    + " label VARCHAR NOT NULL, kind VARCHAR NOT NULL, required BOOLEAN NOT NULL,"
                    + " is_unique BOOLEAN NOT NULL, default_value VARCHAR, options VARCHAR[], related_object VARCHAR,"
                    + " position INTEGER NOT NULL, description VARCHAR)",
            // Rollup and formula definitions (JSON), added after the first release: databases made before it gain the column.
            "ALTER TABLE crm_fields ADD COLUMN IF NOT EXISTS computed VARCHAR",
            // The declared scale of number fields, added later in the same way (null: the default).
            "ALTER TABLE crm_fields ADD COLUMN IF NOT EXISTS scale INTEGER");

    public void createMetadataTables(Transaction tx) {
        METADATA_DDL.forEach(ddl -> tx.update(new SqlBuilder().sql(ddl).build()));
    }

    public MetadataSnapshot load(Transaction tx, long version) {
        Map<String, List<FieldDef>> fields = new LinkedHashMap<>();
        Sql fieldQuery = new SqlBuilder().sql("SELECT object_api_name, api_name, label, kind, required, is_unique,"
                + " default_value, options, related_object, position, description, computed, scale FROM crm_fields"
                + " ORDER BY object_api_name, position").build();
        tx.query(fieldQuery, row -> fields.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(readField(row)));
        Sql objectQuery = new SqlBuilder().sql("SELECT api_name, singular_api_name, singular_label, plural_label,"
                + " description FROM crm_objects ORDER BY position").build();
        List<ObjectDef> objects = tx.query(objectQuery, row -> new ObjectDef(row.getString(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5), fields.getOrDefault(row.getString(1), List.of())));
        return new MetadataSnapshot(version, objects);
    }

    private static FieldDef readField(java.sql.ResultSet row) throws java.sql.SQLException {
        String object = row.getString(1);
        Array options = row.getArray(8);
        List<String> optionList = options == null ? List.of()
                : Arrays.stream((Object[]) options.getArray()).map(String::valueOf).toList();
        FieldDef bare = new FieldDef(row.getString(2), row.getString(3), FieldKind.valueOf(row.getString(4)),
                row.getBoolean(5), row.getBoolean(6), null, optionList, row.getString(9), row.getInt(10), row.getString(11),
                Computed.fromJson(row.getString(12)), row.getObject(13, Integer.class));
        Object defaultValue = FieldValues.fromText(object, bare, row.getString(7));
        return new FieldDef(bare.apiName(), bare.label(), bare.kind(), bare.required(), bare.unique(), defaultValue,
                bare.options(), bare.relatedObject(), bare.position(), bare.description(), bare.computed(), bare.scale());
    }

    /**
     * Brings the metadata rows of the named objects from {@code before} to {@code after}: only the
     * rows that differ are deleted and written again (an added field is one row inserted), a name
     * {@code after} no longer has loses its rows, and an object that moved in the model's order (one
     * before it was deleted) gets its position again, so a restart reads the objects in the same order
     * (which decides which of two clashing objects is served). Four statements at most however many
     * objects: a start that declares a thousand objects saves them in one go.
     */
    public void saveObjects(Transaction tx, MetadataSnapshot before, MetadataSnapshot after, Set<String> names) {
        Map<String, Integer> oldPositions = positions(before);
        Map<String, Integer> newPositions = positions(after);
        Set<String> saved = new LinkedHashSet<>(names);
        newPositions.forEach((name, position) -> {
            if (oldPositions.containsKey(name) && !oldPositions.get(name).equals(position)) {
                saved.add(name);
            }
        });
        List<String> staleObjects = new ArrayList<>();
        List<ObjectDef> savedObjects = new ArrayList<>();
        List<String> positions = new ArrayList<>();
        List<Condition> staleFields = new ArrayList<>();
        List<Map.Entry<ObjectDef, FieldDef>> savedFields = new ArrayList<>();
        for (String name : saved) {
            ObjectDef old = before.find(name).orElse(null);
            ObjectDef now = after.find(name).orElse(null);
            if (old != null && (now == null || !sameObjectRow(old, now) || !oldPositions.get(name).equals(newPositions.get(name)))) {
                staleObjects.add(name);
            }
            if (now != null && (old == null || staleObjects.contains(name))) {
                savedObjects.add(now);
                positions.add(String.valueOf(newPositions.get(name)));
            }
            // Sets: an object of a few hundred fields would otherwise compare every pair of them.
            Set<FieldDef> oldFields = old == null ? Set.of() : new HashSet<>(old.fields());
            Set<FieldDef> newFields = now == null ? Set.of() : new HashSet<>(now.fields());
            List<String> gone = old == null ? List.of()
                    : old.fields().stream().filter(field -> !newFields.contains(field)).map(FieldDef::apiName).toList();
            if (!gone.isEmpty()) {
                staleFields.add(Condition.and(Condition.eq("object_api_name", name), Condition.in("api_name", gone)));
            }
            if (now != null) {
                now.fields().stream().filter(field -> !oldFields.contains(field)).forEach(field -> savedFields.add(Map.entry(now, field)));
            }
        }
        if (!staleObjects.isEmpty()) {
            tx.update(new SqlBuilder().sql("DELETE FROM crm_objects").where(Condition.in("api_name", staleObjects)).build());
        }
        if (!staleFields.isEmpty()) {
            tx.update(new SqlBuilder().sql("DELETE FROM crm_fields").where(Condition.or(staleFields)).build());
        }
        if (!savedObjects.isEmpty()) {
            insert(tx, "crm_objects", List.of(
                    column("api_name", "", savedObjects, ObjectDef::apiName),
                    column("singular_api_name", "", savedObjects, ObjectDef::singularApiName),
                    column("singular_label", "", savedObjects, ObjectDef::singularLabel),
                    column("plural_label", "", savedObjects, ObjectDef::pluralLabel),
                    column("description", "", savedObjects, ObjectDef::description),
                    column("position", "::INTEGER", positions, position -> position)));
        }
        if (!savedFields.isEmpty()) {
            List<FieldDef> fields = savedFields.stream().map(Map.Entry::getValue).toList();
            insert(tx, "crm_fields", List.of(
                    column("object_api_name", "", savedFields, row -> row.getKey().apiName()),
                    column("api_name", "", fields, FieldDef::apiName),
                    column("label", "", fields, FieldDef::label),
                    column("kind", "", fields, field -> field.kind().name()),
                    column("required", "::BOOLEAN", fields, field -> String.valueOf(field.required())),
                    column("is_unique", "::BOOLEAN", fields, field -> String.valueOf(field.unique())),
                    column("default_value", "", fields, field -> FieldValues.toText(field.defaultValue())),
                    column("options", "::JSON::VARCHAR[]", fields, field -> FieldValues.toText(field.options())),
                    column("related_object", "", fields, FieldDef::relatedObject),
                    column("position", "::INTEGER", fields, field -> String.valueOf(field.position())),
                    column("description", "", fields, FieldDef::description),
                    column("computed", "", fields, field -> field.isComputed() ? field.computed().toJson() : null),
                    column("scale", "::INTEGER", fields, field -> field.scale() == null ? null : field.scale().toString())));
        }
    }

    private static Map<String, Integer> positions(MetadataSnapshot model) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < model.objects().size(); i++) {
            positions.put(model.objects().get(i).apiName(), i);
        }
        return positions;
    }

    /** Whether the object's own row (not its fields) would be written the same. */
    private static boolean sameObjectRow(ObjectDef a, ObjectDef b) {
        return a.singularApiName().equals(b.singularApiName()) && a.singularLabel().equals(b.singularLabel())
                && a.pluralLabel().equals(b.pluralLabel()) && Objects.equals(a.description(), b.description());
    }

    /** A metadata column: its values as text, one per row, and the cast that turns text back into its type. */
    private record TextColumn(String name, String cast, List<String> values) {
    }

    private static <T> TextColumn column(String name, String cast, List<T> rows, Function<T, String> value) {
        return new TextColumn(name, cast, rows.stream().map(value).toList());
    }

    /**
     * Every row in one statement. A few rows (a model change of one field) as {@code VALUES}: binding
     * an array per column cost DuckDB 3-20 ms against 1 ms for one row. Many (the YAML of a new store)
     * as one text array per column, unnested and cast back, so the statement's size does not grow.
     */
    private static void insert(Transaction tx, String table, List<TextColumn> columns) {
        SqlBuilder insert = new SqlBuilder().sql("INSERT INTO ").ident(table).sql(" (")
                .idents(columns.stream().map(TextColumn::name).toList()).sql(") ");
        int rows = columns.get(0).values().size();
        if (rows <= FEW_ROWS) {
            insert.sql("VALUES ");
            for (int row = 0; row < rows; row++) {
                insert.sql(row == 0 ? "(" : ", (");
                for (int i = 0; i < columns.size(); i++) {
                    TextColumn column = columns.get(i);
                    insert.sql(i == 0 ? "CAST(" : ", CAST(").bind(column.values().get(row)).sql(" AS VARCHAR)" + column.cast());
                }
                insert.sql(")");
            }
        } else {
            insert.sql("SELECT ");
            for (int i = 0; i < columns.size(); i++) {
                TextColumn column = columns.get(i);
                insert.sql(i == 0 ? "unnest(" : ", unnest(").bind(new SqlArray("VARCHAR", column.values()))
                        .sql("::VARCHAR[])" + column.cast());
            }
        }
        tx.update(insert.build());
    }

    public void createTable(Transaction tx, ObjectDef object) {
        createTable(tx, object.apiName(), object);
    }

    private static void createTable(Transaction tx, String table, ObjectDef object) {
        SqlBuilder ddl = new SqlBuilder().sql("CREATE TABLE ").ident(table)
                .sql(" (\"id\" BIGINT NOT NULL, \"created_at\" TIMESTAMPTZ NOT NULL, \"updated_at\" TIMESTAMPTZ NOT NULL");
        for (FieldDef field : object.fields()) {
            ddl.sql(", ").ident(field.column()).sql(" " + ColumnTypes.of(field));
        }
        tx.update(ddl.sql(")").build());
    }

    /**
     * Creates the indexes the objects' tables should have and drops those of ours they should not
     * (a relation field deleted or made another kind); indexes already in place are left alone.
     * The indexes in place are read once for all the tables.
     */
    public void syncIndexes(Transaction tx, Collection<ObjectDef> objects) {
        if (objects.isEmpty()) {
            return;
        }
        List<String> tables = objects.stream().map(ObjectDef::apiName).toList();
        Map<String, List<String>> existing = new LinkedHashMap<>();
        tx.query(new SqlBuilder().sql("SELECT table_name, index_name FROM duckdb_indexes() WHERE schema_name = current_schema() AND ")
                        .condition(Condition.in("table_name", tables)).build(),
                row -> existing.computeIfAbsent(row.getString(1), t -> new ArrayList<>()).add(row.getString(2)));
        for (ObjectDef object : objects) {
            String table = object.apiName();
            Map<String, String> wanted = new LinkedHashMap<>();
            String id = SystemFields.ID.column();
            wanted.put(indexName(table, id), id);
            object.fields().stream().filter(FieldDef::isRelation)
                    .forEach(field -> wanted.put(indexName(table, field.column()), field.column()));
            List<String> present = existing.getOrDefault(table, List.of());
            for (String index : present) {
                if (index.startsWith(INDEX_PREFIX) && !wanted.containsKey(index)) {
                    tx.update(new SqlBuilder().sql("DROP INDEX ").ident(index).build());
                }
            }
            wanted.forEach((index, column) -> {
                if (!present.contains(index)) {
                    tx.update(new SqlBuilder().sql("CREATE INDEX ").ident(index).sql(" ON ").ident(table)
                            .sql(" (").ident(column).sql(")").build());
                }
            });
        }
    }

    /**
     * {@link #syncIndexes} for the named objects of {@code after} whose change may have left their
     * indexes wrong: all but those whose change only appended fields that are not relations (ADD
     * COLUMN keeps a table's indexes, and such a field needs none), so an addField reads no index list.
     */
    public void syncIndexes(Transaction tx, MetadataSnapshot before, MetadataSnapshot after, Set<String> names) {
        List<ObjectDef> changed = new ArrayList<>();
        for (String name : names) {
            after.find(name).ifPresent(now -> {
                if (!onlyAppendedPlainFields(before.find(name).orElse(null), now)) {
                    changed.add(now);
                }
            });
        }
        syncIndexes(tx, changed);
    }

    private static boolean onlyAppendedPlainFields(ObjectDef old, ObjectDef now) {
        if (old == null || now.fields().size() < old.fields().size()) {
            return false;
        }
        List<FieldDef> appended = now.fields().subList(old.fields().size(), now.fields().size());
        return now.fields().subList(0, old.fields().size()).equals(old.fields()) && appended.stream().noneMatch(FieldDef::isRelation);
    }

    /**
     * Drops every index of the table: so that DuckDB accepts a column's rename, retype or removal, and
     * before a bulk write of many millions of rows, whose index entries a transaction holds in memory
     * until it commits ({@link #syncIndexes} builds them again, and the next start does if nothing did).
     */
    public void dropIndexes(Transaction tx, String table) {
        indexesOf(tx, table).forEach(index -> tx.update(new SqlBuilder().sql("DROP INDEX ").ident(index).build()));
    }

    /** The names of the table's indexes, ours and any other. */
    public List<String> indexesOf(Transaction tx, String table) {
        Sql sql = new SqlBuilder().sql("SELECT index_name FROM duckdb_indexes() WHERE schema_name = current_schema()")
                .sql(" AND table_name = ").bind(table).build();
        return tx.query(sql, row -> row.getString(1));
    }

    /** Index names share one namespace: the table's length keeps {@code a_b}.{@code c} apart from {@code a}.{@code b_c}. */
    private static String indexName(String table, String column) {
        return INDEX_PREFIX + table.length() + "_" + table + "_" + column;
    }

    public void dropTable(Transaction tx, String table) {
        tx.update(new SqlBuilder().sql("DROP TABLE ").ident(table).build());
    }

    /** Adds the column; existing rows get {@code fill} (the field's default), or stay null. */
    public void addColumn(Transaction tx, ObjectDef object, FieldDef field, Object fill) {
        tx.update(new SqlBuilder().sql("ALTER TABLE ").ident(object.apiName()).sql(" ADD COLUMN ")
                .ident(field.column()).sql(" " + ColumnTypes.of(field)).build());
        if (fill != null) {
            fillNulls(tx, object, field, fill);
        }
    }

    public void fillNulls(Transaction tx, ObjectDef object, FieldDef field, Object fill) {
        tx.update(new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET ").ident(field.column())
                .sql(" = ").bind(fill).where(Condition.isNull(field.column())).build());
    }

    public void renameColumn(Transaction tx, ObjectDef object, String from, String to) {
        dropIndexes(tx, object.apiName());
        tx.update(new SqlBuilder().sql("ALTER TABLE ").ident(object.apiName()).sql(" RENAME COLUMN ")
                .ident(from).sql(" TO ").ident(to).build());
    }

    /**
     * Drops the field's column. DuckDB refuses that, even with the indexes dropped earlier in the
     * same transaction, when the column or one after it in the table was indexed; then the table is
     * copied without the column instead.
     */
    public void dropColumn(Transaction tx, ObjectDef object, FieldDef field) {
        String table = object.apiName();
        dropIndexes(tx, table);
        List<String> columns = tx.query(new SqlBuilder().sql("SELECT column_name FROM duckdb_columns()")
                .sql(" WHERE schema_name = current_schema() AND table_name = ").bind(table).sql(" ORDER BY column_index").build(),
                row -> row.getString(1));
        List<String> fromIt = columns.subList(columns.indexOf(field.column()), columns.size());
        if (object.fields().stream().noneMatch(f -> f.isRelation() && fromIt.contains(f.column()))) {
            tx.update(new SqlBuilder().sql("ALTER TABLE ").ident(table).sql(" DROP COLUMN ").ident(field.column()).build());
            return;
        }
        List<FieldDef> kept = object.fields().stream().filter(f -> !f.equals(field)).toList();
        String copy = REBUILD_PREFIX + table;
        createTable(tx, copy, object.withFields(kept));
        List<String> keptColumns = new ArrayList<>();
        SystemFields.ALL.forEach(f -> keptColumns.add(f.column()));
        kept.forEach(f -> keptColumns.add(f.column()));
        tx.update(new SqlBuilder().sql("INSERT INTO ").ident(copy).sql(" SELECT ").idents(keptColumns).sql(" FROM ").ident(table).build());
        dropTable(tx, table);
        tx.update(new SqlBuilder().sql("ALTER TABLE ").ident(copy).sql(" RENAME TO ").ident(table).build());
    }

    /** Retypes a column in place; the caller has checked that every stored value converts. */
    public void retypeColumn(Transaction tx, ObjectDef object, FieldDef from, FieldDef to) {
        dropIndexes(tx, object.apiName());
        SqlBuilder ddl = new SqlBuilder().sql("ALTER TABLE ").ident(object.apiName()).sql(" ALTER COLUMN ")
                .ident(from.column()).sql(" SET DATA TYPE " + ColumnTypes.of(to) + " USING ");
        convertedValue(ddl, from, to);
        tx.update(ddl.build());
    }

    /**
     * Up to {@code limit} stored values that have no exact counterpart in {@code to}, as text.
     * Between a list and a single value every value converts. Text to integer is checked by
     * pattern too, since DuckDB's cast would round "12.5" to 13.
     */
    public List<String> valuesThatDoNotConvert(Transaction tx, ObjectDef object, FieldDef from, FieldDef target, int limit) {
        FieldKind to = target.kind();
        if (from.kind().isList() != to.isList()) {
            return List.of();
        }
        String column = from.column();
        SqlBuilder query = new SqlBuilder().sql("SELECT DISTINCT CAST(").ident(column).sql(" AS VARCHAR) FROM ")
                .ident(object.apiName()).sql(" WHERE ").ident(column).sql(" IS NOT NULL AND (TRY_CAST(").ident(column)
                .sql(" AS " + ColumnTypes.of(target) + ") IS NULL");
        if (to == FieldKind.INTEGER && from.kind() == FieldKind.NUMBER) {
            query.sql(" OR ").ident(column).sql(" <> trunc(").ident(column).sql(")");
        } else if (to == FieldKind.INTEGER && ColumnTypes.of(from).equals("VARCHAR")) {
            query.sql(" OR NOT regexp_full_match(trim(").ident(column).sql("), '[+-]?[0-9]+')");
        }
        return tx.query(query.sql(") LIMIT ").bind(limit).build(), row -> row.getString(1));
    }

    /** Every distinct non-null value as text (list items one by one), for checks done in Java. */
    public List<String> distinctValues(Transaction tx, ObjectDef object, FieldDef field) {
        SqlBuilder query = new SqlBuilder().sql("SELECT DISTINCT CAST(");
        if (field.kind().isList()) {
            query.sql("unnest(").ident(field.column()).sql(")");
        } else {
            query.ident(field.column());
        }
        query.sql(" AS VARCHAR) AS v FROM ").ident(object.apiName()).where(Condition.isNotNull(field.column()));
        return tx.query(query.build(), row -> row.getString(1));
    }

    public long countRows(Transaction tx, ObjectDef object, Condition condition) {
        Sql sql = new SqlBuilder().sql("SELECT count(*) FROM ").ident(object.apiName()).where(condition).build();
        return tx.query(sql, row -> row.getLong(1)).get(0);
    }

    /** Up to {@code limit} values that more than one entry holds. */
    public List<String> duplicateValues(Transaction tx, ObjectDef object, FieldDef field, int limit) {
        Sql sql = new SqlBuilder().sql("SELECT CAST(").ident(field.column()).sql(" AS VARCHAR) FROM ")
                .ident(object.apiName()).where(Condition.isNotNull(field.column()))
                .sql(" GROUP BY ").ident(field.column()).sql(" HAVING count(*) > 1 LIMIT ").bind(limit).build();
        return tx.query(sql, row -> row.getString(1));
    }

    private static void convertedValue(SqlBuilder out, FieldDef from, FieldDef target) {
        FieldKind to = target.kind();
        if (from.kind().isList() && !to.isList()) {
            out.sql("array_to_string(").ident(from.column()).sql(", ', ')");
        } else if (!from.kind().isList() && to.isList()) {
            out.sql("CASE WHEN ").ident(from.column()).sql(" IS NULL THEN NULL ELSE [CAST(")
                    .ident(from.column()).sql(" AS VARCHAR)] END");
        } else if (to == FieldKind.EMAIL) {
            // Stored emails are lower-case, as every write makes them, so unique checks keep working.
            out.sql("lower(trim(CAST(").ident(from.column()).sql(" AS VARCHAR)))");
        } else {
            out.sql("CAST(").ident(from.column()).sql(" AS " + ColumnTypes.of(target) + ")");
        }
    }
}
