package dev.storefront.crm.web;

import dev.storefront.crm.storage.Cancellation;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a request's database work when its client goes away. The Servlet API never says that a
 * client left (Tomcat notices only when it next reads or writes the connection), so every
 * {@code interval} this valve looks at the connection of each request that has run that long: once
 * the request body has been read, a non-blocking read that finds the end of the stream twice in a
 * row means the client closed it, and the request's {@link Cancellation} interrupts its queries.
 * (A client that pipelined its next request makes the first read find data and the second none.)
 * A Tomcat valve rather than a filter because only Tomcat's own request exposes the connection.
 * One sweep over the running requests, not a timer per request: scheduling and cancelling a task
 * for every request took the scheduler's lock twice a request and woke the watcher for each
 * cancelled task, ~9% of a short request's CPU (bench/NOTES.md, tenth session).
 */
final class ClientWatch extends ValveBase {

    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);

    private final long intervalNanos;
    private final Set<Watch> running = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService watcher;

    ClientWatch(Duration interval) {
        super(true);
        this.intervalNanos = interval.toNanos();
    }

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "client-watch");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::lookAtLongRequests, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        super.startInternal();
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        super.stopInternal();
        watcher.shutdownNow();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try (Cancellation cancellation = Cancellation.open()) {
            Watch watch = new Watch(request.getCoyoteRequest(), cancellation, System.nanoTime());
            running.add(watch);
            try {
                getNext().invoke(request, response);
            } finally {
                running.remove(watch);
                watch.stop();
            }
        }
    }

    private void lookAtLongRequests() {
        long now = System.nanoTime();
        for (Watch watch : running) {
            if (now - watch.started >= intervalNanos) {
                // One connection that cannot be looked at must not end the sweep for every later request.
                try {
                    watch.look();
                } catch (RuntimeException e) {
                    log.debug("Could not look at a request's connection", e);
                }
            }
        }
    }

    /** One request's connection, looked at from the watcher's thread until the request thread is done with it. */
    private static final class Watch {

        private final org.apache.coyote.Request request;
        private final Cancellation cancellation;
        private final long started;
        private boolean stopped;

        Watch(org.apache.coyote.Request request, Cancellation cancellation, long started) {
            this.request = request;
            this.cancellation = cancellation;
            this.started = started;
        }

        /** Reads the connection only while the request thread does not: after the body, before the answer ends. */
        synchronized void look() {
            if (stopped || !bodyRead()) {
                return;
            }
            if (atEndOfStream() && atEndOfStream()) {
                stopped = true;
                cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            }
        }

        synchronized void stop() {
            stopped = true;
        }

        private boolean bodyRead() {
            AtomicBoolean read = new AtomicBoolean();
            request.action(ActionCode.REQUEST_BODY_FULLY_READ, read);
            return read.get();
        }

        /** Tomcat answers a non-blocking read's end of stream (or failure) as one byte available. */
        private boolean atEndOfStream() {
            request.action(ActionCode.AVAILABLE, Boolean.TRUE);
            return request.getAvailable() > 0;
        }
    }
}
