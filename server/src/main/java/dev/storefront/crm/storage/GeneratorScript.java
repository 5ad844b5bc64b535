package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.List;

/**
 * Runs a script of statements written in our own source (the bulk demo generator), in the caller's
 * transaction. The statements carry no input: only numbers, dates and word lists our code formats.
 */
public final class GeneratorScript {

    private GeneratorScript() {
    }

    /** Runs each statement in turn; the first failure fails the transaction. */
    public static void run(Transaction tx, List<String> statements) {
        for (String statement : statements) {
            tx.update(new SqlBuilder().sql(statement).build());
        }
    }

    /** Row count of a table, for the generator's report. */
    public static long rows(Transaction tx, String table) {
        return tx.query(new SqlBuilder().sql("SELECT count(*) FROM ").ident(table).build(), row -> row.getLong(1)).get(0);
    }
}
