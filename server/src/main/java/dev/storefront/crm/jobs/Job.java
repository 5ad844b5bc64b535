package dev.storefront.crm.jobs;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.jobs.JobContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A job while it lives in this process: progress counters that the job's thread writes and
 * requests read, the first {@link #MAX_ERRORS} bad records, and the cancel flag.
 */
public final class Job implements JobContext {

    static final int MAX_ERRORS = 1000;

    private final String id;
    private final String plugin;
    private final String name;
    private final Map<String, Object> args;
    private final PluginContext context;
    private final OffsetDateTime createdAt;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong errorCount = new AtomicLong();
    private final List<JobError> errors = new ArrayList<>();
    private volatile JobState state = JobState.QUEUED;
    private volatile String message;
    private volatile boolean cancelled;
    private volatile OffsetDateTime startedAt;
    private volatile OffsetDateTime finishedAt;

    Job(String id, String plugin, String name, Map<String, Object> args, PluginContext context, OffsetDateTime createdAt) {
        this.id = id;
        this.plugin = plugin;
        this.name = name;
        this.args = Map.copyOf(args);
        this.context = context;
        this.createdAt = createdAt;
    }

    /** A stored job taken up again: same id, its progress, error report and message as at its last checkpoint. */
    Job(JobView stored, PluginContext context) {
        this(stored.id(), stored.plugin(), stored.name(), stored.args(), context, stored.createdAt());
        processed.set(stored.processed());
        total.set(stored.total());
        errorCount.set(stored.errorCount());
        errors.addAll(stored.errors());
        message = stored.message();
    }

    public String id() {
        return id;
    }

    @Override
    public PluginContext plugin() {
        return context;
    }

    @Override
    public Map<String, Object> args() {
        return args;
    }

    @Override
    public void total(long value) {
        total.set(value);
    }

    @Override
    public void processed(long value) {
        processed.set(value);
    }

    /**
     * What one committed unit of work (an import's chunk, a sync's page) adds to a job: its rows, its bad records and the message that
     * follows. The job's stored row takes it in the unit's own transaction ({@link JobRunner#checkpoint(dev.storefront.crm.storage.Transaction, Job, Step)}),
     * the live job once that commits: clients never see rows that a crash can still lose.
     */
    public record Step(long processed, List<JobError> errors, String message) {
    }

    /** The job as {@code step} will leave it. */
    JobView viewAfter(Step step) {
        JobView now = view();
        List<JobError> errors = new ArrayList<>(now.errors());
        step.errors().stream().limit(Math.max(0, MAX_ERRORS - errors.size())).forEach(errors::add);
        return new JobView(id, plugin, name, now.state(), now.processed() + step.processed(), now.total(),
                now.errorCount() + step.errors().size(), errors, step.message(), args, createdAt, startedAt, finishedAt);
    }

    void apply(Step step) {
        processed.addAndGet(step.processed());
        step.errors().forEach(this::error);
        message = step.message();
    }

    public long processedCount() {
        return processed.get();
    }

    @Override
    public void error(long row, String column, String value, String reason) {
        error(new JobError(row, null, column, value, reason));
    }

    public void error(JobError error) {
        errorCount.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(error);
            }
        }
    }

    public long errorCount() {
        return errorCount.get();
    }

    @Override
    public void message(String text) {
        this.message = text;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    JobState state() {
        return state;
    }

    void state(JobState next, OffsetDateTime now) {
        if (next == JobState.RUNNING) {
            startedAt = now;
        }
        if (next.finished()) {
            finishedAt = now;
            // A job that ended before it knew its total (a file refused before it was read) did all it will do.
            total.compareAndSet(-1, processed.get());
        }
        state = next;
    }

    public JobView view() {
        List<JobError> copy;
        synchronized (errors) {
            copy = List.copyOf(errors);
        }
        return new JobView(id, plugin, name, state, processed.get(), total.get(), errorCount.get(), copy, message,
                args, createdAt, startedAt, finishedAt);
    }
}
