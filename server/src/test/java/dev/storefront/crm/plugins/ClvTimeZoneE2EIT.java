package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.E2ESupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The CLV plugin counts purchase days where the store is ({@code crm.timezone}), not in UTC: a store in
 * Tokyo (UTC+9, no daylight saving) on its own database, with orders placed around Tokyo's midnight.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClvTimeZoneE2EIT {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.timezone", () -> "Asia/Tokyo");
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("clv"));
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
    }

    @Test
    void purchaseDaysAndTheAsOfDayAreTheStoresDays() {
        HttpGraphQlTester graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY).responseTimeout(Duration.ofSeconds(60)).build());
        List<String> ids = graphQl.document("mutation { createCustomers(inputs: [{ fullName: \"Two Tokyo Days\" },"
                + " { fullName: \"One Tokyo Day\" }, { fullName: \"After The As-Of Day\" }]) { id } }")
                .execute().path("createCustomers[*].id").entityList(String.class).get();
        // 2025-03-01 10:00 and 20:00 UTC are one UTC day but 19:00 on March 1 and 05:00 on March 2 in Tokyo: a repeat purchase.
        // 16:00 and 23:59 UTC on March 1 are both March 2 in Tokyo: one purchase day.
        // 2025-03-10 16:00 UTC is 01:00 on March 11 in Tokyo: after an as-of day of March 10.
        List<Map<String, Object>> orders = List.of(
                order("TZ-1", ids.get(0), "2025-03-01T10:00:00Z"), order("TZ-2", ids.get(0), "2025-03-01T20:00:00Z"),
                order("TZ-3", ids.get(1), "2025-03-01T16:00:00Z"), order("TZ-4", ids.get(1), "2025-03-01T23:59:00Z"),
                order("TZ-5", ids.get(2), "2025-03-10T16:00:00Z"));
        graphQl.document("mutation($inputs: [OrderCreateInput!]!) { createOrders(inputs: $inputs) { id } }").variable("inputs", orders)
                .execute().path("createOrders").entityList(Object.class).hasSize(5);

        Map<String, Object> model = graphQl.document("mutation { fitClvModel(asOf: \"2025-03-10\") { model { status customers repeatBuyers message } } }")
                .execute().path("fitClvModel.model").entity(new ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(model).containsEntry("status", "TOO_LITTLE_DATA").containsEntry("customers", 2).containsEntry("repeatBuyers", 1)
                .containsEntry("message", "Too little data as of 2025-03-10: 2 customers with orders (at least 500 needed)"
                        + " and 1 who ordered again on a later day (at least 100 needed)");

        // A store whose Order Date is a plain date: each order's day is that date, whatever the time zone.
        graphQl.document("mutation { updateField(object: \"orders\", field: \"order_date\", input: { type: DATE }) { type } }")
                .execute().path("updateField.type").entity(String.class).isEqualTo("DATE");
        List<Map<String, Object>> dated = graphQl.document("{ orders(first: 10) { nodes { customer { id } orderDate } } }").execute()
                .path("orders.nodes").entity(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).get();
        Map<String, Set<LocalDate>> days = new HashMap<>();
        for (Map<String, Object> order : dated) {
            LocalDate day = LocalDate.parse((String) order.get("orderDate"));
            if (!day.isAfter(LocalDate.of(2025, 3, 10))) {
                days.computeIfAbsent(String.valueOf(order.get("customer")), k -> new HashSet<>()).add(day);
            }
        }
        long repeat = days.values().stream().filter(d -> d.size() > 1).count();
        model = graphQl.document("mutation { fitClvModel(asOf: \"2025-03-10\") { model { status customers repeatBuyers message } } }")
                .execute().path("fitClvModel.model").entity(new ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(model).containsEntry("status", "TOO_LITTLE_DATA").containsEntry("customers", days.size())
                .containsEntry("repeatBuyers", (int) repeat);
    }

    private static Map<String, Object> order(String number, String customerId, String placedAt) {
        return Map.of("orderNumber", number, "customerId", customerId, "orderDate", placedAt, "totalAmount", "25.00", "status", "DELIVERED");
    }
}
