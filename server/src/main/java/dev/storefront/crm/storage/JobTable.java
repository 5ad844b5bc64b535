package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The {@code crm_jobs} table: one row per job, so a restart still shows the history. */
public final class JobTable {

    /** One stored job; {@code errors} and {@code args} are JSON text written by the job runner. */
    public record Row(String id, String plugin, String name, String state, long processed, long total,
                      long errorCount, String errors, String message, String args,
                      OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    private static final String COLUMNS = "\"id\", \"plugin\", \"name\", \"state\", \"processed\", \"total\", "
            + "\"error_count\", \"errors\", \"message\", \"args\", \"created_at\", \"started_at\", \"finished_at\"";

    public void createTable(Transaction tx) {
        tx.update(new SqlBuilder().sql("CREATE TABLE IF NOT EXISTS \"crm_jobs\" (\"id\" VARCHAR PRIMARY KEY, "
                + "\"plugin\" VARCHAR, \"name\" VARCHAR, \"state\" VARCHAR, \"processed\" BIGINT, \"total\" BIGINT, "
                + "\"error_count\" BIGINT, \"errors\" VARCHAR, \"message\" VARCHAR, \"args\" VARCHAR, "
                + "\"created_at\" TIMESTAMPTZ, \"started_at\" TIMESTAMPTZ, \"finished_at\" TIMESTAMPTZ)").build());
    }

    public void save(Transaction tx, Row job) {
        tx.update(new SqlBuilder().sql("INSERT OR REPLACE INTO \"crm_jobs\" (" + COLUMNS + ") VALUES (")
                .binds(java.util.Arrays.asList(job.id(), job.plugin(), job.name(), job.state(), job.processed(), job.total(),
                        job.errorCount(), job.errors(), job.message(), job.args(), job.createdAt(), job.startedAt(),
                        job.finishedAt()))
                .sql(")").build());
    }

    public Optional<Row> find(Transaction tx, String id) {
        return tx.query(new SqlBuilder().sql("SELECT " + COLUMNS + " FROM \"crm_jobs\"").where(Condition.eq("id", id)).build(),
                JobTable::read).stream().findFirst();
    }

    /** The newest {@code limit} jobs, newest first. */
    public List<Row> recent(Transaction tx, int limit) {
        return tx.query(new SqlBuilder().sql("SELECT " + COLUMNS + " FROM \"crm_jobs\" ORDER BY \"created_at\" DESC, \"id\" DESC LIMIT ")
                .bind(limit).build(), JobTable::read);
    }

    /**
     * Jobs left QUEUED or RUNNING by a server that stopped become INTERRUPTED; their message (the
     * progress at the last checkpoint) gets how far that checkpoint got.
     */
    public long interruptUnfinished(Transaction tx, OffsetDateTime now) {
        return tx.update(new SqlBuilder().sql("UPDATE \"crm_jobs\" SET \"state\" = 'INTERRUPTED', \"message\" = coalesce(\"message\" || '. ', '')"
                + " || 'The server stopped while the job ran; ' || \"processed\" || ' of ' || CASE WHEN \"total\" < 0 THEN 'an unknown number of' ELSE"
                + " CAST(\"total\" AS VARCHAR) END || ' rows were committed at its last checkpoint', \"finished_at\" = ").bind(now)
                .sql(" WHERE \"state\" IN ('QUEUED', 'RUNNING')").build());
    }

    public List<Row> inState(Transaction tx, String state) {
        return tx.query(new SqlBuilder().sql("SELECT " + COLUMNS + " FROM \"crm_jobs\"").where(Condition.eq("state", state))
                .sql(" ORDER BY \"created_at\"").build(), JobTable::read);
    }

    /** Jobs that ended (succeeded, failed or cancelled) after {@code after}, oldest first. */
    public List<Row> finishedAfter(Transaction tx, OffsetDateTime after) {
        return tx.query(new SqlBuilder().sql("SELECT " + COLUMNS + " FROM \"crm_jobs\" WHERE \"state\" IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
                + " AND \"finished_at\" > ").bind(after).sql(" ORDER BY \"finished_at\", \"id\"").build(), JobTable::read);
    }

    private static Row read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Row(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getLong(5),
                row.getLong(6), row.getLong(7), row.getString(8), row.getString(9), row.getString(10),
                row.getObject(11, OffsetDateTime.class), row.getObject(12, OffsetDateTime.class),
                row.getObject(13, OffsetDateTime.class));
    }
}
