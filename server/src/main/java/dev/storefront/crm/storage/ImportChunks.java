package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts, checks and writes one chunk of a file in a handful of statements, whatever its size: one
 * {@code CREATE TEMP TABLE ... AS SELECT} that reads the chunk's rows with DuckDB's CSV reader, evaluates every source,
 * casts each text to its field's type, looks up relations, keys and unique values by joins and marks
 * each row's first problem; then a count, one {@code INSERT ... SELECT} of the new entries (with the
 * values their computed fields have while nothing links to them), one {@code UPDATE ... FROM} of the
 * changed ones (rows equal to their entry are left alone), and one read of the refused rows. Java sees only those.
 *
 * <p>The checks are those of a single write ({@link FieldValues}), expressed in SQL, one expression
 * each: email, phone and URL by regular expression, numbers, integers, dates and date-times by
 * {@code TRY_CAST} behind a pattern of the accepted forms, enum options by label, case-insensitively
 * or by GraphQL name; required, unique (in the table and within the chunk) and relation targets.
 * Within a chunk, a later row for the same entry replaces an earlier one, as one-by-one writes would.
 * Steps are materialized only where two later steps read them (finding repeated keys); a plan without
 * keys converts, checks and flags in one pass over the file.
 */
public final class ImportChunks {

