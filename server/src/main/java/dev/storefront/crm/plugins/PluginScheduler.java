package dev.storefront.crm.plugins;

import dev.storefront.crm.api.jobs.BackgroundTask;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs plugin jobs on their cron schedules: {@code crm.plugins.<pluginId>.jobs.<job>.cron} (Spring cron
 * syntax; {@code off} for none), else the job's own default, both read in the store's time zone
 * ({@code crm.timezone}), so "0 0 7 * * *" is 07:00 there, daylight saving included. Rescheduled whenever
 * the set of started plugins changes; a stopped plugin's schedules stop with it. Also repeats the
 * started plugins' {@link BackgroundTask}s, each on a thread of its own so a slow task delays no cron job.
 */
final class PluginScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginScheduler.class);

    /** A job's schedule and its next run, for {@code pluginJobs}. */
    record Schedule(String cron, OffsetDateTime nextRun) {
    }

    private final PluginHost host;
    private final PluginJobs jobs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "crm-plugin-cron");
        thread.setDaemon(true);
        return thread;
    });
    /** By plugin id and job name; the futures of the schedules in force. */
    private final Map<String, ScheduledFuture<?>> scheduled = new LinkedHashMap<>();
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    /** Counts reschedules, so a run that was under way during one does not schedule its old self again. */
    private long generation;
    private final List<ScheduledExecutorService> taskThreads = new ArrayList<>();

    PluginScheduler(PluginHost host, PluginJobs jobs) {
        this.host = host;
        this.jobs = jobs;
    }

    synchronized void reschedule() {
        scheduled.values().forEach(f -> f.cancel(false));
        scheduled.clear();
        schedules.clear();
        generation++;
        taskThreads.forEach(ScheduledExecutorService::shutdown);
        taskThreads.clear();
        for (StartedPlugin plugin : host.started()) {
            plugin.extensions().tasks().forEach(task -> repeat(plugin, task));
        }
        for (PluginJobs.Available job : jobs.available()) {
            StartedPlugin plugin = host.started().stream().filter(p -> p.id().equals(job.plugin())).findFirst().orElse(null);
            if (plugin == null) {
                continue;
            }
            Optional.ofNullable(plugin.context().config("jobs." + job.name() + ".cron").orElse(job.defaultCron()))
                    .filter(cron -> !cron.equalsIgnoreCase("off")).ifPresent(cron -> {
                        try {
                            schedule(job, cron, CronExpression.parse(cron), plugin);
                            log.info("Plugin job {}:{} scheduled: {} ({})", job.plugin(), job.name(), cron, plugin.context().timeZone());
                        } catch (IllegalArgumentException e) {
                            host.reportProblem(job.plugin(), "Invalid cron for job " + job.name() + ": " + e.getMessage());
                        }
                    });
        }
    }

    /** The schedule of a started plugin's job, if it has one. */
    synchronized Optional<Schedule> schedule(String plugin, String job) {
        return Optional.ofNullable(schedules.get(key(plugin, job)));
    }

    private void repeat(StartedPlugin plugin, BackgroundTask task) {
        Duration interval;
        try {
            interval = plugin.call(() -> task.interval(plugin.context()));
        } catch (Exception e) {
            host.reportProblem(plugin.id(), "Background task could not say its interval: " + PluginHost.describe(e));
            return;
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crm-plugin-task-" + plugin.id());
            t.setDaemon(true);
            return t;
        });
        taskThreads.add(thread);
        thread.scheduleWithFixedDelay(() -> {
            try {
                plugin.call(() -> {
                    task.run(plugin.context());
                    return null;
                });
            } catch (Exception e) {
                log.error("Background task of plugin {} failed", plugin.id(), e);
            }
        }, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void schedule(PluginJobs.Available job, String text, CronExpression cron, StartedPlugin plugin) {
        ZonedDateTime now = ZonedDateTime.now(plugin.context().timeZone());
        ZonedDateTime next = cron.next(now);
        if (next == null) {
            return;
        }
        long delay = Math.max(0, ChronoUnit.MILLIS.between(now, next));
        long scheduledIn = generation;
        schedules.put(key(job.plugin(), job.name()), new Schedule(text, next.toOffsetDateTime()));
        scheduled.put(key(job.plugin(), job.name()), timer.schedule(() -> {
            try {
                jobs.run(job.plugin(), job.name(), Map.of("trigger", "cron"));
            } catch (RuntimeException e) {
                log.error("Scheduled job {}:{} could not start", job.plugin(), job.name(), e);
            }
            synchronized (this) {
                if (generation == scheduledIn) {
                    schedule(job, text, cron, plugin);
                }
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    private static String key(String plugin, String job) {
        return plugin + ":" + job;
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        taskThreads.forEach(ScheduledExecutorService::shutdownNow);
    }
}
