package dev.storefront.crm.plugins;

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
 * set of started plugins changes; a stopped plugin's schedules stop with it.
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

    PluginScheduler(PluginHost host, PluginJobs jobs) {
        this.host = host;
        this.jobs = jobs;
    }

    synchronized void reschedule() {
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
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
    public void close() {
        timer.shutdownNow();
    }
}
