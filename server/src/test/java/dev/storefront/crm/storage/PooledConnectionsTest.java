package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections go back to a pool with their prepared statements: what a statement answers must not
 * depend on whether it was prepared before a table changed, and a failed transaction must leave
 * nothing behind for the next unit of work.
 */
class PooledConnectionsTest {

    @TempDir
    Path dir;
    private DuckDb db;

    @BeforeEach
    void open() {
        db = new DuckDb(dir.resolve("crm.duckdb"), new DuckDb.Limits("256MB", 1, null));
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE TABLE \"things\" (\"id\" BIGINT, \"size\" VARCHAR)").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("INSERT INTO \"things\" VALUES (").bind(1L).sql(", ").bind("12").sql(")").build()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Sql sizeOf(long id) {
        return new SqlBuilder().sql("SELECT \"size\" FROM \"things\" WHERE \"id\" = ").bind(id).build();
    }

    private Object readSize(long id) {
        return db.read(tx -> tx.query(sizeOf(id), row -> row.getObject(1))).get(0);
    }

    @Test
    void aStatementPreparedBeforeARetypeAnswersWithTheNewType() {
        assertThat(readSize(1)).isEqualTo("12");
        db.write(tx -> tx.update(new SqlBuilder().sql("ALTER TABLE \"things\" ALTER COLUMN \"size\" SET DATA TYPE BIGINT").build()));
        assertThat(readSize(1)).isEqualTo(12L);
    }

    /**
     * A column added, a table or an index created leave every connection's prepared statements in
     * place (an addField would otherwise make every request prepare its statements again); a rename,
     * a drop or a replaced table outdate them.
     */
    @Test
    void onlyDdlThatRenamesDropsOrReplacesOutdatesThePreparedStatements() {
        assertThat(readSize(1)).isEqualTo("12");
        long epoch = db.catalogEpoch();
        db.write(tx -> tx.update(new SqlBuilder().sql("ALTER TABLE \"things\" ADD COLUMN \"colour\" VARCHAR").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE TABLE \"others\" (\"id\" BIGINT)").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE INDEX \"things_id\" ON \"things\" (\"id\")").build()));
        assertThat(db.catalogEpoch()).isEqualTo(epoch);
        assertThat(readSize(1)).isEqualTo("12");

        db.write(tx -> tx.update(new SqlBuilder().sql("DROP INDEX \"things_id\"").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("ALTER TABLE \"things\" RENAME COLUMN \"colour\" TO \"shade\"").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE OR REPLACE TABLE \"others\" (\"name\" VARCHAR)").build()));
        assertThat(db.catalogEpoch()).isEqualTo(epoch + 3);
        assertThat(readSize(1)).isEqualTo("12");
    }

    @Test
    void aTableDroppedAndMadeAgainInOneTransactionIsReadAsItIsNow() {
        List<Object> seen = db.write(tx -> {
            List<Object> sizes = new java.util.ArrayList<>();
            for (String size : List.of("first", "second")) {
                tx.update(new SqlBuilder().sql("CREATE TEMP TABLE \"chunk\" AS SELECT ").bind(size).sql(" AS \"size\"").build());
                sizes.addAll(tx.query(new SqlBuilder().sql("SELECT \"size\" FROM \"chunk\" WHERE \"size\" IS NOT NULL AND ")
                        .bind(1L).sql(" = 1").build(), row -> row.getString(1)));
                tx.update(new SqlBuilder().sql("DROP TABLE \"chunk\"").build());
            }
            return sizes;
        });
        assertThat(seen).containsExactly("first", "second");
    }

    @Test
    void aFailedTransactionWritesNothingAndTheNextOneCommits() {
        Sql insert = new SqlBuilder().sql("INSERT INTO \"things\" VALUES (").bind(2L).sql(", ").bind("7").sql(")").build();
        assertThatThrownBy(() -> db.write(tx -> {
            tx.update(insert);
            return tx.update(new SqlBuilder().sql("INSERT INTO \"no_such_table\" VALUES (").bind(1L).sql(")").build());
        })).isInstanceOf(StorageException.class);
        List<String> none = db.read(tx -> tx.query(sizeOf(2), row -> row.getString(1)));
        assertThat(none).isEmpty();

        db.write(tx -> tx.update(insert));
        assertThat(readSize(2)).isEqualTo("7");
        // The connections in the pool are in autocommit again: a read sees the committed row, a write commits alone.
        db.read(tx -> tx.update(new SqlBuilder().sql("UPDATE \"things\" SET \"size\" = ").bind("8").sql(" WHERE \"id\" = ").bind(2L).build()));
        assertThat(readSize(2)).isEqualTo("8");
    }
}
