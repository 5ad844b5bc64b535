package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.client.CrmClient;
import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.TestFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server on a random port with a plugins folder, and what its tests share: GraphQL and HTTP
 * calls, waiting for jobs, reading whole connections. Subclasses say which database and plugins
 * folder with a {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PluginServerSupport {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    protected HttpGraphQlTester graphQl;
    protected CrmClient crm;

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
    }

    @BeforeEach
    void connect() {
        graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY)
                // Whole stores' answers (every customer's scores, say) exceed the default 256 KB.
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20))
                .responseTimeout(Duration.ofSeconds(120))
                .build());
        crm = CrmClient.create("http://localhost:" + port, E2EClient.ADMIN_KEY);
    }

    protected GraphQlTester.Response run(String document, Map<String, Object> variables) {
        GraphQlTester.Request<?> request = graphQl.document(document);
        variables.forEach(request::variable);
        return request.execute();
    }

    protected GraphQlTester.Response run(String document) {
        return run(document, Map.of());
    }

    protected ResponseError error(String document) {
        return E2EClient.oneError(crm, document, Map.of());
    }

    @SuppressWarnings("unchecked")
    protected Map<String, Object> plugin(String id) {
        return run("query($id: ID!) { plugin(id: $id) { id version state enabled error description "
                + "contributes { queryFields mutationFields types objects importers jobs endpoints } } }", Map.of("id", id))
                .path("plugin").entity(Map.class).get();
    }

    /** Polls {@code job(id)} until it finished; returns it with its error report. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> awaitJob(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, Object> job = run("query($id: ID!) { job(id: $id) { id plugin name state processed total errorCount "
                    + "errors { row column value reason } message startedAt finishedAt } }", Map.of("id", id))
                    .path("job").entity(Map.class).get();
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, job.get("state")).isLessThan(deadline);
            sleep(50);
        }
    }

    /** {@code POST /imports/{importer}} with a CSV body; returns the job id from the 202 answer. */
    protected String postImport(String importer, String csv, String query) throws Exception {
        HttpResponse<String> response = post("/imports/" + importer + (query == null ? "" : "?" + query), "text/csv", csv);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return (String) JSON.readValue(response.body(), Map.class).get("jobId");
    }

    /** {@code POST /imports/{importer}} with {@code file} as the body, sent from disk; returns the job id from the 202 answer. */
    protected String postImport(String importer, Path file) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(E2EClient.authorized(URI.create("http://localhost:" + port
                        + "/imports/" + importer)).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return (String) JSON.readValue(response.body(), Map.class).get("jobId");
    }

    protected HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient().send(E2EClient.authorized(URI.create("http://localhost:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every node of a root connection, page by page. */
    @SuppressWarnings("unchecked")
    protected List<Map<String, Object>> allNodes(String connection, String fields) {
        List<Map<String, Object>> nodes = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            Map<String, Object> page = run("query($after: String) { " + connection + "(first: 1000, after: $after) { "
                    + "pageInfo { hasNextPage endCursor } nodes { " + fields + " } } }",
                    after == null ? Map.of() : Map.of("after", after)).path(connection).entity(Map.class).get();
            nodes.addAll((List<Map<String, Object>>) page.get("nodes"));
            Map<String, Object> info = (Map<String, Object>) page.get("pageInfo");
            if (!Boolean.TRUE.equals(info.get("hasNextPage"))) {
                return nodes;
            }
            after = (String) info.get("endCursor");
        }
    }

    /** Every customer, by email (no filters in GraphQL yet, so the test picks). */
    protected Map<String, Map<String, Object>> customersByEmail() {
        List<Map<String, Object>> nodes = allNodes("customers", "id fullName firstName lastName email phone "
                + "woocommerceId totalOrders lifetimeValue billingCompany billingCity billingCountry registeredAt");
        Map<String, Map<String, Object>> byEmail = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> byEmail.put((String) n.get("email"), n));
        return byEmail;
    }

    protected static Path newFolder(String prefix) {
        try {
            return TestFolders.create(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
