package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.E2EClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The reclassify job fires on its cron schedule (every 2 s here) and classifies the store's customers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SegmentationCronE2EIT {

    private static final Path DATABASE = dev.storefront.crm.e2e.E2ESupport.newDatabaseFile();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("segmentation"));
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
        registry.add("crm.plugins.segmentation.jobs.reclassify.cron", () -> "*/2 * * * * *");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReclassifyJobFiresOnItsSchedule() throws InterruptedException {
        HttpGraphQlTester graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer()
                .defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY)
                .baseUrl("http://localhost:" + port + "/graphql").responseTimeout(Duration.ofSeconds(60)).build());
        String id = graphQl.document("mutation { createCustomer(input: { fullName: \"Cron Customer\" }) { id } }").execute()
                .path("createCustomer.id").entity(String.class).get();
        // One order today: New under recency-value (d_first = 0 < 30, a single order is not Loyal).
        graphQl.document("mutation { createOrder(input: { orderNumber: \"CRON-1\", customerId: \"" + id + "\", totalAmount: 20,"
                + " orderDate: \"" + java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC) + "\", status: DELIVERED }) { id } }").execute();
        // The job may already have run between the two mutations (the customer then had no orders), and a run
        // classifies, then scores RFM: wait until a run that saw the order has done both.
        Map<String, Object> expected = Map.of("customerSegment", "NEW",
                // Alone in the store it ranks first and last: R = F = M = 1, the Dormant cell.
                "rfmGroup", "DORMANT");
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, Object> customer;
        do {
            Thread.sleep(200);
            customer = graphQl.document("{ customer(id: \"" + id + "\") { customerSegment rfmGroup } }").execute()
                    .path("customer").entity(Map.class).get();
        } while (!customer.equals(expected) && System.currentTimeMillis() < deadline);
        assertThat(customer).isEqualTo(expected);
        List<Map<String, Object>> runs = graphQl.document("{ jobs { plugin name state args message } }").execute()
                .path("jobs").entityList(Map.class).get().stream().map(job -> (Map<String, Object>) job)
                .filter(job -> "reclassify".equals(job.get("name")) && "SUCCEEDED".equals(job.get("state"))).toList();
        assertThat(runs).isNotEmpty().allSatisfy(run -> assertThat(run)
                .containsEntry("plugin", "segmentation").containsEntry("args", "{\"trigger\":\"cron\"}"));
    }
}
