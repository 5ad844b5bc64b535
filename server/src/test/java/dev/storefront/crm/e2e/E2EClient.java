package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.client.CrmClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

/**
 * The real server on a random port with the shipped model, and helpers to talk GraphQL to it over
 * HTTP. Which DuckDB file it runs on is the subclass's choice: {@link E2ESupport} shares one file
 * between classes, a class that must own all its data registers {@code crm.database} itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class E2EClient {

    /** The admin key every test server accepts ({@code crm.security.admin-key}). */
    public static final String ADMIN_KEY = "crm_test_admin_key_0123456789";

    @LocalServerPort
    protected int port;

    /** For assertions on errors and paths (Spring's tester). */
    protected HttpGraphQlTester graphQl;
    /** The Java client of {@code clients/java}: requests that must succeed. */
    protected CrmClient crm;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.sql.timeout", () -> "2s");
        registry.add("crm.security.admin-key", () -> ADMIN_KEY);
        registry.add("crm.sql.max-row-chars", () -> "1000");
        registry.add("crm.sql.max-result-chars", () -> "5000");
        registry.add("crm.duckdb.memory-limit", () -> "256MB");
        registry.add("crm.duckdb.threads", () -> "2");
        registry.add("crm.http.max-body-size", () -> "2MB");
        // Tests share one key and one server; ServerJarE2EIT checks the rate limit on a server of its own.
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
    }

    @BeforeEach
    void connect() {
        graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + ADMIN_KEY)
                .responseTimeout(java.time.Duration.ofSeconds(60))
                .build());
        crm = CrmClient.create(baseUrl(), ADMIN_KEY);
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected GraphQlTester.Response run(String document, Map<String, Object> variables) {
        GraphQlTester.Request<?> request = graphQl.document(document);
        variables.forEach(request::variable);
        return request.execute();
    }

    protected GraphQlTester.Response run(String document) {
        return run(document, Map.of());
    }

    /** The data of a request that must succeed with no error, asked through the Java client as an integrator would. */
    protected Map<String, Object> ok(String document, Map<String, Object> variables) {
        Map<String, Object> data;
        try {
            data = crm.query(document, variables).getData();
        } catch (CrmClient.CrmClientException e) {
            throw new AssertionError("errors of " + document + ": " + e.getMessage(), e);
        }
        assertThat(data).as("data of %s", document).isNotNull();
        return data;
    }

    protected Map<String, Object> ok(String document) {
        return ok(document, Map.of());
    }

    /** Each node of the one list {@code document} asks for, as its values joined by spaces. */
    @SuppressWarnings("unchecked")
    protected List<String> nodeLines(String document) {
        Map<String, Object> list = (Map<String, Object>) ok(document).values().iterator().next();
        return ((List<Map<String, Object>>) list.get("nodes")).stream()
                .map(node -> String.join(" ", node.values().stream().map(String::valueOf).toList())).toList();
    }

    /** The one error a request answered with (in a GraphQL answer, status 200), asked through the Java client. */
    public static ResponseError oneError(CrmClient client, String document, Map<String, Object> variables) {
        try {
            Map<String, Object> data = client.query(document, variables).getData();
            throw new AssertionError("no error for " + document + ", data: " + data);
        } catch (CrmClient.CrmClientException e) {
            assertThat(e.status()).as("status of %s", document).isEqualTo(200);
            assertThat(e.errors()).as("errors of %s", document).hasSize(1);
            return e.errors().get(0);
        }
    }

    protected ResponseError error(String document, Map<String, Object> variables) {
        return oneError(crm, document, variables);
    }

    protected ResponseError error(String document) {
        return error(document, Map.of());
    }

    /** Creates an object named {@code apiName} (singular {@code <apiName>_item}) with the given fields. */
    protected void createObject(String apiName, List<Map<String, Object>> fields) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("apiName", apiName);
        input.put("singularLabel", apiName + " item");
        input.put("pluralLabel", apiName);
        input.put("fields", fields);
        run("mutation($input: CreateObjectInput!) { createObject(input: $input) { apiName } }", Map.of("input", input))
                .path("createObject.apiName").entity(String.class).isEqualTo(apiName);
    }

    protected static Map<String, Object> field(String label, String type, Object... settings) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("label", label);
        field.put("type", type);
        for (int i = 0; i < settings.length; i += 2) {
            field.put((String) settings[i], settings[i + 1]);
        }
        return field;
    }

    /** A name no other test uses, so tests sharing the server never collide. */
    protected static String unique(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    /** A request carrying the test admin key. */
    public static java.net.http.HttpRequest.Builder authorized(java.net.URI uri) {
        return java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    /** The entry number inside a global id ({@code base64url("customers:17")} → 17), for ordering by id. */
    public static long idNumber(String globalId) {
        String decoded = new String(java.util.Base64.getUrlDecoder().decode(globalId), java.nio.charset.StandardCharsets.UTF_8);
        return Long.parseLong(decoded.substring(decoded.indexOf(':') + 1));
    }

    public static Path newDatabaseFile() {
        try {
            return TestFolders.create("crm-it").resolve("crm.duckdb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
