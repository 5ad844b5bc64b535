package dev.storefront.crm.plugins;

import dev.storefront.crm.api.jobs.BackgroundTask;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs plugin jobs on the cron schedules of their configuration,
 * {@code crm.plugins.<pluginId>.jobs.<job>.cron} (Spring cron syntax, UTC). Rescheduled whenever the
 * set of started plugins changes; a stopped plugin's schedules stop with it. Also repeats the
 * started plugins' {@link BackgroundTask}s, each on a thread of its own so a slow task delays no cron job.
 */
final class PluginScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginScheduler.class);

    private final PluginHost host;
    private final PluginJobs jobs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "crm-plugin-cron");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private final List<ScheduledExecutorService> taskThreads = new ArrayList<>();

    PluginScheduler(PluginHost host, PluginJobs jobs) {
        this.host = host;
        this.jobs = jobs;
    }

    synchronized void reschedule() {
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
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
            plugin.context().config("jobs." + job.name() + ".cron").ifPresent(cron -> {
                try {
                    schedule(job, CronExpression.parse(cron));
                    log.info("Plugin job {}:{} scheduled: {}", job.plugin(), job.name(), cron);
                } catch (IllegalArgumentException e) {
                    host.reportProblem(job.plugin(), "Invalid cron for job " + job.name() + ": " + e.getMessage());
                }
            });
        }
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

    private void schedule(PluginJobs.Available job, CronExpression cron) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        LocalDateTime next = cron.next(now);
        if (next == null) {
            return;
        }
        long delay = Math.max(0, ChronoUnit.MILLIS.between(now, next));
        scheduled.add(timer.schedule(() -> {
            try {
                jobs.run(job.plugin(), job.name(), Map.of("trigger", "cron"));
            } catch (RuntimeException e) {
                log.error("Scheduled job {}:{} could not start", job.plugin(), job.name(), e);
            }
            synchronized (this) {
                schedule(job, cron);
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        taskThreads.forEach(ScheduledExecutorService::shutdownNow);
    }
}
