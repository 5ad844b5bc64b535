package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** API keys and roles over real HTTP: who may do what, revoked and expired keys, cross-origin requests, the audit log. */
class AccessControlE2EIT extends E2ESupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private String createKey(String name, String role, String expiresAt) {
        return run("mutation($n: String!, $r: ApiKeyRole!, $e: DateTime) { createApiKey(name: $n, role: $r, expiresAt: $e) "
                + "{ secret key { id name role } } }", expiresAt == null ? Map.of("n", name, "r", role) : Map.of("n", name, "r", role, "e", expiresAt))
                .path("createApiKey.secret").entity(String.class).get();
    }

    private GraphQlTester as(String secret) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl(baseUrl() + "/graphql")
                .defaultHeader("Authorization", "Bearer " + secret).responseTimeout(Duration.ofSeconds(60)).build());
    }

    private HttpResponse<String> send(String method, String path, String secret, String contentType, String body, String origin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) {
        JsonNode body = JSON.readTree(response.body());
        return body.path("errors").get(0).path("extensions").path("code").asString();
    }

    private static void refused(GraphQlTester tester, String document, String message) {
        tester.document(document).execute().errors().satisfy(errors -> {
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).getMessage()).isEqualTo(message);
            assertThat(errors.get(0).getExtensions()).containsEntry("code", "FORBIDDEN");
        });
    }

    @Test
    void withoutAKeyOnlyGraphiQlAndWebhooksAnswer() throws Exception {
        HttpResponse<String> graphql = send("POST", "/graphql", null, "application/json", "{\"query\": \"{ __typename }\"}", null);
        assertThat(graphql.statusCode()).isEqualTo(401);
        assertThat(graphql.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(code(graphql)).isEqualTo("UNAUTHENTICATED");
        assertThat(send("POST", "/sql", null, "application/json", "{\"query\": \"SELECT 1\"}", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/export/customers.csv", null, null, null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/imports/csv:customers", null, "text/csv", "email\na@b.example\n", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/graphql", "crm_not_a_key", "application/json", "{\"query\": \"{ __typename }\"}", null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> page = send("GET", "/graphiql", null, null, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("isHeadersEditorEnabled: true");
    }

    @Test
    void eachRoleMayDoItsOperationsAndNoMore() throws Exception {
        String viewer = createKey("viewer " + unique("v"), "VIEWER", null);
        String editor = createKey("editor " + unique("e"), "EDITOR", null);
        String id = run("mutation { createCustomer(input: { fullName: \"Role Rhea\", email: \"rhea." + unique("r") + "@example.com\" }) { id } }")
                .path("createCustomer.id").entity(String.class).get();

        as(viewer).document("query($id: ID!) { customer(id: $id) { fullName } }").variable("id", id).execute()
                .path("customer.fullName").entity(String.class).isEqualTo("Role Rhea");
        refused(as(viewer), "mutation { createCustomer(input: { fullName: \"No\" }) { id } }",
                "The viewer role cannot use createCustomer; it needs editor");
        refused(as(viewer), "{ sql(query: \"SELECT 1\") { rows } }", "The viewer role cannot use sql; it needs admin");
        assertThat(send("GET", "/export/customers.csv", viewer, null, null, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/imports/csv:customers", viewer, "text/csv", "email\na@b.example\n", null).statusCode()).isEqualTo(403);

        as(editor).document("mutation($id: ID!) { updateCustomer(id: $id, input: { fullName: \"Role Rhea II\" }) { fullName } }")
                .variable("id", id).execute().path("updateCustomer.fullName").entity(String.class).isEqualTo("Role Rhea II");
        refused(as(editor), "mutation { addField(object: \"customers\", input: { label: \"Nope\", type: TEXT }) { apiName } }",
                "The editor role cannot use addField; it needs admin");
        refused(as(editor), "{ apiKeys { id } }", "The editor role cannot use apiKeys; it needs admin");
        refused(as(editor), "mutation { stopPlugin(id: \"woocommerce\") { state } }", "The editor role cannot use stopPlugin; it needs admin");
        refused(as(editor), "{ ... on Query { sql(query: \"SELECT 1\") { rows } } }", "The editor role cannot use sql; it needs admin");
        assertThat(send("GET", "/export/customers.csv", editor, null, null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> sql = send("POST", "/sql", editor, "application/json", "{\"query\": \"SELECT 1\"}", null);
        assertThat(sql.statusCode()).isEqualTo(403);
        assertThat(code(sql)).isEqualTo("FORBIDDEN");

        run("{ sql(query: \"SELECT 1 AS one\") { rows } }").path("sql.rows[0][0]").entity(Integer.class).isEqualTo(1);
    }

    @Test
    void revokedAndExpiredKeysAreRefused() throws Exception {
        String name = unique("temp");
        String secret = createKey(name, "VIEWER", null);
        String body = "{\"query\": \"{ __typename }\"}";
        assertThat(send("POST", "/graphql", secret, "application/json", body, null).statusCode()).isEqualTo(200);
        String id = run("{ apiKeys { id name role revokedAt } }").path("apiKeys").entityList(Map.class).get().stream()
                .filter(k -> name.equals(k.get("name"))).findFirst().map(k -> (String) k.get("id")).orElseThrow();
        run("mutation($id: ID!) { revokeApiKey(id: $id) { name revokedAt } }", Map.of("id", id))
                .path("revokeApiKey.name").entity(String.class).isEqualTo(name);
        HttpResponse<String> revoked = send("POST", "/graphql", secret, "application/json", body, null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(revoked.body()).path("errors").get(0).path("message").asString())
                .isEqualTo("The API key is unknown, revoked or expired");

        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2).toString();
        String expiring = createKey(unique("expiring"), "VIEWER", soon);
        assertThat(send("POST", "/graphql", expiring, "application/json", body, null).statusCode()).isEqualTo(200);
        Thread.sleep(2500);
        assertThat(send("POST", "/graphql", expiring, "application/json", body, null).statusCode()).isEqualTo(401);

        assertThat(error("mutation { createApiKey(name: \"past\", role: VIEWER, expiresAt: \"2020-01-01T00:00:00Z\") { secret } }").getMessage())
                .isEqualTo("expiresAt: 2020-01-01T00:00Z is not in the future");
    }

    @Test
    void aCrossOriginUploadIsRefusedWithOrWithoutAKey() throws Exception {
        String email = unique("csrf") + "@example.com";
        String boundary = "----crm" + unique("b");
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "email,full_name\r\n" + email + ",Cross Site\r\n--" + boundary + "--\r\n";
        String type = "multipart/form-data; boundary=" + boundary;
        HttpResponse<String> browser = send("POST", "/imports/csv:customers", null, type, multipart, "http://evil.example");
        assertThat(browser.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(browser.body()).path("errors").get(0).path("message").asString())
                .isEqualTo("Requests from http://evil.example are not allowed (crm.cors.allowed-origins)");
        assertThat(send("POST", "/imports/csv:customers", ADMIN_KEY, type, multipart, "http://evil.example").statusCode()).isEqualTo(403);
        run("query($e: String) { customers(where: { email: { eq: $e } }) { totalCount } }", Map.of("e", email))
                .path("customers.totalCount").entity(Integer.class).isEqualTo(0);
        // The same origin as the server is no cross-origin request.
        assertThat(send("POST", "/graphql", ADMIN_KEY, "application/json", "{\"query\": \"{ __typename }\"}", baseUrl()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theAuditLogSaysWhichKeyChangedWhatAndWhen() {
        String keyName = unique("auditor");
        String editor = createKey(keyName, "EDITOR", null);
        String id = as(editor).document("mutation { createCustomer(input: { fullName: \"Audit Ada\", notes: \"x\" }) { id } }").execute()
                .path("createCustomer.id").entity(String.class).get();
        as(editor).document("mutation($id: ID!) { updateCustomer(id: $id, input: { fullName: \"Audit Ada II\" }) { id } }")
                .variable("id", id).execute().path("updateCustomer.id").entity(String.class).isEqualTo(id);
        List<Map> entries = run("{ auditLog(object: \"customers\", first: 1000) { at keyName action object entryId fields } }")
                .path("auditLog").entityList(Map.class).get().stream().filter(e -> keyName.equals(e.get("keyName"))).toList();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).containsEntry("action", "updateCustomer").containsEntry("object", "customers")
                .containsEntry("entryId", id).containsEntry("fields", List.of("fullName"));
        assertThat(entries.get(1)).containsEntry("action", "createCustomer").containsEntry("entryId", id)
                .containsEntry("fields", List.of("fullName", "notes"));
        refused(as(editor), "{ auditLog { action } }", "The editor role cannot use auditLog; it needs admin");
    }

    /** An update by id commits with its audit row in one statement, which must write neither when it changes nothing. */
    @Test
    void anUpdateIsAuditedOnlyWhenItChangedTheEntry() {
        String keyName = unique("versioned");
        GraphQlTester editor = as(createKey(keyName, "EDITOR", null));
        Map<?, ?> created = editor.document("mutation { createCustomer(input: { fullName: \"Vera Version\" }) { id updatedAt } }")
                .execute().path("createCustomer").entity(Map.class).get();
        String id = (String) created.get("id");
        String update = "mutation($id: ID!, $v: DateTime) { updateCustomer(id: $id, input: { notes: \"one\" }, ifVersion: $v) { id } }";
        editor.document(update).variable("id", id).variable("v", created.get("updatedAt")).execute()
                .path("updateCustomer.id").entity(String.class).isEqualTo(id);
        editor.document(update).variable("id", id).variable("v", created.get("updatedAt")).execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "CONFLICT")));
        editor.document("mutation { updateCustomer(id: \"987654321\", input: { notes: \"one\" }) { id } }").execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage()).isEqualTo("No customers entry with id 987654321")));
        List<Map> entries = run("{ auditLog(object: \"customers\", first: 1000) { keyName action entryId fields } }")
                .path("auditLog").entityList(Map.class).get().stream().filter(e -> keyName.equals(e.get("keyName"))).toList();
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("entryId") + " " + e.get("fields"))
                .containsExactly("updateCustomer " + id + " [notes]", "createCustomer " + id + " [fullName]");
        run("query($id: ID!) { customer(id: $id) { notes } }", Map.of("id", id)).path("customer.notes").entity(String.class).isEqualTo("one");
    }
}
