package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.BulkEntries;
import dev.storefront.crm.storage.DuckDb;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The shipped customer metrics are rollups and formulas the engine keeps right: every order and
 * return written through GraphQL changes its customer's totals before the mutation answers. The
 * expected values are worked out here from what the test wrote.
 */
class CustomerMetricsE2EIT extends E2ESupport {

    private static final String METRICS = "totalOrders lifetimeValue averageOrderValue firstPurchaseDate lastPurchaseDate"
            + " returnRate countedOrderTotal refundedAmount returnedOrders";

    @Autowired
    private DuckDb db;
    @Autowired
    private SchemaService schema;

    private String customer(String name) {
        return run("mutation { createCustomer(input: { fullName: \"" + name + "\" }) { id } }")
                .path("createCustomer.id").entity(String.class).get();
    }

    private String customer(String name, String email) {
        return run("mutation { createCustomer(input: { fullName: \"" + name + "\", email: \"" + email + "\" }) { id } }")
                .path("createCustomer.id").entity(String.class).get();
    }

    private String order(String customer, String total, String at, String status) {
        return run("mutation { createOrder(input: { orderNumber: \"" + unique("m") + "\", customerId: \"" + customer
                + "\", totalAmount: " + total + ", orderDate: \"" + at + "\", status: " + status + " }) { id } }")
                .path("createOrder.id").entity(String.class).get();
    }

    private Map<String, Object> metrics(String customer) {
        return run("{ customer(id: \"" + customer + "\") { " + METRICS + " } }").path("customer").entity(Map.class).get();
    }

