package dev.storefront.crm.e2e;

import java.math.BigDecimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.storefront.crm.CrmApplication;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.schema.SchemaYamlLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real application started twice on one DuckDB file: everything the metadata API and the
 * entry API changed in the first run is there in the second, served by the regenerated schema, and
 * the YAML model applied at the second start finds nothing to do. A page cursor of the first run
 * still pages in the second.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartDurabilityE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void modelChangesAndEntriesSurviveARestartAndYamlAppliesNothingTheSecondTime(CapturedOutput output) throws Exception {
        Path database = E2ESupport.newDatabaseFile();
        String customerId;
        String orderId;
        String lampId;
        String deskId;
        String cursorAfterLamp;

        try (ConfigurableApplicationContext first = start(database)) {
            // A fresh database: the YAML created the shipped model (initial load is version 1).
            assertThat(first.getBean(SchemaService.class).current().version()).isEqualTo(2);
            Server server = new Server(first);

            server.ok("mutation { createObject(input: {apiName: \"gadgets\", singularLabel: \"Gadget\", pluralLabel: \"Gadgets\","
                    + " description: \"Things on the desk\", fields: [{label: \"Name\", type: TEXT, required: true},"
                    + " {label: \"Price\", type: NUMBER}]}) { typeName } }");
            server.ok("mutation { addField(object: \"gadgets\", input: {label: \"Color\", type: ENUM, options: [\"Red\", \"Blue\"],"
                    + " defaultValue: \"Red\"}) { apiName } }");
            server.ok("mutation { updateField(object: \"gadgets\", field: \"price\", input: {apiName: \"list_price\","
                    + " label: \"List Price\"}) { apiName } }");
            lampId = (String) at(server.ok("mutation { createGadget(input: {name: \"Lamp\", listPrice: 19.99, color: BLUE}) { id } }"),
                    "createGadget").get("id");
            deskId = (String) at(server.ok("mutation { createGadget(input: {name: \"Desk\", listPrice: 120}) { id } }"),
                    "createGadget").get("id");
            cursorAfterLamp = (String) at(at(server.ok("{ gadgets(first: 1) { pageInfo { endCursor } } }"), "gadgets"),
                    "pageInfo").get("endCursor");

            customerId = (String) at(server.ok("mutation { createCustomer(input: {fullName: \"Ada Lovelace\","
                    + " email: \"ada@example.com\", customerSegment: VIP, tags: [\"math\", \"poetry\"]}) { id } }"),
                    "createCustomer").get("id");
            orderId = (String) at(server.ok("mutation { createOrder(input: {orderNumber: \"R-1001\", customerId: \""
                    + customerId + "\", totalAmount: 42.5}) { id } }"), "createOrder").get("id");
            server.ok("mutation { addField(object: \"customers\", input: {label: \"Loyalty Tier\", type: TEXT,"
                    + " defaultValue: \"bronze\"}) { apiName } }");
            assertThat(at(server.ok("{ customer(id: \"" + customerId + "\") { loyaltyTier } }"), "customer"))
                    .containsEntry("loyaltyTier", "bronze");
        }

        int logMark = output.getOut().length();
        try (ConfigurableApplicationContext second = start(database)) {
            // Nothing was applied at start: the model loaded from the database is still version 1.
            assertThat(second.getBean(SchemaService.class).current().version()).isEqualTo(1);
            assertThat(output.getOut().substring(logMark)).contains("9 objects declared, 0 changes applied");
            assertThat(second.getBean(SchemaYamlLoader.class).apply(Path.of("../schema"))).isZero();
            assertThat(second.getBean(SchemaService.class).current().version()).isEqualTo(1);
            Server server = new Server(second);

            Map<String, Object> gadgets = at(server.ok("{ object(apiName: \"gadgets\") { typeName description"
                    + " fields { apiName label type required defaultValue options } } }"), "object");
            assertThat(gadgets).containsEntry("typeName", "Gadget").containsEntry("description", "Things on the desk");
            assertThat(list(gadgets.get("fields"))).extracting(f -> f.get("apiName"), f -> f.get("label"), f -> f.get("type"),
                    f -> f.get("required"), f -> f.get("defaultValue"), f -> f.get("options")).containsExactly(
                    tuple("name", "Name", "TEXT", true, null, List.of()),
                    tuple("list_price", "List Price", "NUMBER", false, null, List.of()),
                    tuple("color", "Color", "ENUM", false, "Red", List.of("Red", "Blue")));

            Map<String, Object> page = at(server.ok("{ gadgets(first: 10) { nodes { id name listPrice color } totalCount } }"),
                    "gadgets");
            assertThat(page).containsEntry("totalCount", 2);
            assertThat(list(page.get("nodes"))).extracting(g -> g.get("id"), g -> g.get("name"),
                    g -> new BigDecimal((String) g.get("listPrice")).doubleValue(), g -> g.get("color"))
                    .containsExactly(tuple(lampId, "Lamp", 19.99, "BLUE"), tuple(deskId, "Desk", 120.0, "RED"));

            // A cursor given out before the restart pages on: its key is kept in the database.
            Map<String, Object> nextPage = at(server.ok("{ gadgets(first: 1, after: \"" + cursorAfterLamp + "\") { nodes { id name } } }"),
                    "gadgets");
            assertThat(list(nextPage.get("nodes"))).containsExactly(Map.of("id", deskId, "name", "Desk"));

            Map<String, Object> customer = at(server.ok("{ customer(id: \"" + customerId + "\") { fullName email customerSegment"
                    + " tags loyaltyTier acceptsMarketing orders(first: 10) { nodes { id orderNumber totalAmount }"
                    + " totalCount } } }"), "customer");
            assertThat(customer).containsEntry("fullName", "Ada Lovelace").containsEntry("email", "ada@example.com")
                    .containsEntry("customerSegment", "VIP").containsEntry("tags", List.of("math", "poetry"))
                    .containsEntry("loyaltyTier", "bronze")
                    .containsEntry("acceptsMarketing", false);
            Map<String, Object> orders = at(customer, "orders");
            assertThat(orders).containsEntry("totalCount", 1);
            assertThat(list(orders.get("nodes"))).singleElement().satisfies(o -> assertThat(o)
                    .containsEntry("id", orderId).containsEntry("orderNumber", "R-1001").containsEntry("totalAmount", "42.50"));

            Map<String, Object> order = at(server.ok("{ order(id: \"" + orderId + "\") { orderNumber status currency"
                    + " customerId customer { id email loyaltyTier } } }"), "order");
            assertThat(order).containsEntry("orderNumber", "R-1001").containsEntry("status", "PENDING")
                    .containsEntry("currency", "USD").containsEntry("customerId", customerId)
                    .containsEntry("customer", Map.of("id", customerId, "email", "ada@example.com", "loyaltyTier", "bronze"));

            Map<String, Object> loyalty = list(at(server.ok("{ object(apiName: \"customers\") { fields { apiName type"
                    + " defaultValue } } }"), "object").get("fields")).stream()
                    .filter(f -> "loyalty_tier".equals(f.get("apiName"))).findFirst().orElseThrow();
            assertThat(loyalty).containsEntry("type", "TEXT").containsEntry("defaultValue", "bronze");

            // Writes go on where the first run stopped: new ids, same rules.
            String chairId = (String) at(server.ok("mutation { createGadget(input: {name: \"Chair\"}) { id } }"),
                    "createGadget").get("id");
            assertThat(chairId).isNotIn(lampId, deskId);
            Map<String, Object> duplicate = server.post("mutation { createCustomer(input: {fullName: \"Ada Again\","
                    + " email: \"ADA@example.com\"}) { id } }");
            assertThat(list(duplicate.get("errors"))).singleElement()
                    .satisfies(e -> assertThat(at(e, "extensions")).containsEntry("code", "CONFLICT"));
        }
    }

    private static ConfigurableApplicationContext start(Path database) {
        return new SpringApplicationBuilder(CrmApplication.class)
                .run("--server.port=0", "--crm.database=" + database, "--crm.schema-dir=../schema",
                        "--crm.security.admin-key=" + E2ESupport.ADMIN_KEY);
    }

    /** GraphQL over plain HTTP against one running context. */
    private static final class Server {
        private final URI endpoint;

        Server(ConfigurableApplicationContext context) {
            this.endpoint = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/graphql");
        }

        Map<String, Object> post(String document) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", document);
            HttpRequest request = E2ESupport.authorized(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("HTTP status of %s: %s", document, response.body()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = JSON.readValue(response.body(), Map.class);
            return json;
        }

        Map<String, Object> ok(String document) throws Exception {
            Map<String, Object> json = post(document);
            assertThat(json.get("errors")).as("errors of %s", document).isNull();
            return at(json, "data");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> data, String key) {
        Object value = data.get(key);
        assertThat(value).as("%s in %s", key, data).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
