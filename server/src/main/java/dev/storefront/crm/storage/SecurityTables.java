package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * {@code crm_api_keys} (one row per key: its name, role, the SHA-256 of its secret, never the
 * secret) and {@code crm_audit} (one row per change: which key, what, when).
 */
public final class SecurityTables {

    /**
     * @param plugin     the plugin whose operations a scoped key is limited to, or null
     * @param customRole the custom role of a key whose role is {@code custom}, or null
     */
    public record KeyRow(String id, String name, String role, String secretHash, OffsetDateTime createdAt,
                         OffsetDateTime expiresAt, OffsetDateTime revokedAt, String plugin, String customRole) {
    }

    /**
     * @param action  the mutation, e.g. {@code updateCustomer} or {@code addField}
     * @param object  the object it changed, if any
     * @param entryId the entry it changed, if one
     * @param fields  the fields it set, comma-separated
     */
    public record AuditRow(OffsetDateTime at, String keyId, String keyName, String action, String object, String entryId,
                           String fields) {
    }

    /**
     * What a custom role may do with one object.
     *
     * @param operations comma-separated: read, create, update, delete
     * @param readable   comma-separated GraphQL field names
     * @param writable   comma-separated GraphQL field names
     */
    public record GrantRow(String role, String object, String operations, String readable, String writable) {
    }

    private static final String GRANT_COLUMNS = "\"role\", \"object\", \"operations\", \"readable\", \"writable\"";
    private static final String KEY_COLUMNS = "\"id\", \"name\", \"role\", \"secret_hash\", \"created_at\", \"expires_at\", \"revoked_at\", "
            + "\"plugin\", \"custom_role\"";
    private static final List<String> AUDIT_COLUMN_NAMES = List.of("at", "key_id", "key_name", "action", "object", "entry_id", "fields");

    public void createTables(Transaction tx) {
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_api_keys\" (\"id\" VARCHAR PRIMARY KEY, \"name\" VARCHAR, "
                + "\"role\" VARCHAR, \"secret_hash\" VARCHAR UNIQUE, \"created_at\" TIMESTAMPTZ, \"expires_at\" TIMESTAMPTZ, "
                + "\"revoked_at\" TIMESTAMPTZ)").build());
        // Databases from before plugin-scoped keys have the table without the column.
        tx.update(new SqlBuilder().sql("ALTER TABLE \"crm_api_keys\" ADD COLUMN IF NOT EXISTS \"plugin\" VARCHAR").build());
        tx.update(new SqlBuilder().sql("ALTER TABLE \"crm_api_keys\" ADD COLUMN IF NOT EXISTS \"custom_role\" VARCHAR").build());
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_role_grants\" (\"role\" VARCHAR, \"object\" VARCHAR, "
                + "\"operations\" VARCHAR, \"readable\" VARCHAR, \"writable\" VARCHAR)").build());
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_audit\" (\"at\" TIMESTAMPTZ, \"key_id\" VARCHAR, "
                + "\"key_name\" VARCHAR, \"action\" VARCHAR, \"object\" VARCHAR, \"entry_id\" VARCHAR, \"fields\" VARCHAR)").build());
    }

    public void insertKey(Transaction tx, KeyRow key) {
        tx.update(new SqlBuilder().sql("INSERT INTO \"crm_api_keys\" (" + KEY_COLUMNS + ") VALUES (")
                .binds(Arrays.asList(key.id(), key.name(), key.role(), key.secretHash(), key.createdAt(), key.expiresAt(), key.revokedAt(),
                        key.plugin(), key.customRole()))
                .sql(")").build());
    }

    public long revokeKey(Transaction tx, String id, OffsetDateTime at) {
        return tx.update(new SqlBuilder().sql("UPDATE \"crm_api_keys\" SET \"revoked_at\" = ").bind(at)
                .where(Condition.eq("id", id)).build());
    }

    public List<KeyRow> keys(Transaction tx) {
        return tx.query(new SqlBuilder().sql("SELECT " + KEY_COLUMNS + " FROM \"crm_api_keys\" ORDER BY \"created_at\", \"id\"").build(),
                SecurityTables::key);
    }

    /** Every custom role's grants, by role, then object. */
    public List<GrantRow> grants(Transaction tx) {
        return tx.query(new SqlBuilder().sql("SELECT " + GRANT_COLUMNS + " FROM \"crm_role_grants\" ORDER BY \"role\", \"object\"").build(),
                row -> new GrantRow(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5)));
    }

    /** Sets the grants of role {@code role} to {@code grants}, replacing any it had, as one statement per table. */
    public void replaceGrants(Transaction tx, String role, List<GrantRow> grants) {
        deleteGrants(tx, role);
        SqlBuilder insert = new SqlBuilder().sql("INSERT INTO \"crm_role_grants\" (" + GRANT_COLUMNS + ") VALUES ");
        for (int i = 0; i < grants.size(); i++) {
            GrantRow g = grants.get(i);
            insert.sql(i == 0 ? "(" : ", (").binds(Arrays.asList(g.role(), g.object(), g.operations(), g.readable(), g.writable())).sql(")");
        }
        tx.update(insert.build());
    }

    public void deleteGrants(Transaction tx, String role) {
        tx.update(new SqlBuilder().sql("DELETE FROM \"crm_role_grants\"").where(Condition.eq("role", role)).build());
    }

    public void insertAudit(Transaction tx, AuditRow row) {
        tx.update(auditInsert(row).statement());
    }

    /**
     * Inserts the row when {@code tx} commits, so that a change written by one statement commits with
     * its row in that statement (see {@code Transaction#updateAsLastWrite}).
     */
    public void insertAuditOnCommit(Transaction tx, AuditRow row) {
        tx.insertOnCommit(auditInsert(row));
    }

    private static RowInsert auditInsert(AuditRow row) {
        return new RowInsert("crm_audit", AUDIT_COLUMN_NAMES,
                Arrays.asList(row.at(), row.keyId(), row.keyName(), row.action(), row.object(), row.entryId(), row.fields()));
    }

    /** The newest {@code limit} audit rows, newest first; only those of {@code object} when it is not null. */
    public List<AuditRow> audit(Transaction tx, String object, int limit) {
        return tx.query(new SqlBuilder().sql("SELECT ").idents(AUDIT_COLUMN_NAMES).sql(" FROM \"crm_audit\"")
                .where(object == null ? Condition.always() : Condition.eq("object", object))
                .sql(" ORDER BY \"at\" DESC LIMIT ").bind(limit).build(), SecurityTables::audit);
    }

    private static KeyRow key(ResultSet row) throws SQLException {
        return new KeyRow(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getObject(5, OffsetDateTime.class), row.getObject(6, OffsetDateTime.class), row.getObject(7, OffsetDateTime.class),
                row.getString(8), row.getString(9));
    }

    private static AuditRow audit(ResultSet row) throws SQLException {
        return new AuditRow(row.getObject(1, OffsetDateTime.class), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7));
    }
}
