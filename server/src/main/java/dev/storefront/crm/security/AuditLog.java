package dev.storefront.crm.security;

import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SecurityTables;
import dev.storefront.crm.storage.Transaction;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /** Writes the row of a change that is already committed (a plugin started, a job queued), in a transaction of its own. */
    public void record(Principal who, String action, String object, String entryId, List<String> fields) {
        db.write(tx -> {
            tables.insertAudit(tx, row(who, action, object, entryId, fields));
            return null;
        });
    }

    /**
     * Runs {@code change} and writes its row in one transaction: a crash or a failure after the change
     * cannot leave it without its row, nor a row without its change. {@code change} must write through
     * {@link DuckDb#write} on this thread (it then joins this transaction).
     *
     * @param entryId the id of the entry the change wrote, from its result; null when not one entry
     */
    public <T> T recordWith(Principal who, String action, String object, List<String> fields, Supplier<T> change,
                            Function<T, String> entryId) {
        return db.write(tx -> {
            T result = change.get();
            tables.insertAudit(tx, row(who, action, object, entryId.apply(result), fields));
            return result;
        });
    }

    /**
     * The same for a change that names its entry before it runs: one operation on one entry by id (an
     * update, increment or delete; {@code change} writes nothing else). The row is handed to the
     * transaction first, so that a change written by one statement commits with its row in that
     * statement, and any other change has it inserted just before the commit.
     */
    public <T> T recordWith(Principal who, String action, String object, String entryId, List<String> fields, Supplier<T> change) {
        return db.writeOne(tx -> {
            tables.insertAuditOnCommit(tx, row(who, action, object, entryId, fields));
            return change.get();
        });
    }

    /**
     * Writes the row of a change into {@code tx}, for changes that commit through a transaction of
     * their own making (a model change, see {@code SchemaService#withAlongside}).
     */
    public Consumer<Transaction> inserting(Principal who, String action, String object, List<String> fields) {
        SecurityTables.AuditRow row = row(who, action, object, null, fields);
        return tx -> tables.insertAudit(tx, row);
    }

    public List<SecurityTables.AuditRow> recent(String object, int limit) {
        return db.read(tx -> tables.audit(tx, object, limit));
    }

    private SecurityTables.AuditRow row(Principal who, String action, String object, String entryId, List<String> fields) {
        return new SecurityTables.AuditRow(OffsetDateTime.now(clock), who.keyId(), who.keyName(), action, object, entryId,
                fields.isEmpty() ? null : String.join(",", fields));
    }
}
