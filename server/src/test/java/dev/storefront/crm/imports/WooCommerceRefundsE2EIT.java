package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeWooCommerce;
import dev.storefront.crm.plugins.Fixtures;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An order's refunds count once in its customer's metrics, whichever layout of the order export and whichever path
 * (CSV import, REST sync) wrote them, in whatever order: an export without refund ids gives the refunded total as one
 * return; an export listing the refunds, or the sync, replaces that return by the refunds in the same write; an export
 * with only the total, imported after them, adds none. The real server jar runs in a child process on a database of
 * this class's own, with the real plugin jar and a WooCommerce store of its own serving the real-format fixtures.
 */
class WooCommerceRefundsE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeWooCommerce STORE = new FakeWooCommerce();
    private static final long ORDER = 5238;
    private static final long CUSTOMER = 87;
    private static Path folder;
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        folder = TestFolders.create("crm-woo-refunds");
        server = CrmProcess.start(Path.of("target", "woocommerce-refunds-e2e-server.log"), STORE.crmArguments(folder));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        STORE.close();
    }

    @Test
    void refundsCountOnceAcrossExportLayoutsAndTheSync() throws Exception {
        // The store's order 5238 (Jordan Blake's only order) has a second refund besides the fixture's 5240.
        List<Map<String, Object>> refunds = List.of(Map.of("id", 5245, "reason", "Late delivery", "total", "-5.00"),
                Map.of("id", 5240, "reason", "Item arrived damaged", "total", "-16.41"));
        STORE.modify("orders", ORDER, Map.of("refunds", refunds));
        Map<String, Object> order = STORE.all("orders").stream().filter(o -> ((Number) o.get("id")).longValue() == ORDER).findFirst().orElseThrow();
        BigDecimal refunded = refunds.stream().map(r -> new BigDecimal(((String) r.get("total")).substring(1))).reduce(BigDecimal.ZERO, BigDecimal::add);
        String total = (String) order.get("total");
        String net = new BigDecimal(total).subtract(refunded).toPlainString();
        String allRefunds = "5240|" + ORDER + "|16.41,5245|null|5.00";

        importCsv("woocommerce:customers-csv", Files.readString(Fixtures.woocommerce("woocommerce_customer_export.csv")));

        // 1. The one-row-per-item export: no refund ids, the refunded total as one return keyed by the order.
        Map<String, String> orderColumns = Map.of("order_id", String.valueOf(ORDER), "order_number", String.valueOf(ORDER),
                "date", "2025-03-12 18:40:02", "status", "completed", "order_total", total, "refunded_total", refunded.toPlainString(),
                "order_currency", "USD", "customer_id", String.valueOf(CUSTOMER), "billing_email", "jordan.blake@example.com");
        String perItem = WooOrderExports.file(WooOrderExports.PER_ITEM_HEADER, List.of(
                with(orderColumns, Map.of("item_id", "3288", "item_product_id", "45", "item_name", "Hoodie - Blue, M",
                        "item_sku", "woo-hoodie-blue-m", "item_quantity", "2", "item_total", "76.50")),
                with(orderColumns, Map.of("item_id", "3289", "item_product_id", "48", "item_name", "Beanie", "item_sku", "woo-beanie",
                        "item_quantity", "1", "item_total", "15.30"))));
        importCsv("woocommerce:orders-per-item-csv", perItem);
        assertThat(WooRefundChecks.returns(server, ORDER)).containsExactly("null|" + ORDER + "|" + refunded.toPlainString());
        assertThat(WooRefundChecks.lifetimeValue(server, CUSTOMER)).isEqualTo(net);

        // 2. The default export with its refunds cell (newest first, as the export writes them): the refunds replace
        // the total-return in the same import, the first refund (lowest id) taking its key.
        String withRefunds = WooOrderExports.file(WooOrderExports.DEFAULT_HEADER, List.of(with(orderColumns, Map.of(
                "line_items", "id:3288|name:Hoodie - Blue, M|product_id:45|sku:woo-hoodie-blue-m|quantity:2|total:76.50;"
                        + "id:3289|name:Beanie|product_id:48|sku:woo-beanie|quantity:1|total:15.30",
                "refunds", "id:5245|date:2025-03-20 10:00:00|amount:5.00|reason:Late delivery;"
                        + "id:5240|date:2025-03-15 09:00:00|amount:16.41|reason:Item arrived damaged"))));
        importCsv("woocommerce:orders-csv", withRefunds);
        assertThat(String.join(",", WooRefundChecks.returns(server, ORDER))).isEqualTo(allRefunds);
        assertThat(WooRefundChecks.lifetimeValue(server, CUSTOMER)).isEqualTo(net);

        // 3. The REST sync reads the same refunds: nothing is added.
        assertThat(WooRefundChecks.sync(server)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(String.join(",", WooRefundChecks.returns(server, ORDER))).isEqualTo(allRefunds);
        assertThat(WooRefundChecks.lifetimeValue(server, CUSTOMER)).isEqualTo(net);

        // 4. The export without refund ids again: the refunds known, its total is not added on top.
        importCsv("woocommerce:orders-per-item-csv", perItem);
        assertThat(String.join(",", WooRefundChecks.returns(server, ORDER))).isEqualTo(allRefunds);
        assertThat(WooRefundChecks.lifetimeValue(server, CUSTOMER)).isEqualTo(net);
    }

    private static Map<String, String> with(Map<String, String> values, Map<String, String> more) {
        Map<String, String> row = new java.util.HashMap<>(values);
        row.putAll(more);
        return row;
    }

    private static void importCsv(String importer, String csv) throws Exception {
        HttpResponse<String> response = server.post("/imports/" + importer, Map.of("Content-Type", "text/csv"), csv.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Map<String, Object> job = WooRefundChecks.awaitJob(server, (String) JSON.readValue(response.body(), Map.class).get("jobId"));
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
    }
}
