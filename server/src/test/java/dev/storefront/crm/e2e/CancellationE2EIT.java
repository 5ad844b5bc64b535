package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A query nobody waits for is stopped inside DuckDB: when its client closes the connection, and when a
 * GraphQL request passes its deadline. The SQL console's own timeout is a minute here, so only the
 * cancellation can stop these queries within the seconds the tests wait.
 */
class CancellationE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Hours of work for DuckDB, read in chunks, so an interrupt stops it at once. */
    private static final String ENDLESS = "SELECT sum(hash(i)) FROM range(100000000000) t(i)";

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.sql.timeout", () -> "60s");
        registry.add("crm.graphql.request-timeout", () -> "2s");
    }

    private double cancelled(String reason) throws Exception {
        HttpResponse<String> response = HTTP.send(authorized(URI.create(baseUrl()
                + "/actuator/metrics/crm.requests.cancelled?tag=reason:" + reason)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        return JSON.readTree(response.body()).path("measurements").get(0).path("value").asDouble();
    }

    private double waitForCancelled(String reason, double expected, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        double seen = cancelled(reason);
        while (seen != expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            seen = cancelled(reason);
        }
        return seen;
    }

    /** Sends {@code body} to {@code path} over a socket of its own and closes it without reading the answer. */
    private void sendAndHangUp(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            // Long enough for the server to be inside the query; the assertions below do not depend on it.
            Thread.sleep(500);
        }
    }

    private long millisOfSmallQuery() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(authorized(URI.create(baseUrl() + "/sql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 42 AS answer\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(response.body()).path("rows").get(0).get(0).asInt()).isEqualTo(42);
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void aConsoleQueryStopsWhenItsClientHangsUp() throws Exception {
        double before = cancelled("CLIENT_GONE");
        sendAndHangUp("/sql", JSON.writeValueAsString(Map.of("query", ENDLESS)));

        assertThat(waitForCancelled("CLIENT_GONE", before + 1, Duration.ofSeconds(20))).isEqualTo(before + 1);
        System.out.println("CancellationE2EIT: a small query after the hang-up answered in " + millisOfSmallQuery() + " ms");
    }

    @Test
    void aGraphQlQueryStopsWhenItsClientHangsUp() throws Exception {
        double before = cancelled("CLIENT_GONE");
        sendAndHangUp("/graphql", JSON.writeValueAsString(Map.of("query", "query($q: String!) { sql(query: $q) { rows } }",
                "variables", Map.of("q", ENDLESS))));

        assertThat(waitForCancelled("CLIENT_GONE", before + 1, Duration.ofSeconds(20))).isEqualTo(before + 1);
    }

    @Test
    void aGraphQlQueryStopsAtItsDeadline() throws Exception {
        double before = cancelled("DEADLINE");
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(authorized(URI.create(baseUrl() + "/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "query", "query($q: String!) { sql(query: $q) { rows } }", "variables", Map.of("q", ENDLESS))))).build(),
                HttpResponse.BodyHandlers.ofString());
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("message").asString()).isEqualTo("The request was stopped: the request ran past its deadline");
        assertThat(error.path("extensions").path("code").asString()).isEqualTo("VALIDATION");
        assertThat(seconds).as("stopped at the 2 s deadline, not the console's minute").isLessThan(30);
        assertThat(waitForCancelled("DEADLINE", before + 1, Duration.ofSeconds(5))).isEqualTo(before + 1);
    }
}
