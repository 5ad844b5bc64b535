package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.client.CrmClient;
import dev.storefront.crm.client.CrmClient.Customer;
import dev.storefront.crm.client.CrmClient.Job;
import dev.storefront.crm.client.CrmClient.NewOrder;
import dev.storefront.crm.client.CrmClient.Order;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Java client (clients/java) against the real server on a database of its own: a saved view read
 * page by page, orders created and read back with exact decimals, an import followed to its end, and
 * the API's error code on a refused write.
 */
class JavaClientE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();

    private CrmClient client;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
    }

    @BeforeEach
    void client() {
        client = CrmClient.create(baseUrl(), ADMIN_KEY);
    }

    @Test
    void readsASavedViewPageByPageWithExactDecimals() {
        String view = client.query("""
                mutation { createView(input: { name: "Java client", object: "customers", fields: ["fullName"],
                  filter: { email: { endsWith: "@java-client.test" } }, sort: [{ field: "LIFETIME_VALUE", direction: "DESC" }] }) { id } }""",
                Map.of()).field("createView.id").getValue();
        List<String> ids = new ArrayList<>();
        String[] amounts = {"10.05", "250.10", "99.99", "1000", "0.01"};
        for (int i = 0; i < amounts.length; i++) {
            String id = client.query("mutation ($email: String!) { createCustomer(input: { email: $email, fullName: $email }) { id } }",
                    Map.of("email", "c" + i + "@java-client.test")).field("createCustomer.id").getValue();
            ids.add(id);
            client.createOrder(new NewOrder("#JAVA-" + i + "-1", id, "2026-01-0" + (i + 1) + "T10:00:00Z", new BigDecimal(amounts[i]), "PENDING"));
            client.createOrder(new NewOrder("#JAVA-" + i + "-2", id, "2026-02-0" + (i + 1) + "T10:00:00Z", new BigDecimal("0.45"), "PENDING"));
        }

        List<Customer> seen = new ArrayList<>();
        assertThat(client.eachCustomerOfView(view, 2, seen::add)).isEqualTo(5);
        assertThat(seen).extracting(Customer::email).containsExactly(
                "c3@java-client.test", "c1@java-client.test", "c2@java-client.test", "c0@java-client.test", "c4@java-client.test");
        assertThat(seen).extracting(Customer::lifetimeValue).containsExactly(
                new BigDecimal("1000.45"), new BigDecimal("250.55"), new BigDecimal("100.44"), new BigDecimal("10.50"), new BigDecimal("0.46"));
        assertThat(seen).extracting(Customer::totalOrders).containsOnly(2L);
        assertThat(client.customersByView(view, 2, null).totalCount()).isEqualTo(5);

        List<Order> orders = client.ordersOf(ids.get(1), 10).nodes();
        assertThat(orders).extracting(Order::orderNumber).containsExactly("#JAVA-1-2", "#JAVA-1-1");
        assertThat(orders).extracting(Order::totalAmount).containsExactly(new BigDecimal("0.45"), new BigDecimal("250.10"));
        assertThat(client.customer(ids.get(1)).fullName()).isEqualTo("c1@java-client.test");
    }

    @Test
    void followsAnImportToItsEndWithTheRefusedRow() throws Exception {
        String csv = "Email,Full Name\nimport-a@java-client-import.test,Ada\nnot-an-email,Bob\nimport-c@java-client-import.test,Cy\n";
        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/imports/csv:customers"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202);
        Matcher jobId = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"").matcher(started.body());
        assertThat(jobId.find()).isTrue();

        List<String> states = new ArrayList<>();
        Job job = client.waitForJob(jobId.group(1), Duration.ofMillis(100), j -> states.add(j.state()));
        assertThat(job.state()).isEqualTo("SUCCEEDED");
        assertThat(states.get(states.size() - 1)).isEqualTo("SUCCEEDED");
        assertThat(List.of(job.total(), job.processed(), job.errorCount())).containsExactly(3, 3, 1);
        assertThat(job.errors()).singleElement().satisfies(error -> {
            assertThat(error.row()).isEqualTo(2);
            assertThat(error.value()).isEqualTo("not-an-email");
        });
    }

    @Test
    void aRefusedWriteCarriesTheApiErrorCode() {
        assertThatThrownBy(() -> client.createOrder(new NewOrder("#JAVA-X", "not-an-id", null, BigDecimal.ONE, null)))
                .isInstanceOfSatisfying(CrmClient.CrmClientException.class, e -> {
                    assertThat(e.code()).isEqualTo("VALIDATION");
                    assertThat(e.getMessage()).contains("'not-an-id' is not an entry id");
                    assertThat(e.status()).isEqualTo(200);
                });
    }

    @Test
    void aRefusedKeyCarriesTheHttpStatusAndTheCode() {
        CrmClient stranger = CrmClient.create(baseUrl(), "crm_not-a-key");
        assertThatThrownBy(() -> stranger.customer("1"))
                .isInstanceOfSatisfying(CrmClient.CrmClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.code()).isEqualTo("UNAUTHENTICATED");
                    assertThat(e.getMessage()).startsWith("401: ").doesNotContain("Exception");
                });
    }
}
