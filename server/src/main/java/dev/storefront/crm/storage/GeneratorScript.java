package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.sql.Statement;
import java.util.List;

/**
 * Runs a script of statements written in our own source (the bulk demo generator). The statements
 * carry no input: only numbers, dates and word lists our code formats.
 */
public final class GeneratorScript {

    private GeneratorScript() {
    }

    /**
     * Runs each statement in turn on one connection, each committed on its own, so the script's
     * temporary tables stay between them while no transaction holds more than one statement's rows.
     * The first failure stops the script; what the statements before it wrote stays.
     */
    public static void run(DuckDb db, List<String> statements) {
        db.autocommitted(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    /** Row count of a table, for the generator's report. */
    public static long rows(Transaction tx, String table) {
        return tx.query(new SqlBuilder().sql("SELECT count(*) FROM ").ident(table).build(), row -> row.getLong(1)).get(0);
    }
}
