package dev.storefront.crm.web;

import dev.storefront.crm.storage.Cancellation;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Stops a request's database work when its client goes away. The Servlet API never says that a
 * client left (Tomcat notices only when it next reads or writes the connection), so while a request
 * runs longer than {@code interval} this valve looks at the connection every {@code interval}: once
 * the request body has been read, a non-blocking read that finds the end of the stream twice in a
 * row means the client closed it, and the request's {@link Cancellation} interrupts its queries.
 * (A client that pipelined its next request makes the first read find data and the second none.)
 * A Tomcat valve rather than a filter because only Tomcat's own request exposes the connection.
 */
final class ClientWatch extends ValveBase {

    private final Duration interval;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "client-watch");
        thread.setDaemon(true);
        return thread;
    });

    ClientWatch(Duration interval) {
        super(true);
        this.interval = interval;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try (Cancellation cancellation = Cancellation.open()) {
            Watch watch = new Watch(request.getCoyoteRequest(), cancellation);
            ScheduledFuture<?> looking = watcher.scheduleWithFixedDelay(watch::look, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                getNext().invoke(request, response);
            } finally {
                looking.cancel(false);
                watch.stop();
            }
        }
    }

    /** One request's connection, looked at from the watcher's thread until the request thread is done with it. */
    private static final class Watch {

        private final org.apache.coyote.Request request;
        private final Cancellation cancellation;
        private boolean stopped;

        Watch(org.apache.coyote.Request request, Cancellation cancellation) {
            this.request = request;
            this.cancellation = cancellation;
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
