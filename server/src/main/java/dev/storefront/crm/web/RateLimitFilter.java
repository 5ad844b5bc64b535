package dev.storefront.crm.web;

import dev.storefront.crm.security.Principal;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket per API key: {@code burst} requests at once, refilled at {@code perSecond}. A key
 * over its rate gets 429 with {@code Retry-After} (whole seconds) and costs the server nothing more,
 * so one key's burst leaves the others their share.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final long perSecond;
    private final long burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimitFilter(long perSecond, long burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(request.getAttribute(Principal.ATTRIBUTE) instanceof Principal principal)) {
            chain.doFilter(request, response);
            return;
        }
        Bucket bucket = buckets.computeIfAbsent(principal.keyId(), key -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            response.setHeader("Retry-After", String.valueOf(seconds));
            JsonErrors.write(response, 429, "RATE_LIMITED", "Too many requests for this API key: at most " + perSecond
                    + " a second (bursts of " + burst + "); retry after " + seconds + " s");
            return;
        }
        chain.doFilter(request, response);
    }
}
