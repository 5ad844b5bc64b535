package dev.storefront.crm.web;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.security.Principal;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per API key, a token bucket ({@code burst} requests at once, refilled at {@code perSecond}) and a
 * limit on requests worked on at the same time ({@code inFlight}; up to {@code queued} more wait
 * their turn in arrival order). The rate alone let a burst of slow requests take every core, since a
 * machine that answers fewer requests than the rate never refuses one; the in-flight limit keeps one
 * key's burst to its share of the cores, so other keys' requests are not held back. A key over its
 * rate, or with more waiting than the queue holds, gets 429 with {@code Retry-After} (whole seconds).
 */
final class RateLimitFilter extends OncePerRequestFilter {

    /** One key's budget: its bucket, its turns to run, and how many requests wait for one. */
    private record Budget(Bucket bucket, Semaphore turns, AtomicInteger waiting) {
    }

    /** The request attribute holding how its turn ends, for the dispatch that writes an asynchronous answer. */
    private static final String TURN = RateLimitFilter.class.getName() + ".turn";

    private final CrmProperties.RateLimit limit;
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

    RateLimitFilter(CrmProperties.RateLimit limit) {
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            continueTurn(request, response, chain);
            return;
        }
        if (!(request.getAttribute(Principal.ATTRIBUTE) instanceof Principal principal)) {
            chain.doFilter(request, response);
            return;
        }
        Budget budget = budgets.computeIfAbsent(principal.keyId(), key -> new Budget(Bucket.builder()
                .addLimit(l -> l.capacity(limit.burst()).refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))).build(),
                new Semaphore(limit.turns(), true), new AtomicInteger()));
        ConsumptionProbe probe = budget.bucket().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            refuse(response, seconds, "Too many requests for this API key: at most " + limit.requestsPerSecond()
                    + " a second (bursts of " + limit.burst() + "); retry after " + seconds + " s");
            return;
        }
        if (!takeTurn(budget)) {
            refuse(response, 1, "Too many requests at once for this API key: " + limit.turns() + " are worked on and "
                    + limit.queued() + " wait at most; retry after 1 s");
            return;
        }
        request.setAttribute(TURN, once(budget.turns()::release));
        continueTurn(request, response, chain);
    }

    /** GraphQL answers asynchronously: its answer is written in a second dispatch, through here again. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private static void continueTurn(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getAttribute(TURN) instanceof Runnable done) {
                endTurn(request, done);
            }
        }
    }

    /**
     * Ends the turn once the answer is written, while its last bytes still wait in the response buffer
     * for the container to send them: the client cannot send its next request before the turn is free
     * (ending it when the container reports the response complete let a sequential client at
     * in-flight 1 be refused now and then). A request still asynchronous ends its turn in its next
     * dispatch, or with its timeout or error.
     */
    private static void endTurn(HttpServletRequest request, Runnable done) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Release(done));
        } else {
            done.run();
        }
    }

    /** Waits for one of the key's turns, unless the queue is full or the wait would pass {@code maxWait}. */
    private boolean takeTurn(Budget budget) throws ServletException {
        if (budget.turns().tryAcquire()) {
            return true;
        }
        if (budget.waiting().incrementAndGet() > limit.queued()) {
            budget.waiting().decrementAndGet();
            return false;
        }
        try {
            return budget.turns().tryAcquire(limit.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while waiting for a turn", e);
        } finally {
            budget.waiting().decrementAndGet();
        }
    }

    private static void refuse(HttpServletResponse response, long seconds, String message) throws IOException {
        response.setHeader("Retry-After", String.valueOf(seconds));
        JsonErrors.write(response, 429, "RATE_LIMITED", message);
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /** Ends the turn of an asynchronous request however it ends. */
    private record Release(Runnable done) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            done.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            done.run();
        }

        @Override
        public void onError(AsyncEvent event) {
            done.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
