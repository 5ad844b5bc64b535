package dev.storefront.crm.jobs;

import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.JobTable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Jobs in {@code crm_jobs}; errors and arguments are kept as JSON text. */
final class JobStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DuckDb db;
    private final JobTable table = new JobTable();

    JobStore(DuckDb db) {
        this.db = db;
        db.write(tx -> {
            table.createTable(tx);
            return null;
        });
    }

    long interruptUnfinished(OffsetDateTime now) {
        return db.write(tx -> table.interruptUnfinished(tx, now));
    }

    List<JobView> inState(JobState state) {
        return db.read(tx -> table.inState(tx, state.name())).stream().map(JobStore::view).toList();
    }

    List<JobView> finishedAfter(OffsetDateTime after) {
        return db.read(tx -> table.finishedAfter(tx, after)).stream().map(JobStore::view).toList();
    }

    void save(JobView job) {
        db.write(tx -> {
            table.save(tx, new JobTable.Row(job.id(), job.plugin(), job.name(), job.state().name(), job.processed(),
                    job.total(), job.errorCount(), JSON.writeValueAsString(job.errors()), job.message(),
                    JSON.writeValueAsString(job.args()), job.createdAt(), job.startedAt(), job.finishedAt()));
            return null;
        });
    }

    Optional<JobView> find(String id) {
        return db.read(tx -> table.find(tx, id)).map(JobStore::view);
    }

    List<JobView> recent(int limit) {
        return db.read(tx -> table.recent(tx, limit)).stream().map(JobStore::view).toList();
    }

    private static JobView view(JobTable.Row row) {
        List<JobError> errors = row.errors() == null ? List.of()
                : JSON.readValue(row.errors(), new TypeReference<List<JobError>>() { });
        Map<String, Object> args = row.args() == null ? Map.of()
                : JSON.readValue(row.args(), new TypeReference<Map<String, Object>>() { });
        return new JobView(row.id(), row.plugin(), row.name(), JobState.valueOf(row.state()), row.processed(), row.total(),
                row.errorCount(), errors, row.message(), args, row.createdAt(), row.startedAt(), row.finishedAt());
    }
}
