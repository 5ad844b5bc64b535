package dev.storefront.crm.jobs;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.Transaction;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on a small bounded pool. Each job is stored in {@code crm_jobs} when queued, started
 * and finished (and at the checkpoints its work asks for), while clients read live progress from
 * memory. Jobs that a stopped server left unfinished are marked FAILED at start.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** The most jobs one {@code jobs} query lists: the history table grows without bound. */
    public static final int MAX_LISTED = 1000;

    private final JobStore store;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final Map<String, Job> live = new ConcurrentHashMap<>();

    public JobRunner(DuckDb db, Clock clock, int threads, int queueSize) {
        this.store = new JobStore(db);
        this.clock = clock;
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), r -> {
            Thread thread = new Thread(r, "crm-job-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long interrupted = store.interruptUnfinished(now());
        if (interrupted > 0) {
            log.warn("{} jobs were left unfinished by the previous run and are now INTERRUPTED", interrupted);
        }
    }

    /** Queues {@code work}; returns at once with the job in state QUEUED. */
    public Job submit(String plugin, String name, Map<String, Object> args, PluginContext context, JobWork work) {
        return queue(new Job(UUID.randomUUID().toString(), plugin, name, args == null ? Map.of() : args, context, now()), work);
    }

    /** Queues {@code work} as the continuation of an INTERRUPTED job: same id, counters and report as it had. */
    public Job resume(JobView interrupted, JobWork work) {
        if (live.containsKey(interrupted.id())) {
            throw new ConflictException("Job " + interrupted.id() + " is already running");
        }
        return queue(new Job(interrupted, null), work);
    }

    /** Jobs a stopped server interrupted, oldest first. */
    public List<JobView> interrupted() {
        return store.inState(JobState.INTERRUPTED);
    }

    /** Jobs stored as ended (succeeded, failed or cancelled) after {@code after}, oldest first. */
    public List<JobView> finishedAfter(OffsetDateTime after) {
        return store.finishedAfter(after);
    }

    /** Replaces the message of a stored job that is not running. */
    public void describe(String id, String message) {
        store.find(id).ifPresent(job -> store.save(new JobView(job.id(), job.plugin(), job.name(), job.state(), job.processed(),
                job.total(), job.errorCount(), job.errors(), message, job.args(), job.createdAt(), job.startedAt(), job.finishedAt())));
    }

    private Job queue(Job job, JobWork work) {
        live.put(job.id(), job);
        store.save(job.view());
        try {
            executor.execute(() -> run(job, work));
        } catch (RejectedExecutionException e) {
            job.message("Too many jobs queued; try again later");
            finish(job, JobState.FAILED);
            throw new ConflictException("Too many jobs queued; try again later");
        }
        return job;
    }

    private void run(Job job, JobWork work) {
        synchronized (job) {
            if (job.cancelled() || job.state().finished()) {
                return;
            }
            job.state(JobState.RUNNING, now());
        }
        store.save(job.view());
        try {
            work.run(job);
            finish(job, job.cancelled() ? JobState.CANCELLED : JobState.SUCCEEDED);
        } catch (Throwable e) {
            if (job.cancelled()) {
                finish(job, JobState.CANCELLED);
                return;
            }
            log.warn("Job {} ({}:{}) failed", job.id(), job.view().plugin(), job.view().name(), e);
            job.message(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            finish(job, JobState.FAILED);
        }
    }

    private void finish(Job job, JobState state) {
        job.state(state, now());
        JobView view = job.view();
        if (view.startedAt() != null) {
            // On Micrometer's global registry, which Spring Boot joins to its own (/actuator/metrics, Prometheus).
            Metrics.timer("crm.jobs", "plugin", view.plugin() == null ? "core" : view.plugin(), "job", view.name(),
                    "state", state.name())
                    .record(Duration.between(view.startedAt(), view.finishedAt()));
        }
        try {
            store.save(job.view());
        } finally {
            live.remove(job.id());
        }
    }

    /** Stores {@code job} as {@code step} leaves it, in {@code tx}; the live job, which clients read, takes the step once tx committed. */
    public void checkpoint(Transaction tx, Job job, Job.Step step) {
        store.save(job.viewAfter(step));
        tx.afterCommit(() -> job.apply(step));
    }

    public Optional<JobView> find(String id) {
        Job job = live.get(id);
        return job != null ? Optional.of(job.view()) : store.find(id);
    }

    /** The newest jobs, at most {@code limit} (1 to {@value #MAX_LISTED}). */
    public List<JobView> recent(int limit) {
        if (limit < 1 || limit > MAX_LISTED) {
            throw new CrmException(ErrorCode.VALIDATION, "jobs(limit:) must be between 1 and " + MAX_LISTED + ", got " + limit,
                    Map.of("argument", "limit", "value", limit));
        }
        Map<String, JobView> byId = new LinkedHashMap<>();
        store.recent(limit).forEach(j -> byId.put(j.id(), j));
        live.values().forEach(j -> byId.put(j.id(), j.view()));
        List<JobView> jobs = new ArrayList<>(byId.values());
        jobs.sort(Comparator.comparing(JobView::createdAt).reversed());
        return jobs.size() > limit ? jobs.subList(0, limit) : jobs;
    }

    /**
     * Asks a job to stop. A queued job is cancelled at once; a running one stops at its next check
     * and keeps what it had committed at its last checkpoint (or nothing, for all-or-nothing work).
     */
    public JobView cancel(String id) {
        Job job = live.get(id);
        if (job == null) {
            return store.find(id).orElseThrow(() -> new NotFoundException("No job with id " + id, Map.of("id", id)));
        }
        job.cancel();
        synchronized (job) {
            if (job.state() == JobState.QUEUED) {
                finish(job, JobState.CANCELLED);
            }
        }
        return job.view();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
