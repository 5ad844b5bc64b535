package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One request in flight per key, none waiting: while the admin key's slow SQL console query runs,
 * its next request is refused at once with 429, and another key's request is answered as usual.
 */
class InFlightLimitE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TYPENAME = "{\"query\": \"{ __typename }\"}";

    @DynamicPropertySource
    static void oneAtATime(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.rate-limit.in-flight", () -> "1");
        registry.add("crm.rate-limit.queued", () -> "0");
    }

    private HttpRequest post(String path, String key, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private CompletableFuture<HttpResponse<String>> slowQuery() {
        return HTTP.sendAsync(post("/sql", ADMIN_KEY, "{\"query\": \"SELECT sum(hash(i)) FROM range(100000000000) t(i)\"}"),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKeysSecondRequestWaitsForNoOneElse() throws Exception {
        String other = ok("mutation { createApiKey(name: \"other desk\", role: VIEWER) { secret } }").get("createApiKey") instanceof java.util.Map<?, ?> m
                ? (String) m.get("secret") : null;
        CompletableFuture<HttpResponse<String>> slow = slowQuery();

        // The slow query starts when the server gets to it: until then the admin key's probes are answered.
        HttpResponse<String> refused = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (refused == null && Instant.now().isBefore(deadline)) {
            if (slow.isDone()) {
                // The key's turn ends when its previous answer has been sent, a moment after the client reads it:
                // a query sent in that moment is refused, and is sent again.
                assertThat(slow.get().statusCode()).as("the slow query ended before any probe: " + slow.get().body()).isEqualTo(429);
                slow = slowQuery();
                continue;
            }
            HttpResponse<String> probe = HTTP.send(post("/graphql", ADMIN_KEY, TYPENAME), HttpResponse.BodyHandlers.ofString());
            if (probe.statusCode() == 429) {
                refused = probe;
            }
        }
        assertThat(refused).as("a request of the admin key while its slow query runs").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).isEqualTo("{\"errors\":[{\"message\":\"Too many requests at once for this API key: 1 are worked on"
                + " and 0 wait at most; retry after 1 s\",\"extensions\":{\"code\":\"RATE_LIMITED\"}}]}");

        HttpResponse<String> others = HTTP.send(post("/graphql", other, TYPENAME), HttpResponse.BodyHandlers.ofString());
        assertThat(others.statusCode()).isEqualTo(200);
        assertThat(others.body()).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
        assertThat(slow.isDone()).as("the slow query was still running when the other key was answered").isFalse();

        HttpResponse<String> cancelled = slow.get();
        assertThat(cancelled.statusCode()).isEqualTo(400);
        assertThat(cancelled.body()).contains("The query was cancelled after 2 s");
        // Served again once the slow query's turn has ended (a moment after its answer was read).
        HttpResponse<String> after = HTTP.send(post("/graphql", ADMIN_KEY, TYPENAME), HttpResponse.BodyHandlers.ofString());
        Instant served = Instant.now().plus(Duration.ofSeconds(10));
        while (after.statusCode() == 429 && Instant.now().isBefore(served)) {
            after = HTTP.send(post("/graphql", ADMIN_KEY, TYPENAME), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(after.body()).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
    }
    /**
     * A client that sends its next request only once it has read the answer is never refused at
     * in-flight 1: the turn ends before the last bytes of the answer leave, for GraphQL's asynchronous
     * answers as for the SQL console's.
     */
    @Test
    void aSequentialClientIsNeverRefused() throws Exception {
        for (int i = 0; i < 150; i++) {
            HttpResponse<String> graphQl = HTTP.send(post("/graphql", ADMIN_KEY, TYPENAME), HttpResponse.BodyHandlers.ofString());
            assertThat(graphQl.statusCode()).as("GraphQL request " + i + ": " + graphQl.body()).isEqualTo(200);
            HttpResponse<String> sql = HTTP.send(post("/sql", ADMIN_KEY, "{\"query\": \"SELECT 1 AS one\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(sql.statusCode()).as("console request " + i + ": " + sql.body()).isEqualTo(200);
        }
    }
}