    private static Map<String, Object> expected(int orders, String value, String average, String first, String last, String rate,
                                                String counted, String refunded, int returned) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("totalOrders", orders);
        expected.put("lifetimeValue", money(value));
        expected.put("averageOrderValue", money(average));
        expected.put("firstPurchaseDate", first);
        expected.put("lastPurchaseDate", last);
        expected.put("returnRate", decimal(rate));
        expected.put("countedOrderTotal", money(counted));
        expected.put("refundedAmount", money(refunded));
        expected.put("returnedOrders", returned);
        return expected;
    }

    /** Sets a customer's Total Orders by bulk SQL that bypasses the engine, leaving it wrong. */
    private void writeAroundTheEngine(String customer, long totalOrders) {
        MetadataSnapshot model = schema.current();
        db.write(tx -> {
            new BulkEntries().updateMany(tx, model.object("customers"), List.of(model.field("customers", "total_orders")),
                    List.of(E2EClient.idNumber(customer)), List.of(Map.of("total_orders", totalOrders)), OffsetDateTime.now());
            return null;
        });
    }

    /** Decimals without a declared scale travel as exact text without trailing zeros. */
    private static String decimal(String value) {
        return value == null ? null : new BigDecimal(value).stripTrailingZeros().toPlainString();
    }

    /** The money metrics declare scale 2: exact text with two places. */
    private static String money(String value) {
        return value == null ? null : new BigDecimal(value).setScale(2).toPlainString();
    }

    @Test
    void ordersAndReturnsChangeTheirCustomersTotalsInTheSameResponseCycle() {
        String ann = customer("Ann Metrics");
        assertThat(metrics(ann)).isEqualTo(expected(0, "0", null, null, null, null, "0", "0", 0));

        String first = order(ann, "100.00", "2025-03-01T23:30:00Z", "DELIVERED");
        assertThat(metrics(ann)).isEqualTo(expected(1, "100", "100", "2025-03-01", "2025-03-01", "0",
                "100", "0", 0));

        String cancelled = order(ann, "50.01", "2025-05-01T10:00:00Z", "CANCELLED");
        assertThat(metrics(ann)).isEqualTo(expected(1, "100", "100", "2025-03-01", "2025-03-01", "0", "100", "0", 0));

        // 161.13 / 2 = 80.565: to the cent, half up.
        order(ann, "61.13", "2025-04-10T08:00:00Z", "SHIPPED");
        assertThat(metrics(ann)).isEqualTo(expected(2, "161.13", "80.57", "2025-03-01", "2025-04-10", "0", "161.13", "0", 0));

        // A refunded return lowers the lifetime value and makes its order a returned one.
        String refund = run("mutation { createReturn(input: { orderId: \"" + first + "\", customerId: \"" + ann
                + "\", resolution: REFUND, amount: 30 }) { id } }").path("createReturn.id").entity(String.class).get();
        assertThat(metrics(ann)).isEqualTo(expected(2, "131.13", "80.57", "2025-03-01", "2025-04-10", "0.5", "161.13", "30", 1));

        // An exchange is a return too, but refunds nothing.
        run("mutation { updateReturn(id: \"" + refund + "\", input: { resolution: EXCHANGE }) { id } }");
        assertThat(metrics(ann)).isEqualTo(expected(2, "161.13", "80.57", "2025-03-01", "2025-04-10", "0.5", "161.13", "0", 1));

        // Un-cancelling counts the order; 211.14 / 3 = 70.38.
        run("mutation { updateOrder(id: \"" + cancelled + "\", input: { status: DELIVERED }) { id } }");
        assertThat(metrics(ann)).isEqualTo(expected(3, "211.14", "70.38", "2025-03-01", "2025-05-01", "0.3333", "211.14", "0", 1));

        // Moving an order to another customer changes both.
        String bob = customer("Bob Metrics");
        run("mutation { updateOrder(id: \"" + cancelled + "\", input: { customerId: \"" + bob + "\" }) { id } }");
        assertThat(metrics(ann)).isEqualTo(expected(2, "161.13", "80.57", "2025-03-01", "2025-04-10", "0.5", "161.13", "0", 1));
        assertThat(metrics(bob)).isEqualTo(expected(1, "50.01", "50.01", "2025-05-01", "2025-05-01", "0", "50.01", "0", 0));

        // Deleting the returned order: its return is unlinked from it, so nothing is returned any more.
        run("mutation { deleteOrder(id: \"" + first + "\") { id } }");
        assertThat(metrics(ann)).isEqualTo(expected(1, "61.13", "61.13", "2025-04-10", "2025-04-10", "0", "61.13", "0", 0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBulkCreateAnswersWithTheValuesAReadGivesAndUpdatesTheCustomersOfItsOrders() {
        String tag = unique("bulk");
        List<Map<String, Object>> created = run("mutation { createCustomers(inputs: [{ fullName: \"Gus " + tag + "\", tags: [\"vip\", \"b2b\"] },"
                + " { fullName: \"Hal " + tag + "\", acceptsMarketing: true }]) { id fullName tags acceptsMarketing " + METRICS + " } }")
                .path("createCustomers").entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
        Map<String, Object> fresh = expected(0, "0", null, null, null, null, "0", "0", 0);
        for (Map<String, Object> customer : created) {
            assertThat(customer).containsAllEntriesOf(fresh);
            assertThat(run("{ customer(id: \"" + customer.get("id") + "\") { id fullName tags acceptsMarketing " + METRICS + " } }")
                    .path("customer").entity(Map.class).get()).isEqualTo(customer);
        }
        assertThat(created.get(0).get("tags")).isEqualTo(List.of("vip", "b2b"));
        assertThat(created.get(1).get("acceptsMarketing")).isEqualTo(true);

        String gus = (String) created.get(0).get("id");
        List<Map<String, Object>> orders = run("mutation { createOrders(inputs: [{ orderNumber: \"" + tag + "-1\", customerId: \"" + gus
                + "\", totalAmount: 12.5, orderDate: \"2025-06-01T09:00:00.1234567Z\", status: DELIVERED }, { orderNumber: \"" + tag
                + "-2\", customerId: \"" + gus + "\", totalAmount: 7.25, orderDate: \"2025-06-03T09:00:00Z\", status: SHIPPED }])"
                + " { id orderNumber totalAmount orderDate status } }")
                .path("createOrders").entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
        for (Map<String, Object> order : orders) {
            assertThat(run("{ order(id: \"" + order.get("id") + "\") { id orderNumber totalAmount orderDate status } }")
                    .path("order").entity(Map.class).get()).isEqualTo(order);
        }
        assertThat(orders.get(0).get("totalAmount")).isEqualTo(money("12.5"));
        assertThat(orders.get(0).get("orderDate")).isEqualTo("2025-06-01T09:00:00.123456Z");
        // 19.75 / 2 = 9.875: to the cent, half up.
        assertThat(metrics(gus)).isEqualTo(expected(2, "19.75", "9.88", "2025-06-01", "2025-06-03", "0", "19.75", "0", 0));
    }

    @Test
    void metricsAreReadOnlyFilterableAndSortable() {
        assertThat(error("mutation { createCustomer(input: { fullName: \"X\", totalOrders: 3 }) { id } }").getMessage())
                .contains("totalOrders");
        String tag = unique("sortable");
        String low = customer(tag + " low");
        String high = customer(tag + " high");
        order(low, "10", "2025-01-01T00:00:00Z", "DELIVERED");
        order(high, "500", "2025-01-01T00:00:00Z", "DELIVERED");
        order(high, "20", "2025-01-02T00:00:00Z", "DELIVERED");
        List<String> names = run("{ customers(where: { fullName: { startsWith: \"" + tag + "\" }, lifetimeValue: { gt: 5 } },"
                + " orderBy: [{ field: LIFETIME_VALUE, direction: DESC }]) { nodes { fullName } } }")
                .path("customers.nodes[*].fullName").entityList(String.class).get();
        assertThat(names).containsExactly(tag + " high", tag + " low");
    }

    @Test
    void anImportChunkRecomputesTheCustomersItTouchesOldAndNewAndNoOthers() throws Exception {
        String tag = unique("imp");
        String dora = customer("Dora " + tag, tag + ".dora@metrics.test");
        String eli = customer("Eli " + tag, tag + ".eli@metrics.test");
        String fay = customer("Fay " + tag, tag + ".fay@metrics.test");
        String moved = tag + "-1";
        run("mutation { createOrder(input: { orderNumber: \"" + moved + "\", customerId: \"" + dora
                + "\", totalAmount: 40, orderDate: \"2025-02-02T10:00:00Z\", status: DELIVERED }) { id } }");
        order(fay, "15", "2025-01-05T10:00:00Z", "DELIVERED");
        // Fay's total is made wrong around the engine: a whole-object recompute would repair it, a
        // recompute of the customers the chunk touched leaves it alone.
        writeAroundTheEngine(fay, 99);
        // One chunk: Dora's order moves to Eli at 50.00, and Dora gets a new order of 30.00.
        String csv = "order_number,customer.email,order_date,total_amount,status\n"
                + moved + "," + tag + ".eli@metrics.test,2025-02-02T10:00:00Z,50.00,Delivered\n"
                + tag + "-2," + tag + ".dora@metrics.test,2025-03-03T10:00:00Z,30.00,Delivered\n";
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(authorized(
                java.net.URI.create(baseUrl() + "/imports/csv:orders")).header("Content-Type", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String job = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).path("jobId").asString();
        long deadline = System.currentTimeMillis() + 60_000;
        String state;
        do {
            Thread.sleep(100);
            state = run("{ job(id: \"" + job + "\") { state } }").path("job.state").entity(String.class).get();
        } while (!state.equals("SUCCEEDED") && !state.equals("FAILED") && System.currentTimeMillis() < deadline);
        assertThat(state).isEqualTo("SUCCEEDED");

        assertThat(metrics(dora)).isEqualTo(expected(1, "30", "30", "2025-03-03", "2025-03-03", "0", "30", "0", 0));
        assertThat(metrics(eli)).isEqualTo(expected(1, "50", "50", "2025-02-02", "2025-02-02", "0", "50", "0", 0));
        assertThat(metrics(fay).get("totalOrders")).isEqualTo(99);
    }

    @Test
    void recomputeRollupsRepairsValuesWrittenAroundTheEngine() {
        String carl = customer("Carl Metrics");
        order(carl, "40", "2025-02-02T00:00:00Z", "DELIVERED");
        // Bulk SQL that bypasses the engine (as a hand-made repair script would) leaves a wrong total behind.
        writeAroundTheEngine(carl, 99);
        assertThat(metrics(carl).get("totalOrders")).isEqualTo(99);
        assertThat(run("mutation { recomputeRollups(object: \"customers\") }").path("recomputeRollups").entity(Integer.class).get())
                .isEqualTo(1);
        assertThat(metrics(carl).get("totalOrders")).isEqualTo(1);
        assertThat(new BigDecimal(String.valueOf(metrics(carl).get("lifetimeValue")))).isEqualByComparingTo("40");
    }
}
