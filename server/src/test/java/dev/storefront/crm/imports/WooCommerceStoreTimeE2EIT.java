package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.plugins.Fixtures;
import dev.storefront.crm.plugins.PluginServerSupport;
import dev.storefront.crm.plugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * WooCommerce's CSV exports write the store's local times without an offset: a store in Berlin
 * ({@code crm.timezone}) across the start of summer time on 2025-03-30 (UTC+1, then UTC+2), through
 * the real plugin jar. A date with an offset or {@code Z} keeps its own.
 */
class WooCommerceStoreTimeE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.timezone", () -> "Europe/Berlin");
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("woocommerce"));
    }

    @Test
    void datesWithoutAnOffsetAreTheStoresLocalTimes() throws Exception {
        // 15:20:11 in Berlin's summer (UTC+2) and 09:03:55 in its winter (UTC+1).
        Map<String, Object> customers = awaitJob(postImport("woocommerce:customers-csv",
                Files.readString(Fixtures.woocommerce("woocommerce_customer_export.csv")), null));
        assertThat(customers).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(customersByEmail().get("amelia.zhang@example.org")).containsEntry("registeredAt", "2024-06-02T13:20:11Z");
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("registeredAt", "2024-11-28T08:03:55Z");

        String orders = Files.readString(Path.of("src/test/resources/woocommerce/woocommerce_orders_export.csv"))
                .replace("2025-03-09 11:47:05", "2025-03-29 12:00:00")
                .replace("2025-03-11 22:03:17", "2025-03-31 12:00:00")
                .replace("2025-03-12 18:40:02", "2025-03-30T12:00:00Z")
                .replace("2025-03-14 09:12:44", "2025-03-30 12:00:00 -0400");
        Map<String, Object> job = awaitJob(postImport("woocommerce:orders-csv", orders, null));
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        Map<Object, Object> dates = allNodes("orders", "orderNumber orderDate").stream()
                .collect(Collectors.toMap(o -> o.get("orderNumber"), o -> o.get("orderDate")));
        assertThat(dates).isEqualTo(Map.of(
                "WC-5231", "2025-03-29T11:00:00Z",
                "WC-5236", "2025-03-31T10:00:00Z",
                "WC-5238", "2025-03-30T12:00:00Z",
                "WC-5241", "2025-03-30T16:00:00Z"));

        // Not a date at all: refused with the value as the file writes it.
        Map<String, Object> bad = awaitJob(postImport("woocommerce:orders-csv", orders.replace("2025-03-29 12:00:00", "2025-02-30 12:00:00"), null));
        assertThat(bad).containsEntry("errorCount", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> error = ((List<Map<String, Object>>) bad.get("errors")).get(0);
        assertThat(error).containsEntry("row", 1).containsEntry("column", "order_date").containsEntry("value", "2025-02-30 12:00:00")
                .containsEntry("reason", "order_date: is not a date-time (ISO-8601, e.g. 2025-03-03T14:22:07Z)");
    }
}