    private static final String CHUNK = "crm_import_chunk";
    /** Whitespace trimmed off every cell, as Java's {@code strip()} does for ASCII: space, tab, LF, VT, FF, CR. */
    static final String SPACE = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)";
    /**
     * A phone number as {@link FieldValues} accepts it, in one pattern: digits and {@code + ( ) . / -} and
     * spaces, 7 to 15 digits before an optional extension ({@code x12}, {@code ext. 12}). Counting the
     * digits in the pattern is ten times faster than matching case-insensitively and counting them apart.
     */
    private static final String PHONE = "\\+?[ ()./-]*([0-9][ ()./-]*){7,15}(\\s*([xX]|[eE][xX][tT]\\.?)\\s*[0-9]{1,6})?";
    private static final String URL = "https?://[^\\s/?#]+([/?#]\\S*)?";
    private static final String INTEGER = "[+-]?[0-9]+";
    private static final String DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    // The parts of a date-time as the checks below accept it: a date, then a time in one of two forms, each with the
    // offsets that form takes.
    private static final String HOURS_MINUTES = "[0-9]{2}:[0-9]{2}";
    private static final String SECONDS = ":[0-9]{2}(\\.[0-9]+)?";
    /** ISO-8601's time, seconds optional: {@code T14:22}, {@code T14:22:07.5}. */
    private static final String ISO_TIME = "T" + HOURS_MINUTES + "(" + SECONDS + ")?";
    private static final String ISO_OFFSET = "(Z|[+-][0-9]{2}:[0-9]{2})";
    /** The time as SQL and spreadsheets write it, seconds required: {@code  14:22:07}. */
    private static final String SQL_TIME = " " + HOURS_MINUTES + SECONDS;
    /** Its offset, after an optional space, with or without a colon: {@code -0500}, {@code  +02:00}, {@code +02}. */
    private static final String SQL_OFFSET = "( ?[+-][0-9]{2}(:?[0-9]{2})?)";
    private static final String DATETIME = DATE + "(" + ISO_TIME + ISO_OFFSET + "?|" + SQL_TIME + SQL_OFFSET + "?)?";
    /** The forms of {@link #DATETIME} without an offset. */
    private static final String LOCAL_DATETIME = DATE + "(" + ISO_TIME + "|" + SQL_TIME + ")?";
    /** A time and its offset at the end of a date-time: {@code 03:00:00Z}, {@code 21:03:44-04:00}, {@code 14:22:07 -0500}. */
    private static final String OFFSET_AT_END = HOURS_MINUTES + "(" + SECONDS + ")? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$";
    private static final String WRITTEN = "\"problem\" IS NULL AND \"keep\"";
    /** A plan of items numbers the rows of record r from r << ITEM_BITS: up to a million items a record keep their order. */
    private static final int ITEM_BITS = 20;

    private final EntryStore store;
    private final RollupStore rollups;
    private final String timeZone;

    /** @param timeZone the store's time zone, in which computed dates of new entries and {@code day()} and {@code local()} sources are read */
    public ImportChunks(EntryStore store, RollupStore rollups, String timeZone) {
        this.store = store;
        this.rollups = rollups;
        this.timeZone = timeZone;
    }

    /**
     * Records {@code from} (inclusive, 1-based) to {@code to} (exclusive), read from the normalized
     * part file that holds them ({@link CsvStaging}), whose records have {@code columns} cells.
     * {@code computed} are the object's computed fields, filled for new entries as they insert. The
     * outcome's written ids are the entries updated: created ones need no recompute of their own.
     */
    public ChunkOutcome write(Transaction tx, ChunkPlan plan, List<ComputedColumn> computed, Path part, int columns, long from,
                              long to, OffsetDateTime now) {
        return write(tx, plan, computed, part, columns, from, to, now, true);
    }

    /**
     * As {@link #write(Transaction, ChunkPlan, List, Path, int, long, long, OffsetDateTime)}; {@code touched}
     * false leaves the outcome's written entries and links empty, for a caller that recomputes whole objects
     * later: reading them costs a join of the chunk with the whole table and every linked id into Java.
     */
    public ChunkOutcome write(Transaction tx, ChunkPlan plan, List<ComputedColumn> computed, Path part, int columns, long from,
                              long to, OffsetDateTime now, boolean touched) {
        return write(tx, plan, computed, sql -> {
            CsvStaging.readCsv(sql, part, columns);
            sql.sql(" WHERE \"rec\" >= ").bind(from).sql(" AND \"rec\" < ").bind(to);
        }, now, touched);
    }

    /** The rows of a chunk read from {@code rows} instead of a part file; {@code touched} as for a part file. */
    public ChunkOutcome write(Transaction tx, ChunkPlan plan, List<ComputedColumn> computed, ChunkRows rows, OffsetDateTime now,
                               boolean touched) {
        return write(tx, plan, computed, rows, now, touched, null);
    }

    /**
     * What the chunks of a file name in {@code table} ({@link #beginNaming}) so that, once all are written,
     * {@link #unnamedChildren} finds the stored children their parents no longer have: the parents the chunk writes
     * ({@code relation} null), or its rows' parent and first key value ({@code relation} the rows' relation to their
     * parent). Only parents stored before the file's first chunk are named: a parent the file made has no stored
     * children but the file's, so a first sync names none.
     */
    public record Naming(String table, FieldDef relation) {
    }

    /**
     * As {@link #write(Transaction, ChunkPlan, List, ChunkRows, OffsetDateTime, boolean)}, adding to {@code naming}'s
     * table what the chunk names (null: nothing).
     */
    public ChunkOutcome write(Transaction tx, ChunkPlan plan, List<ComputedColumn> computed, ChunkRows rows, OffsetDateTime now,
                              boolean touched, Naming naming) {
        List<Check> checks = checks(plan);
        tx.update(convert(plan, checks, rows));
        if (naming != null) {
            name(tx, plan, naming);
        }
        long[] counts = tx.query(new SqlBuilder().sql("SELECT count(*) FILTER (WHERE \"existing\" IS NULL),"
                + " count(*) FILTER (WHERE \"existing\" IS NOT NULL) FROM ").ident(CHUNK).sql(" WHERE ").sql(WRITTEN).build(),
                row -> new long[] {row.getLong(1), row.getLong(2)}).get(0);
        Map<String, Set<Long>> links = touched ? links(tx, plan) : Map.of();
        Set<Long> ids = counts[1] == 0 || !touched || plan.createOnly() ? Set.of() : new HashSet<>(tx.query(new SqlBuilder().sql("SELECT \"existing\" FROM ").ident(CHUNK)
                .sql(" WHERE ").sql(WRITTEN).sql(" AND \"existing\" IS NOT NULL").build(), row -> row.getLong(1)));
        if (counts[0] > 0) {
            tx.update(insert(plan, computed, store.reserveIds(tx, plan.object(), counts[0]), now));
        }
        long updated = counts[1] == 0 || plan.createOnly() ? 0 : tx.update(update(plan, now));
        List<ChunkOutcome.Problem> problems = tx.query(problems(plan, checks), row -> {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < plan.rules().size(); i++) {
                texts.add(row.getString(6 + i));
            }
            Check check = checks.get(row.getInt(3));
            long ref = row.getLong(5);
            return new ChunkOutcome.Problem(row.getLong(1), row.getLong(2), check.kind, row.getInt(4), check.field,
                    row.wasNull() ? null : ref, texts);
        });
        tx.update(new SqlBuilder().sql("DROP TABLE ").ident(CHUNK).build());
        return new ChunkOutcome(counts[0], updated, counts[1] - updated, problems, new BulkWrite(ids, links));
    }

    /**
     * Whether {@code rows} hold a row {@code plan} reads, its condition ({@code when}) kept; of a plan of items, whether
     * they hold a row at all. A caller writing several plans a chunk, some of them empty in most chunks, skips those:
     * the convert and the statements around it cost ~0.1 s CPU and more wall even over no rows.
     */
    public boolean reads(Transaction tx, ChunkPlan plan, ChunkRows rows) {
        SqlBuilder sql = new SqlBuilder().sql("SELECT EXISTS (SELECT 1 FROM ");
        rows.select(sql);
        if (plan.items() == null) {
            whenHolds(sql, plan, " AND ");
        }
        return tx.query(sql.sql(")").build(), row -> row.getBoolean(1)).get(0);
    }

    /** The plan's row condition ({@code when}), if it has one, joined to the selection by {@code joiner}. */
    private void whenHolds(SqlBuilder sql, ChunkPlan plan, String joiner) {
        if (plan.when() != null) {
            sql.sql(joiner);
            cell(sql, plan.when());
            sql.sql(" IS NOT NULL");
        }
    }

    /**
     * Makes the table of {@link Naming} for the children {@code plan} writes through {@code relation}, and keeps beside it
     * the last id of their parents stored now; a file resumed after a restart finds both as its first chunk made them.
     */
    public static void beginNaming(Transaction tx, ChunkPlan plan, FieldDef relation, String table) {
        ObjectDef parents = plan.rules().get(parentRule(plan, relation)).target();
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS ").ident(bound(table)).sql(" AS SELECT coalesce(max(\"id\"), 0) AS \"bound\""
                + " FROM ").ident(parents.apiName()).build());
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS ").ident(table).sql(" (\"parent\" BIGINT, \"key\" ")
                .sql(ColumnTypes.of(plan.keys().get(0))).sql(")").build());
    }

    /**
     * The stored children of the parents named in {@code table} ({@link Naming}) that hold a value of the plan's first key
     * no row of the file gave: those their parents no longer have. Children without a key value (made in the CRM) are
     * never among them.
     */
    public List<Long> unnamedChildren(Transaction tx, ChunkPlan plan, FieldDef relation, String table) {
        parentRule(plan, relation);
        String key = plan.keys().get(0).column();
        return tx.query(new SqlBuilder().sql("SELECT \"id\" FROM ").ident(plan.object().apiName()).sql(" WHERE ").ident(relation.column())
                .sql(" IN (SELECT \"parent\" FROM ").ident(table).sql(" WHERE \"key\" IS NULL) AND ").ident(key).sql(" IS NOT NULL AND ")
                .ident(key).sql(" NOT IN (SELECT \"key\" FROM ").ident(table).sql(" WHERE \"key\" IS NOT NULL)").build(), row -> row.getLong(1));
    }

    /** Drops the tables of {@link #beginNaming}. */
    public static void endNaming(Transaction tx, String table) {
        for (String name : List.of(table, bound(table))) {
            tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(name).build());
        }
    }

    /**
     * Adds what the chunk names to the table of {@link Naming}: a written parent (a refused one keeps its children), or
     * each row's parent and key, refused rows too (a refused line's stored copy stays as it was).
     *
     * <p>A full re-sync of a store that holds every parent so records a row per child of the file, and that is needed: a
     * stale child is a stored one, under a named parent, whose key no row of the file gave. The key is computed here by the
     * convert (an expression over the staged row, e.g. {@code concat(<shop>, id)}) and a child the file leaves unchanged is
     * not written, so nothing on the stored rows says the file named it; the chunk's table, dropped after each range, is
     * the one place that knows, so each range keeps one fact per child of a stored parent until the file's end. Naming
     * only the parents the file changed (a Shopify edit that removes a line bumps its order's {@code updatedAt}) would
     * record nothing on a re-sync of an unchanged store, but the re-sync would then no longer end equal to the store: a
     * child left by an earlier run under a parent stored as it is now (a run interrupted after its parents' range and
     * not resumed; a deletion refused, reported and retried by the next run) would stay for good. Counting children per
     * parent finds the parents that lost some but not which, short of converting their rows again at the end; the matched
     * stored child's id instead of (parent, key) narrows each row but keeps their number.
     */
    private static void name(Transaction tx, ChunkPlan plan, Naming naming) {
        SqlBuilder sql = new SqlBuilder().sql("INSERT INTO ").ident(naming.table()).sql(" SELECT ");
        if (naming.relation() == null) {
            sql.sql("\"existing\", NULL FROM ").ident(CHUNK).sql(" WHERE ").sql(WRITTEN).sql(" AND \"existing\"");
        } else {
            String parent = "w" + parentRule(plan, naming.relation());
            String key = "w" + ruleOf(plan, plan.keys().get(0));
            sql.ident(parent).sql(", ").ident(key).sql(" FROM ").ident(CHUNK).sql(" WHERE ").ident(key).sql(" IS NOT NULL AND ").ident(parent);
        }
        tx.update(sql.sql(" <= (SELECT \"bound\" FROM ").ident(bound(naming.table())).sql(")").build());
    }

    private static String bound(String table) {
        return table + "_bound";
    }

    /** The rule of the relation to a row's parent, for a plan whose rows are all their parents' children. */
    private static int parentRule(ChunkPlan plan, FieldDef replaces) {
        int parent = ruleOf(plan, replaces);
        if (parent < 0 || plan.keys().isEmpty()) {
            throw new IllegalArgumentException("A mapping of " + plan.object().apiName() + " replaces the children of its "
                    + replaces.apiName() + " only when it maps that relation and has keys");
        }
        return parent;
    }

    /**
     * Per relation field of the object, the entries its written rows link to: the value a row writes
     * and, for a row that updates an entry, the entry's value before (read here, ahead of the update).
     */
    private static Map<String, Set<Long>> links(Transaction tx, ChunkPlan plan) {
        ObjectDef object = plan.object();
        Map<String, Set<Long>> links = new HashMap<>();
        for (FieldDef field : object.fields()) {
            if (!field.isRelation()) {
                continue;
            }
            SqlBuilder sql = new SqlBuilder().sql("SELECT DISTINCT \"k\" FROM (SELECT t.").ident(field.column()).sql(" AS \"k\" FROM ")
                    .ident(object.apiName()).sql(" AS t JOIN ").ident(CHUNK).sql(" AS c ON t.\"id\" = c.\"existing\" WHERE c.\"problem\" IS NULL"
                            + " AND c.\"keep\"");
            int rule = ruleOf(plan, field);
            if (rule >= 0) {
                sql.sql(" UNION ALL SELECT ").ident("w" + rule).sql(" FROM ").ident(CHUNK).sql(" WHERE ").sql(WRITTEN);
            }
            links.put(field.apiName(), new HashSet<>(tx.query(sql.sql(") WHERE \"k\" IS NOT NULL").build(), row -> row.getLong(1))));
        }
        return links;
    }

    /**
     * The chunk's rows, converted and checked, as {@code crm_import_chunk}: record and line, the
     * entry a row updates ({@code existing}), whether it is the row written for its entry ({@code keep}),
     * each rule's source text ({@code t<i>}) and stored value ({@code w<i>}), and the index of its first
     * failed check ({@code problem}) with what the report of that check reads.
     */
    private Sql convert(ChunkPlan plan, List<Check> checks, ChunkRows rows) {
        List<ChunkPlan.Rule> rules = plan.rules();
        // "src" and "conv" are read again by each lookup below for two columns: recomputing them costs less than
        // materializing every column of the chunk, which DuckDB would otherwise do for a CTE read several times.
        SqlBuilder sql = new SqlBuilder().sql("CREATE TEMP TABLE ").ident(CHUNK).sql(" AS WITH \"src\" AS NOT MATERIALIZED (SELECT ")
                .sql(plan.items() == null ? "\"rec\"" : "(\"rec\" << " + ITEM_BITS + ") + \"k\" AS \"rec\"").sql(", \"line\"");
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(", ");
            cell(sql, rules.get(i).source());
            sql.sql(" AS ").ident("t" + i);
        }
        sql.sql(" FROM ");
        if (plan.items() == null) {
            rows.select(sql);
        } else {
            itemRows(sql, plan.items(), rows);
        }
        whenHolds(sql, plan, plan.items() == null ? " AND " : " WHERE ");
        sql.sql("), \"conv\" AS NOT MATERIALIZED (SELECT *");
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(", ");
            typed(sql, rules.get(i), "t" + i);
            sql.sql(" AS ").ident("v" + i);
        }
        sql.sql(" FROM \"src\"), \"linked\" AS (SELECT \"conv\".*");
        for (int i = 0; i < rules.size(); i++) {
            if (joins(plan, rules.get(i))) {
                sql.sql(", ").ident("j" + i).sql(".\"id\" AS ").ident("h" + i);
            }
        }
        sql.sql(" FROM \"conv\"");
        for (int i = 0; i < rules.size(); i++) {
            ChunkPlan.Rule rule = rules.get(i);
            if (joins(plan, rule)) {
                ObjectDef table = rule.target() != null ? rule.target() : plan.object();
                String column = rule.target() == null || rule.via() != null ? rule.readAs().column() : "id";
                lookup(sql, table, column, "v" + i, "j" + i);
            }
        }
        boolean keyed = !plan.keys().isEmpty();
        // Read twice below when the plan has keys (to find repeated ones), so computed once.
        sql.sql("), \"flagged\" AS ").sql(keyed ? "MATERIALIZED " : "").sql("(SELECT *, ");
        firstRule(sql, rules, i -> "\"t" + i + "\" IS NOT NULL AND \"v" + i + "\" IS NULL", i -> true);
        sql.sql(" AS \"bad_value\", ");
        firstRule(sql, rules, i -> "\"v" + i + "\" IS NOT NULL AND \"h" + i + "\" IS NULL",
                i -> rules.get(i).target() != null && !rules.get(i).optional());
        sql.sql(" AS \"bad_link\", ");
        existing(sql, plan);
        sql.sql(" AS \"existing\"");
        if (keyed) {
            sql.sql(", ");
            identity(sql, plan);
            sql.sql(" AS \"identity\"");
        }
        sql.sql(" FROM \"linked\"), ");
        List<Integer> duplicates = duplicateChecked(plan);
        if (keyed) {
            // Rows for the same entry: only the last of them is written. Grouping finds them without sorting the chunk.
            sql.sql("\"repeated\" AS (SELECT \"identity\", max(\"rec\") AS \"last\" FROM \"flagged\" WHERE \"bad_value\" IS NULL"
                    + " AND \"bad_link\" IS NULL AND \"identity\" IS NOT NULL GROUP BY \"identity\" HAVING count(*) > 1), \"kept\" AS ")
                    .sql(duplicates.isEmpty() ? "" : "MATERIALIZED ")
                    .sql("(SELECT \"flagged\".*, \"bad_value\" IS NULL AND \"bad_link\" IS NULL AND (\"repeated\".\"last\" IS NULL"
                    + " OR \"repeated\".\"last\" = \"rec\") AS \"keep\" FROM \"flagged\""
                    + " LEFT JOIN \"repeated\" ON \"repeated\".\"identity\" = \"flagged\".\"identity\")");
        } else {
            sql.sql("\"kept\" AS (SELECT *, \"bad_value\" IS NULL AND \"bad_link\" IS NULL AS \"keep\" FROM \"flagged\")");
        }
        for (int i : duplicates) {
            sql.sql(", ").ident("dup" + i).sql(" AS (SELECT ").ident("v" + i).sql(" AS \"value\", min(\"rec\") AS \"first\" FROM \"kept\""
                    + " WHERE \"keep\" AND ").ident("v" + i).sql(" IS NOT NULL GROUP BY ").ident("v" + i).sql(" HAVING count(*) > 1)");
        }
        sql.sql(", \"checked\" AS (SELECT \"kept\".*");
        for (int i : duplicates) {
            sql.sql(", ").ident("dup" + i).sql(".\"first\" AS ").ident("first" + i);
        }
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(", ");
            written(sql, plan, i);
            sql.sql(" AS ").ident("w" + i);
        }
        sql.sql(" FROM \"kept\"");
        for (int i : duplicates) {
            sql.sql(" LEFT JOIN ").ident("dup" + i).sql(" ON ").ident("dup" + i).sql(".\"value\" = \"kept\".").ident("v" + i)
                    .sql(" AND \"kept\".\"keep\"");
        }
        sql.sql(") SELECT \"rec\", \"line\", \"existing\", \"keep\", \"bad_value\", \"bad_link\"");
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(", ").ident("t" + i).sql(", ").ident("w" + i);
            if (unique(rules.get(i))) {
                sql.sql(", ").ident("h" + i);
            }
        }
        for (int i : duplicates) {
            sql.sql(", ").ident("first" + i);
        }
        sql.sql(", CASE");
        for (int i = 0; i < checks.size(); i++) {
            sql.sql(" WHEN " + checks.get(i).condition + " THEN " + i);
        }
        return sql.sql(" END AS \"problem\" FROM \"checked\"").build();
    }

    /**
     * {@code LEFT JOIN}s, as {@code alias}, the id of the stored row of {@code table} whose {@code column} holds the row's
     * {@code value}. Joined to the whole table, DuckDB built its hash table over every stored value of the column, for
     * each chunk: with 1.1M orders, 75% of an orders page's convert (bench/NOTES.md, twelfth session); found by
     * {@code IN}, it estimated them as many as the table's rows and built the outer join on the chunk's whole rows, every
     * text and typed value (60% of a 250,000-order convert's CPU, thirteenth session). So the stored rows are found by an
     * inner join with the chunk's record numbers and values alone (two columns, the smaller side, which DuckDB builds on
     * while the table's scan skips the row groups the values exclude), and each row takes its id back by its record
     * number, unique in a chunk: an integer join in place of a second join on the text and the {@code DISTINCT} before
     * the first (an orders chunk's email lookup by hand, twentieth session).
     */
    private static void lookup(SqlBuilder sql, ObjectDef table, String column, String value, String alias) {
        sql.sql(" LEFT JOIN (SELECT \"k\".\"rec\", \"t\".\"id\" FROM (SELECT \"rec\", ").ident(value).sql(" FROM \"conv\") AS \"k\" JOIN ")
                .ident(table.apiName()).sql(" AS \"t\" ON \"t\".").ident(column).sql(" = \"k\".").ident(value).sql(") AS ").ident(alias)
                .sql(" ON ").ident(alias).sql(".\"rec\" = \"conv\".\"rec\"");
    }

    /**
     * One reason a row is refused, in the order they are tried. {@code rule} and {@code ref} are SQL
     * over the chunk table's columns, read only for refused rows; {@code field} is the field at fault,
     * or null when the rule names it.
     */
    private record Check(String condition, ChunkOutcome.Kind kind, String rule, String field, String ref) {
    }

    private static List<Check> checks(ChunkPlan plan) {
        List<Check> checks = new ArrayList<>();
        List<ChunkPlan.Rule> rules = plan.rules();
        List<Integer> duplicates = duplicateChecked(plan);
        checks.add(new Check("\"bad_value\" IS NOT NULL", ChunkOutcome.Kind.VALUE, "\"bad_value\"", null, "NULL"));
        checks.add(new Check("\"bad_link\" IS NOT NULL", ChunkOutcome.Kind.NOT_FOUND, "\"bad_link\"", null, "NULL"));
        for (int i = 0; i < rules.size(); i++) {
            if (duplicates.contains(i)) {
                checks.add(new Check("\"keep\" AND \"v" + i + "\" IS NOT NULL AND \"first" + i + "\" < \"rec\"",
                        ChunkOutcome.Kind.DUPLICATE, String.valueOf(i), null, record(plan, "\"first" + i + "\"")));
            }
            if (unique(rules.get(i))) {
                checks.add(new Check("\"keep\" AND \"h" + i + "\" IS NOT NULL AND \"h" + i + "\" IS DISTINCT FROM \"existing\"",
                        ChunkOutcome.Kind.TAKEN, String.valueOf(i), null, "\"h" + i + "\""));
            }
        }
        for (FieldDef field : plan.object().fields()) {
            int rule = ruleOf(plan, field);
            if (field.required() && rule >= 0) {
                checks.add(new Check("\"keep\" AND \"w" + rule + "\" IS NULL", ChunkOutcome.Kind.REQUIRED, String.valueOf(rule),
                        field.apiName(), "NULL"));
            } else if (field.required() && field.defaultValue() == null) {
                checks.add(new Check("\"keep\" AND \"existing\" IS NULL", ChunkOutcome.Kind.REQUIRED, "-1", field.apiName(), "NULL"));
            }
        }
        return checks;
    }

    /**
     * The unique rules whose values may repeat among the rows kept: all of them, except the plan's only
     * key, whose repeats already collapse into one kept row for one entry.
     */
    private static List<Integer> duplicateChecked(ChunkPlan plan) {
        List<Integer> rules = new ArrayList<>();
        for (int i = 0; i < plan.rules().size(); i++) {
            ChunkPlan.Rule rule = plan.rules().get(i);
            if (unique(rule) && !(plan.keys().size() == 1 && plan.keys().get(0).apiName().equals(rule.field().apiName()))) {
                rules.add(i);
            }
        }
        return rules;
    }

    /**
     * The new entries, ids in record order: the inner select names each field's value by its column,
     * so the computed fields' values for a new entry read them as they read a stored row.
     */
    private Sql insert(ChunkPlan plan, List<ComputedColumn> computed, long firstId, OffsetDateTime now) {
        ObjectDef object = plan.object();
        List<String> stored = new ArrayList<>(List.of("id", "created_at", "updated_at"));
        object.fields().stream().filter(field -> !field.isComputed()).forEach(field -> stored.add(field.column()));
        SqlBuilder sql = new SqlBuilder().sql("INSERT INTO ").ident(object.apiName()).sql(" (").idents(stored);
        computed.forEach(column -> sql.sql(", ").ident(column.field().column()));
        sql.sql(") SELECT ").idents(stored);
        rollups.appendNewEntryValues(sql, computed, timeZone);
        // The new rows are numbered by sorting their record numbers alone, then joined back: sorting the chunk's
        // whole rows (every text twice, as read and as written) cost ~0.25 s CPU per 250,000 orders more.
        sql.sql(" FROM (SELECT ").bind(firstId).sql(" - 1 + \"n\" AS \"id\", ").bind(now)
                .sql(" AS \"created_at\", ").bind(now).sql(" AS \"updated_at\"");
        for (FieldDef field : object.fields()) {
            if (field.isComputed()) {
                continue;
            }
            int rule = ruleOf(plan, field);
            sql.sql(", ");
            if (rule >= 0) {
                sql.ident("w" + rule);
            } else {
                defaultValue(sql, field);
            }
            sql.sql(" AS ").ident(field.column());
        }
        return sql.sql(" FROM ").ident(CHUNK).sql(" JOIN (SELECT \"rec\", row_number() OVER (ORDER BY \"rec\") AS \"n\" FROM ").ident(CHUNK)
                .sql(" WHERE ").sql(WRITTEN).sql(" AND \"existing\" IS NULL) USING (\"rec\")) AS ").ident(RollupStore.ROW).build();
    }

    private Sql update(ChunkPlan plan, OffsetDateTime now) {
        String table = plan.object().apiName();
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(table).sql(" SET \"updated_at\" = ").bind(now);
        List<ChunkPlan.Rule> rules = plan.rules();
        for (int i = 0; i < rules.size(); i++) {
            if (writes(plan, i)) {
                sql.sql(", ").ident(rules.get(i).field().column()).sql(" = ");
                updated(sql, plan, table, i);
            }
        }
        // Rows in id order, which is the table's order for entries created in id order: DuckDB updates
        // rows that arrive in storage order ~10x faster than in a file's order.
        sql.sql(" FROM (SELECT * FROM ").ident(CHUNK).sql(" WHERE ").sql(WRITTEN).sql(" AND \"existing\" IS NOT NULL ORDER BY \"existing\")"
                + " AS \"c\" WHERE ").ident(table).sql(".\"id\" = \"c\".\"existing\" AND (");
        String or = "";
        for (int i = 0; i < rules.size(); i++) {
            if (writes(plan, i)) {
                sql.sql(or).ident(table).sql(".").ident(rules.get(i).field().column()).sql(" IS DISTINCT FROM ");
                updated(sql, plan, table, i);
                or = " OR ";
            }
        }
        return sql.sql(")").build();
    }

    /** The value rule {@code i} gives an updated entry of {@code table}: the row's, or with {@code keepStored} the stored one when the row's is empty. */
    private static void updated(SqlBuilder sql, ChunkPlan plan, String table, int i) {
        if (plan.keepStored()) {
            sql.sql("coalesce(\"c\".").ident("w" + i).sql(", ").ident(table).sql(".").ident(plan.rules().get(i).field().column()).sql(")");
        } else {
            sql.sql("\"c\".").ident("w" + i);
        }
    }

    /** The refused rows: record, line, check, the rule at fault, the check's reference, then every rule's text. */
    private static Sql problems(ChunkPlan plan, List<Check> checks) {
        SqlBuilder sql = new SqlBuilder().sql("SELECT ").sql(record(plan, "\"rec\"")).sql(", \"line\", \"problem\", ");
        byCheck(sql, checks, Check::rule);
        sql.sql(", ");
        byCheck(sql, checks, Check::ref);
        for (int i = 0; i < plan.rules().size(); i++) {
            sql.sql(", ").ident("t" + i);
        }
        return sql.sql(" FROM ").ident(CHUNK).sql(" WHERE \"problem\" IS NOT NULL ORDER BY \"rec\"").build();
    }

    private static void byCheck(SqlBuilder sql, List<Check> checks, java.util.function.Function<Check, String> part) {
        sql.sql("CASE \"problem\"");
        for (int i = 0; i < checks.size(); i++) {
            sql.sql(" WHEN " + i + " THEN " + part.apply(checks.get(i)));
        }
        sql.sql(" END");
    }

    /** A relation is checked against its target; a unique field against the entries that hold its value. */
    private static boolean joins(ChunkPlan plan, ChunkPlan.Rule rule) {
        return rule.target() != null || unique(rule);
    }

    private static boolean unique(ChunkPlan.Rule rule) {
        return rule.via() == null && rule.target() == null && rule.field().unique();
    }

    private static int ruleOf(ChunkPlan plan, FieldDef field) {
        for (int i = 0; i < plan.rules().size(); i++) {
            if (plan.rules().get(i).field().apiName().equals(field.apiName())) {
                return i;
            }
        }
        return -1;
    }

    private interface RuleText {
        String of(int rule);
    }

    private interface RuleFilter {
        boolean test(int rule);
    }

    /** {@code CASE WHEN <condition of rule 0> THEN 0 WHEN ... END}: the first rule whose condition holds. */
    private static void firstRule(SqlBuilder sql, List<ChunkPlan.Rule> rules, RuleText condition, RuleFilter applies) {
        sql.sql("CASE");
        boolean any = false;
        for (int i = 0; i < rules.size(); i++) {
            if (applies.test(i)) {
                sql.sql(" WHEN " + condition.of(i) + " THEN " + i);
                any = true;
            }
        }
        sql.sql(any ? " END" : " WHEN FALSE THEN 0 END");
    }

    /** The id of the entry a row updates: the entry holding its first key value that is one. */
    private static void existing(SqlBuilder sql, ChunkPlan plan) {
        sql.sql("coalesce(CAST(NULL AS BIGINT)");
        for (FieldDef key : plan.keys()) {
            sql.sql(", ").ident("h" + ruleOf(plan, key));
        }
        sql.sql(")");
    }

    /**
     * What makes two rows of a chunk the same entry: the entry they update, else their first key
     * value; with one key, its value alone (the entry it finds follows from it).
     */
    private static void identity(SqlBuilder sql, ChunkPlan plan) {
        if (plan.keys().size() == 1) {
            sql.ident("v" + ruleOf(plan, plan.keys().get(0)));
            return;
        }
        sql.sql("CASE WHEN \"existing\" IS NOT NULL THEN 'id:' || CAST(\"existing\" AS VARCHAR)");
        for (FieldDef key : plan.keys()) {
            int rule = ruleOf(plan, key);
            sql.sql(" WHEN ").ident("v" + rule).sql(" IS NOT NULL THEN '" + rule + ":' || CAST(").ident("v" + rule).sql(" AS VARCHAR)");
        }
        sql.sql(" END");
    }

    /**
     * The stored value: the linked id for a relation by value (of a relation several optional rules fill, the
     * first they find), else the typed value; empty means the field's default.
     */
    private static void written(SqlBuilder sql, ChunkPlan plan, int index) {
        ChunkPlan.Rule rule = plan.rules().get(index);
        List<String> values = new ArrayList<>();
        for (int i = index; i < plan.rules().size(); i++) {
            if (i == index || rule.optional() && plan.rules().get(i).field().apiName().equals(rule.field().apiName())) {
                values.add(rule.via() != null ? "\"h" + i + "\"" : "\"v" + i + "\"");
            }
        }
        if (values.size() == 1 && rule.field().defaultValue() == null) {
            sql.sql(values.get(0));
            return;
        }
        sql.sql("coalesce(" + String.join(", ", values));
        if (rule.field().defaultValue() != null) {
            sql.sql(", ");
            defaultValue(sql, rule.field());
        }
        sql.sql(")");
    }

    /** Whether rule {@code index} writes its field: not when an earlier rule fills the same relation (optional links). */
    private static boolean writes(ChunkPlan plan, int index) {
        return ruleOf(plan, plan.rules().get(index).field()) == index;
    }

    private static void defaultValue(SqlBuilder sql, FieldDef field) {
        sql.sql("CAST(").bind(FieldValues.toText(field.defaultValue())).sql(" AS VARCHAR)").sql(ColumnTypes.castFromText(field));
    }

    /** The text of a source, NULL when empty; staged cells are already trimmed (see {@link CsvStaging}). */
    private void cell(SqlBuilder sql, CellSource source) {
        if (source instanceof CellSource.Column column) {
            sql.ident("c" + column.index());
        } else if (source instanceof CellSource.Literal literal) {
            String text = literal.text().strip();
            if (text.isEmpty()) {
                sql.sql("CAST(NULL AS VARCHAR)");
            } else {
                sql.sql("CAST(").bind(text).sql(" AS VARCHAR)");
            }
        } else if (source instanceof CellSource.Joined joined) {
            call(sql, "nullif(concat_ws(' ', ", joined.parts(), ", ");
            sql.sql(", '')");
        } else if (source instanceof CellSource.FirstOf first) {
            call(sql, "coalesce(", first.parts(), ", ");
        } else if (source instanceof CellSource.Concat concat) {
            call(sql, "(", concat.parts(), " || ");
        } else if (source instanceof CellSource.NullIf nullIf) {
            sql.sql("nullif(");
            cell(sql, nullIf.source());
            sql.sql(", CAST(").bind(nullIf.value()).sql(" AS VARCHAR))");
        } else if (source instanceof CellSource.TrimStart trim) {
            sql.sql("nullif(ltrim(");
            cell(sql, trim.source());
            sql.sql(", CAST(").bind(trim.characters()).sql(" AS VARCHAR)), '')");
        } else if (source instanceof CellSource.Translate translate) {
            translate(sql, translate.source(), translate.values());
            sql.sql(" ELSE ");
            cell(sql, translate.source());
            sql.sql(" END");
        } else if (source instanceof CellSource.IfPresent present) {
            sql.sql("CASE WHEN ");
            cell(sql, present.source());
            sql.sql(" IS NOT NULL THEN CAST(").bind(present.text()).sql(" AS VARCHAR) END");
        } else if (source instanceof CellSource.Unless unless) {
            sql.sql("CASE WHEN ");
            cell(sql, unless.present());
            sql.sql(" IS NULL THEN ");
            cell(sql, unless.source());
            sql.sql(" END");
        } else if (source instanceof CellSource.Pick pick) {
            translate(sql, pick.source(), pick.values());
            sql.sql(" END");
        } else if (source instanceof CellSource.Money money) {
            money(sql, money.source());
        } else if (source instanceof CellSource.LocalTime local) {
            localTime(sql, local);
        } else if (source instanceof CellSource.StoreDay day) {
            storeDay(sql, day.source());
        } else if (source instanceof CellSource.ItemField field) {
            itemField(sql, field.key(), "\"item\"");
        } else if (source instanceof CellSource.OnLowestItem lowest) {
            onLowestItem(sql, lowest);
        } else if (source instanceof CellSource.Quotient quotient) {
            quotient(sql, quotient);
        }
    }

    /**
     * A text of the offset-less forms {@link #DATETIME} accepts, read as a time in the zone (the store's when
     * the source names none) and written back in UTC ({@code ...Z}); any other text unchanged. In a zone that
     * is UTC, the text as it is.
     */
    private void localTime(SqlBuilder sql, CellSource.LocalTime local) {
        String zone = local.zone() != null ? local.zone() : timeZone;
        if (zone.equals("UTC")) {
            cell(sql, local.source());
            return;
        }
        sql.sql("CASE WHEN regexp_full_match(");
        cell(sql, local.source());
        sql.sql(", ").bind(LOCAL_DATETIME).sql(") THEN coalesce(strftime(timezone('UTC', timezone(").bind(zone)
                .sql(", TRY_CAST(");
        cell(sql, local.source());
        sql.sql(" AS TIMESTAMP))), '%Y-%m-%dT%H:%M:%S.%fZ'), ");
        cell(sql, local.source());
        sql.sql(") ELSE ");
        cell(sql, local.source());
        sql.sql(" END");
    }

    /**
     * The day in the store's time zone of a date-time with an offset ({@code 2026-03-01T03:00:00Z} is
     * 2026-02-28 in Los Angeles); other text, a bare date or a local date-time, passes unchanged.
     */
    private void storeDay(SqlBuilder sql, CellSource source) {
        sql.sql("CASE WHEN regexp_matches(");
        cell(sql, source);
        sql.sql(", ").bind(OFFSET_AT_END).sql(") THEN coalesce(strftime(timezone(").bind(timeZone).sql(", TRY_CAST(regexp_replace(");
        cell(sql, source);
        sql.sql(", ' ?([+-][0-9]{2}):?([0-9]{2})$', '\\1:\\2') AS TIMESTAMPTZ)), '%Y-%m-%d'), ");
        cell(sql, source);
        sql.sql(") ELSE ");
        cell(sql, source);
        sql.sql(" END");
    }

    /**
     * The rows of a plan of items: each row of {@code rows} once per item of its {@code items} cell, numbered
     * {@code k} from 0, with the item's text as {@code item}. A cell that is a JSON array holds one JSON text per item
     * (an element that is not an object has no fields); a cell that starts with {@code [} but is no valid JSON is one
     * item, which has none either. In any other cell, the list's escaped separators ({@code \\; \\| \\:}) stand in as
     * control characters until an item's field is read ({@link #itemField}).
     */
    private void itemRows(SqlBuilder sql, CellSource items, ChunkRows rows) {
        sql.sql("(SELECT *, unnest(\"items\") AS \"item\", unnest(range(len(\"items\"))) AS \"k\" FROM (SELECT *, CASE WHEN starts_with(");
        cell(sql, items);
        sql.sql(", '[') THEN (CASE WHEN json_valid(");
        cell(sql, items);
        sql.sql(") THEN CAST(json_extract(");
        cell(sql, items);
        sql.sql(", '$[*]') AS VARCHAR[]) ELSE [");
        cell(sql, items);
        sql.sql("] END) ELSE list_filter(list_transform(string_split(replace(replace(replace(");
        cell(sql, items);
        sql.sql(", '\\;', chr(1)), '\\|', chr(2)), '\\:', chr(3)), ';'), lambda s: trim(s, " + SPACE + ")), lambda s: s <> '') END AS \"items\" FROM ");
        rows.select(sql);
        sql.sql("))");
    }

    /**
     * Field {@code key} of {@code item}, an item's text: a JSON object's member (the Customer/Order/Coupon Export writes a
     * quote inside one as {@code &quot;}), else {@code key:value} between {@code |}, its escaped separators as written.
     */
    private static void itemField(SqlBuilder sql, String key, String item) {
        sql.sql("nullif(trim(CASE WHEN starts_with(" + item + ", '{') THEN replace(json_extract_string(" + item + ", ").bind("$.\"" + key + "\"")
                .sql("), '&quot;', '\"') ELSE replace(replace(replace(regexp_extract('|' || " + item + ", ").bind("\\|\\Q" + key + "\\E:([^|]*)")
                .sql(", 1), chr(1), ';'), chr(2), '|'), chr(3), ':') END, " + SPACE + "), '')");
    }

    /** The source on the row whose item's {@code key} is the lowest number of those of the items of its cell ({@code "items"}). */
    private void onLowestItem(SqlBuilder sql, CellSource.OnLowestItem lowest) {
        sql.sql("CASE WHEN TRY_CAST(");
        itemField(sql, lowest.key(), "\"item\"");
        sql.sql(" AS DECIMAL(38,4)) = list_min(list_transform(\"items\", lambda i: TRY_CAST(");
        itemField(sql, lowest.key(), "i");
        sql.sql(" AS DECIMAL(38,4)))) THEN ");
        cell(sql, lowest.source());
        sql.sql(" END");
    }

    /** The record number of a row's {@code rec}: in a plan of items, the items of record r are numbered r << ITEM_BITS and on. */
    private static String record(ChunkPlan plan, String rec) {
        return plan.items() == null ? rec : "(" + rec + " >> " + ITEM_BITS + ")";
    }

    /** {@code CASE lower(source) WHEN from THEN to ...}, left open for what other values become. */
    private void translate(SqlBuilder sql, CellSource source, Map<String, String> values) {
        sql.sql("CASE lower(");
        cell(sql, source);
        sql.sql(")");
        values.forEach((from, to) -> sql.sql(" WHEN ").bind(from.toLowerCase(Locale.ROOT)).sql(" THEN ").bind(to));
    }

    /** {@code open} part separator part ... {@code )}. */
    private void call(SqlBuilder sql, String open, List<CellSource> parts, String separator) {
        sql.sql(open);
        for (int i = 0; i < parts.size(); i++) {
            sql.sql(i == 0 ? "" : separator);
            cell(sql, parts.get(i));
        }
        sql.sql(")");
    }

    /**
     * Sign, then the digits before the decimal separator, then {@code .} and the one or two digits after
     * it; text without digits passes unchanged, so the number check refuses it by its own words.
     */
    private void money(SqlBuilder sql, CellSource source) {
        sql.sql("CASE WHEN regexp_matches(");
        cell(sql, source);
        sql.sql(", '[0-9]') THEN (CASE WHEN regexp_matches(");
        cell(sql, source);
        sql.sql(", '-|\\(') THEN '-' ELSE '' END) || regexp_replace(regexp_extract(regexp_replace(");
        cell(sql, source);
        sql.sql(", '[^0-9.,]', '', 'g'), '^(.*?)([.,][0-9]{1,2})?$', 1), '[.,]', '', 'g') || replace(regexp_extract(regexp_replace(");
        cell(sql, source);
        sql.sql(", '[^0-9.,]', '', 'g'), '[.,][0-9]{1,2}$'), ',', '.') ELSE ");
        cell(sql, source);
        sql.sql(" END");
    }

    /** The dividend over the divisor when both are numbers, as text; else the dividend's text, for the number check to refuse. */
    private void quotient(SqlBuilder sql, CellSource.Quotient quotient) {
        sql.sql("coalesce(CAST(round(TRY_CAST(");
        cell(sql, quotient.dividend());
        sql.sql(" AS DECIMAL(18,4)) / nullif(TRY_CAST(");
        cell(sql, quotient.divisor());
        sql.sql(" AS DECIMAL(18,4)), 0), 4) AS VARCHAR), ");
        cell(sql, quotient.dividend());
        sql.sql(")");
    }

    /** The text of {@code column} as the type of the rule's field, NULL when it is empty or not a value of it. */
    private static void typed(SqlBuilder sql, ChunkPlan.Rule rule, String column) {
        FieldDef field = rule.readAs();
        String x = "\"" + column + "\"";
        switch (field.kind()) {
            case TEXT, RICHTEXT -> sql.sql(x);
            case EMAIL -> sql.sql("CASE WHEN regexp_full_match(" + x + ", ").bind(FieldValues.EMAIL_PATTERN).sql(") THEN lower(" + x + ") END");
            case PHONE -> sql.sql("CASE WHEN regexp_full_match(" + x + ", ").bind(PHONE).sql(") THEN " + x + " END");
            case URL -> sql.sql("CASE WHEN regexp_full_match(" + x + ", ").bind(URL).sql(", 'i') THEN " + x + " END");
            case NUMBER -> sql.sql("TRY_CAST(" + x + " AS DECIMAL(18,4))");
            case INTEGER, RELATION -> sql.sql("CASE WHEN regexp_full_match(" + x + ", ").bind(INTEGER).sql(") THEN TRY_CAST(" + x + " AS BIGINT) END");
            case BOOLEAN -> sql.sql("CASE lower(" + x + ") WHEN 'true' THEN TRUE WHEN 'yes' THEN TRUE WHEN 'y' THEN TRUE WHEN '1' THEN TRUE"
                    + " WHEN 'false' THEN FALSE WHEN 'no' THEN FALSE WHEN 'n' THEN FALSE WHEN '0' THEN FALSE END");
            case DATE -> sql.sql("CASE WHEN regexp_full_match(left(" + x + ", 10), ").bind(DATE).sql(") THEN TRY_CAST(left(" + x + ", 10) AS DATE) END");
            case DATETIME -> sql.sql("CASE WHEN regexp_full_match(" + x + ", ").bind(DATETIME).sql(") THEN TRY_CAST(regexp_replace(" + x
                    + ", ' ?([+-][0-9]{2}):?([0-9]{2})$', '\\1:\\2') AS TIMESTAMPTZ) END");
            case ENUM -> option(sql, field, x);
            case TAGS -> sql.sql(distinct(items(x)));
            case MULTI_ENUM -> {
                String options = "\"options\"";
                sql.sql("(SELECT CASE WHEN list_count(" + options + ") = len(" + options + ") THEN " + distinct(options)
                        + " END FROM (SELECT list_transform(" + items(x) + ", lambda s: ");
                option(sql, field, "s");
                sql.sql(") AS " + options + "))");
            }
        }
    }

    /** The items of a list cell (a JSON array, or comma-separated), trimmed, without empty ones. */
    private static String items(String x) {
        return "list_filter(list_transform(" + list(x) + ", lambda s: trim(s, " + SPACE + ")), lambda s: s <> '')";
    }

    /** Each item once, in the order it first appears. */
    private static String distinct(String items) {
        return "list_filter(" + items + ", lambda s, i: list_position(" + items + ", s) = i)";
    }

    private static String list(String x) {
        return "(CASE WHEN starts_with(" + x + ", '[') THEN TRY_CAST(TRY_CAST(" + x + " AS JSON) AS VARCHAR[])"
                + " ELSE regexp_split_to_array(" + x + ", '\\s*,\\s*') END)";
    }

    /**
     * The option a text names: exactly or by its GraphQL name ({@code AT_RISK}), else ignoring case;
     * simple {@code CASE}s, so the text is lowered once and only when it is not an option as written.
     */
    private static void option(SqlBuilder sql, FieldDef field, String x) {
        sql.sql("coalesce(CASE " + x);
        for (String option : field.options()) {
            sql.sql(" WHEN ").bind(option).sql(" THEN ").bind(option);
            sql.sql(" WHEN ").bind(dev.storefront.crm.metadata.ApiNames.enumValue(option)).sql(" THEN ").bind(option);
        }
        sql.sql(" END, CASE lower(" + x + ")");
        for (String option : field.options()) {
            sql.sql(" WHEN ").bind(option.toLowerCase(Locale.ROOT)).sql(" THEN ").bind(option);
        }
        sql.sql(" END)");
    }
}
