package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Keys scoped to one plugin, against the real WooCommerce plugin jar: such a key calls that plugin's
 * queries and mutations (within its role) and nothing else, neither the CRM's own operations nor
 * its REST endpoints.
 */
class PluginKeysE2EIT extends PluginE2ESupport {

    private String createKey(String name, String role, String plugin) {
        return run("mutation($n: String!, $p: String) { createApiKey(name: $n, role: " + role + ", plugin: $p) { secret } }",
                plugin == null ? Map.of("n", name) : Map.of("n", name, "p", plugin)).path("createApiKey.secret").entity(String.class).get();
    }

    private HttpGraphQlTester as(String key) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + key).responseTimeout(Duration.ofSeconds(60)).build());
    }

    private static void refused(HttpGraphQlTester tester, String document, String message) {
        tester.document(document).execute().errors().satisfy(errors -> {
            assertThat(errors).extracting(ResponseError::getMessage).containsExactly(message);
            assertThat(errors.get(0).getExtensions()).containsEntry("code", "FORBIDDEN");
        });
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPluginKeyCallsItsPluginsOperationsOnly() throws Exception {
        String viewer = createKey("woo status board", "VIEWER", "woocommerce");
        as(viewer).document("{ wooCommerceSyncStatus { configured } }").execute()
                .path("wooCommerceSyncStatus.configured").entity(Boolean.class).isEqualTo(true);
        refused(as(viewer), "{ customers(first: 1) { totalCount } }",
                "The key 'woo status board' may only call the operations of plugin woocommerce; customers is not one of them");

        // An admin key of the plugin runs the plugin's mutations, but none of the CRM's admin operations.
        String admin = createKey("woo sender", "ADMIN", "woocommerce");
        as(admin).document("mutation { wooCommerceCheckConnection { ok } }").execute()
                .path("wooCommerceCheckConnection.ok").entity(Boolean.class).isEqualTo(true);
        refused(as(admin), "mutation { createApiKey(name: \"escalated\", role: ADMIN) { secret } }",
                "The key 'woo sender' may only call the operations of plugin woocommerce; createApiKey is not one of them");
        refused(as(admin), "{ wooCommerceSyncStatus { configured } sql(query: \"SELECT 1\") { rows } }",
                "The key 'woo sender' may only call the operations of plugin woocommerce; sql is not one of them");
        HttpResponse<String> export = get("/export/customers", admin);
        assertThat(export.statusCode()).isEqualTo(403);
        assertThat(export.body()).contains("may only call the GraphQL operations of plugin woocommerce, not /export/customers");
        // A viewer key of the plugin still cannot run the plugin's admin mutation.
        refused(as(viewer), "mutation { wooCommerceCheckConnection { ok } }",
                "The viewer role cannot use wooCommerceCheckConnection; it needs admin");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = run("{ apiKeys { name role plugin } }").path("apiKeys").entityList(Map.class).get()
                .stream().filter(k -> k.get("name").toString().startsWith("woo ")).map(k -> (Map<String, Object>) k).toList();
        assertThat(listed).containsExactly(Map.of("name", "woo status board", "role", "VIEWER", "plugin", "woocommerce"),
                Map.of("name", "woo sender", "role", "ADMIN", "plugin", "woocommerce"));
    }

    @Test
    void aKeyCannotBeScopedToAPluginThatIsNotInstalled() {
        ResponseError error = error("mutation { createApiKey(name: \"ghost\", role: VIEWER, plugin: \"ghost\") { secret } }");
        assertThat(error.getMessage()).isEqualTo("plugin: no plugin 'ghost' is installed");
        assertThat(error.getExtensions()).containsEntry("code", "VALIDATION");
    }
}
