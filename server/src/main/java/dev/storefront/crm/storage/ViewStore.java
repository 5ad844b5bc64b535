package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ViewDef;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saved views, and the hand-set order of entries inside kanban columns ({@code crm_kanban_ranks}:
 * a rank per view and entry; entries without one follow the ranked ones in the view's order).
 */
public final class ViewStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RANK = "crm_rank";
    private static final String SELECT_VIEWS = "SELECT id, name, object, filter, sort, fields, type, kanban_field FROM crm_views";

    public void createTables(Transaction tx) {
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS crm_views (id BIGINT NOT NULL, name VARCHAR NOT NULL,"
                + " object VARCHAR NOT NULL, filter VARCHAR, sort VARCHAR, fields VARCHAR[], type VARCHAR NOT NULL,"
                + " kanban_field VARCHAR)").build());
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS crm_kanban_ranks (view_id BIGINT NOT NULL,"
                + " entry_id BIGINT NOT NULL, rank BIGINT NOT NULL)").build());
    }

    public List<ViewDef> all(Transaction tx) {
        return tx.query(new SqlBuilder().sql(SELECT_VIEWS + " ORDER BY id").build(), ViewStore::readView);
    }

    public Optional<ViewDef> find(Transaction tx, long id) {
        return tx.query(new SqlBuilder().sql(SELECT_VIEWS).where(Condition.eq("id", id)).build(), ViewStore::readView)
                .stream().findFirst();
    }

    private static ViewDef readView(ResultSet row) throws SQLException {
        Array fields = row.getArray(6);
        return new ViewDef(row.getLong(1), row.getString(2), row.getString(3),
                JSON.readValue(row.getString(4), new TypeReference<Map<String, Object>>() { }),
                JSON.readValue(row.getString(5), new TypeReference<List<Map<String, Object>>>() { }),
                fields == null ? List.of() : Arrays.stream((Object[]) fields.getArray()).map(String::valueOf).toList(),
                ViewDef.Type.valueOf(row.getString(7)), row.getString(8));
    }

    /** Stores a new view under the next id and returns it with that id. */
    public ViewDef insert(Transaction tx, ViewDef view) {
        long id = tx.query(new SqlBuilder().sql("SELECT coalesce(max(id), 0) + 1 FROM crm_views").build(), row -> row.getLong(1)).get(0);
        ViewDef stored = view.withId(id);
        write(tx, stored);
        return stored;
    }

    public void update(Transaction tx, ViewDef view) {
        tx.update(new SqlBuilder().sql("DELETE FROM crm_views").where(Condition.eq("id", view.id())).build());
        write(tx, view);
    }

    public void delete(Transaction tx, long id) {
        tx.update(new SqlBuilder().sql("DELETE FROM crm_views").where(Condition.eq("id", id)).build());
        tx.update(new SqlBuilder().sql("DELETE FROM crm_kanban_ranks").where(Condition.eq("view_id", id)).build());
    }

    private static void write(Transaction tx, ViewDef view) {
        tx.update(new SqlBuilder().sql("INSERT INTO crm_views VALUES (").binds(Arrays.asList(view.id(), view.name(), view.object(),
                JSON.writeValueAsString(view.filter()), JSON.writeValueAsString(view.sort()), new SqlArray("VARCHAR", view.fields()),
                view.type().name(), view.kanbanField())).sql(")").build());
    }

    /**
     * The first {@code limit} entries of a kanban column: those the view matches, hand-ranked ones
     * first by rank, then the rest in the view's order.
     */
    public List<Entry> column(Transaction tx, ObjectDef object, Condition filter, Ordering ordering, long viewId, int limit) {
        List<String> columns = EntryStore.columns(object);
        SqlBuilder sql = new SqlBuilder().sql("SELECT ").idents(columns).sql(" FROM (SELECT ").idents(columns)
                .sql(", (SELECT rank FROM crm_kanban_ranks WHERE view_id = ").bind(viewId).sql(" AND entry_id = ")
                .ident(object.apiName()).sql(".\"id\") AS ").ident(RANK)
                .sql(" FROM ").ident(object.apiName()).where(filter).sql(") ORDER BY ").ident(RANK).sql(" ASC NULLS LAST, ");
        ordering.renderOrderBy(sql);
        sql.sql(" LIMIT ").bind(limit);
        return tx.query(sql.build(), row -> EntryStore.read(object, row));
    }

    /** How many entries the view matches per option of {@code field}. */
    public Map<String, Long> columnCounts(Transaction tx, ObjectDef object, Condition filter, FieldDef field) {
        Sql sql = new SqlBuilder().sql("SELECT ").ident(field.column()).sql(", count(*) FROM ").ident(object.apiName())
                .where(filter).sql(" GROUP BY ").ident(field.column()).build();
        Map<String, Long> counts = new HashMap<>();
        tx.query(sql, row -> counts.put(row.getString(1), row.getLong(2)));
        return counts;
    }

    public long rankedCount(Transaction tx, long viewId) {
        return tx.query(new SqlBuilder().sql("SELECT count(*) FROM crm_kanban_ranks").where(Condition.eq("view_id", viewId)).build(),
                row -> row.getLong(1)).get(0);
    }

    /** Gives {@code ids}, in this order, the ranks 1, 2, 3... in the view. */
    public void rank(Transaction tx, long viewId, List<Long> ids) {
        tx.update(new SqlBuilder().sql("DELETE FROM crm_kanban_ranks").where(Condition.and(Condition.eq("view_id", viewId),
                Condition.in("entry_id", ids))).build());
        tx.update(new SqlBuilder().sql("INSERT INTO crm_kanban_ranks SELECT ").bind(viewId)
                .sql(", unnest(").bind(new SqlArray("BIGINT", ids)).sql("::BIGINT[]), generate_subscripts(")
                .bind(new SqlArray("BIGINT", ids)).sql("::BIGINT[], 1)").build());
    }
}
