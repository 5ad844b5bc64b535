package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.List;

/** One row to insert into {@code table}: {@code values} bound in the order of {@code columns}. */
record RowInsert(String table, List<String> columns, List<Object> values) {

    /** {@code INSERT INTO table (columns) VALUES (values)} */
    Sql statement() {
        return into(new SqlBuilder()).sql(" VALUES (").binds(values).sql(")").build();
    }

    /**
     * The insert as a statement that writes the row only if some row of {@code guardTable} matches
     * {@code guard}: {@code INSERT INTO table (columns) SELECT values WHERE EXISTS (SELECT 1 FROM guardTable WHERE guard)}.
     */
    void renderIfAny(SqlBuilder out, String guardTable, Condition guard) {
        into(out).sql(" SELECT ").binds(values).sql(" WHERE EXISTS (SELECT 1 FROM ").ident(guardTable).where(guard).sql(")");
    }

    private SqlBuilder into(SqlBuilder out) {
        return out.sql("INSERT INTO ").ident(table).sql(" (").idents(columns).sql(")");
    }
}
