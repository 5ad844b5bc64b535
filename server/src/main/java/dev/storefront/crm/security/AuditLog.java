package dev.storefront.crm.security;

import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SecurityTables;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/** Who changed what, when: one row per successful mutation, readable by admins. */
public final class AuditLog {

    private final DuckDb db;
    private final Clock clock;
    private final SecurityTables tables = new SecurityTables();

    /** Needs {@link ApiKeys} first: it creates the tables. */
    public AuditLog(DuckDb db, Clock clock, ApiKeys keys) {
        this.db = db;
        this.clock = clock;
    }

    public void record(Principal who, String action, String object, String entryId, List<String> fields) {
        SecurityTables.AuditRow row = new SecurityTables.AuditRow(OffsetDateTime.now(clock), who.keyId(), who.keyName(), action,
                object, entryId, fields.isEmpty() ? null : String.join(",", fields));
        db.write(tx -> {
            tables.insertAudit(tx, row);
            return null;
        });
    }

    public List<SecurityTables.AuditRow> recent(String object, int limit) {
        return db.read(tx -> tables.audit(tx, object, limit));
    }
}
