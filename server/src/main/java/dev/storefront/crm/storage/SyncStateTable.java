package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The {@code crm_sync_state} table: the cursor of each sync source, written in the same transaction
 * as the page it follows, so data and cursor never disagree.
 */
public final class SyncStateTable {

    public void createTable(Transaction tx) {
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_sync_state\" (\"source\" VARCHAR PRIMARY KEY, "
                + "\"cursor\" VARCHAR, \"updated_at\" TIMESTAMPTZ)").build());
    }

    public Optional<String> cursor(Transaction tx, String source) {
        return tx.query(new SqlBuilder().sql("SELECT \"cursor\" FROM \"crm_sync_state\"").where(Condition.eq("source", source)).build(),
                row -> row.getString(1)).stream().findFirst();
    }

    public void save(Transaction tx, String source, String cursor, OffsetDateTime now) {
        tx.update(new SqlBuilder().sql("INSERT OR REPLACE INTO \"crm_sync_state\" (\"source\", \"cursor\", \"updated_at\") VALUES (")
                .bind(source).sql(", ").bind(cursor).sql(", ").bind(now).sql(")").build());
    }
}
