package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code crm_settings} table: values the server makes once and keeps with the data, such as
 * the key that seals page cursors, so they outlive a restart and travel with a backup.
 */
public final class SettingsTable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DuckDb db;

    public SettingsTable(DuckDb db) {
        this.db = db;
    }

    /**
     * The random secret stored under {@code name}, made of {@code length} bytes the first time it is
     * asked for. Written with INSERT OR IGNORE, so two servers starting on a new file keep one secret.
     */
    public byte[] secret(String name, int length) {
        byte[] fresh = new byte[length];
        RANDOM.nextBytes(fresh);
        String stored = db.write(tx -> {
            tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_settings\" (\"name\" VARCHAR PRIMARY KEY, "
                    + "\"value\" VARCHAR NOT NULL)").build());
            tx.update(new SqlBuilder().sql("INSERT OR IGNORE INTO \"crm_settings\" (\"name\", \"value\") VALUES (")
                    .bind(name).sql(", ").bind(Base64.getEncoder().encodeToString(fresh)).sql(")").build());
            return tx.query(new SqlBuilder().sql("SELECT \"value\" FROM \"crm_settings\"").where(Condition.eq("name", name)).build(),
                    row -> row.getString(1)).get(0);
        });
        return Base64.getDecoder().decode(stored);
    }
}
