package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeWooCommerce;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store upgraded from the code that counted refunds twice is repaired when the plugin starts. That code left, for an
 * order the REST sync and an order CSV export without refund ids both read, the refunds one by one (keyed by refund id,
 * none by the order) beside a return of the order's refunded total (keyed by the order): the customer's lifetime value
 * netted the refunds twice, and today's sync, giving the first refund the order's key, is refused by the total holding
 * it. Built here with today's writes (a sync, then through GraphQL the key taken off the first refund and the total
 * added, as that code stored them); a restart repairs both orders, recomputes their customers' metrics, logs how many
 * it repaired, and shows through {@code wooCommerceSyncStatus.refundRepair} when it ran and what it merged, and leaves the
 * returns it does not concern (a total without refunds, one made in the CRM) alone; the next sync then succeeds and
 * changes nothing, and the next start repairs nothing (its run shows 0 and 0, the repair before still shown). The real
 * server jar runs in a child process on a database of this class's own, with the real plugin jar and a WooCommerce store
 * serving the fixtures.
 */
class WooCommerceRefundRepairE2EIT {

    private static final FakeWooCommerce STORE = new FakeWooCommerce();
    private static final String REPAIRED = "WooCommerce refunds counted twice: repaired ";
    /** The fixture's orders: Jordan Blake's (customer 87), Sofia Ramirez's (91), Priya Raman's (a guest). */
    private static final long JORDAN_ORDER = 5238;
    private static final long SOFIA_ORDER = 5236;
    private static final long GUEST_ORDER = 5241;
    private static Path folder;
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        folder = TestFolders.create("crm-woo-refund-repair");
        for (String run : List.of("first", "second", "third")) {
            Files.deleteIfExists(log(run));
        }
        server = start("first");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        STORE.close();
    }

    private static CrmProcess start(String run) throws Exception {
        return CrmProcess.start(log(run), STORE.crmArguments(folder));
    }

    private static Path log(String run) {
        return Path.of("target", "woocommerce-refund-repair-e2e-" + run + ".log");
    }

    @Test
    void refundsStoredTwiceByEarlierVersionsAreRepairedOnceAtStart() throws Exception {
        // The first start's run found nothing (an empty store).
        Map<String, Object> first = awaitRepairAfter(null);
        assertThat(first).containsEntry("lastRunMerged", 0).containsEntry("lastRunKeyed", 0).containsEntry("repairedAt", null)
                .containsEntry("merged", 0).containsEntry("keyed", 0);
        STORE.modify("orders", JORDAN_ORDER, Map.of("refunds", List.of(refund(5245, "-5.00"), refund(5240, "-16.41"))));
        STORE.modify("orders", SOFIA_ORDER, Map.of("refunds", List.of(refund(5251, "-6.00"), refund(5250, "-4.00"))));
        assertThat(sync()).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);

        BigDecimal jordanRefunds = new BigDecimal("21.41");
        BigDecimal sofiaRefunds = new BigDecimal("10.00");
        BigDecimal byHand = new BigDecimal("3.00");
        BigDecimal guestTotal = new BigDecimal("2.50");
        String jordanNet = total(JORDAN_ORDER).subtract(jordanRefunds).subtract(byHand).toPlainString();
        String sofiaNet = total(SOFIA_ORDER).subtract(sofiaRefunds).toPlainString();
        String jordanReturns = "5240|" + JORDAN_ORDER + "|16.41,5245|null|5.00";
        String sofiaReturns = "5250|" + SOFIA_ORDER + "|4.00,5251|null|6.00";

        // As the earlier code stored them: the first refunds without the order's key, each order's total beside them.
        doubleCount(JORDAN_ORDER, 5240, jordanRefunds);
        doubleCount(SOFIA_ORDER, 5250, sofiaRefunds);
        // Not its concern: a refund recorded in the CRM.
        create("customerId: \"" + entryId("customers", 87) + "\", amount: " + byHand);
        assertThat(lifetimeValue(87)).isEqualTo(total(JORDAN_ORDER).subtract(jordanRefunds.multiply(BigDecimal.valueOf(2))).subtract(byHand).toPlainString());
        assertThat(lifetimeValue(91)).isEqualTo(total(SOFIA_ORDER).subtract(sofiaRefunds.multiply(BigDecimal.valueOf(2))).toPlainString());
        // The sync is refused the first refunds' key while the totals hold it.
        Map<String, Object> refused = sync();
        assertThat(refused.get("state").equals("SUCCEEDED") && Integer.valueOf(0).equals(refused.get("errorCount"))).as("%s", refused).isFalse();
        // Nor a total of an order without refunds (an export's; the sync deletes it as it reads the order, so made after it).
        create("orderId: \"" + entryId("orders", GUEST_ORDER) + "\", customerId: \"" + guestId() + "\", woocommerceRefundedOrder: " + GUEST_ORDER
                + ", amount: " + guestTotal);

        List<String> storedBefore = allReturns();
        server.close();
        server = start("second");
        Map<String, Object> repair = awaitRepairAfter((String) first.get("lastRunAt"));
        assertThat(repair).containsEntry("lastRunMerged", 2).containsEntry("lastRunKeyed", 2).containsEntry("repairedAt", repair.get("lastRunAt"))
                .containsEntry("merged", 2).containsEntry("keyed", 2);
        awaitLog(log("second"), REPAIRED);
        List<String> repairs = Files.readAllLines(log("second")).stream().filter(line -> line.contains(REPAIRED)).toList();
        assertThat(repairs).hasSize(1);
        assertThat(repairs.get(0)).contains(REPAIRED + "2 orders").contains("; 2 first refunds given their order's key");
        assertThat(String.join(",", returns(JORDAN_ORDER))).isEqualTo(jordanReturns);
        assertThat(String.join(",", returns(SOFIA_ORDER))).isEqualTo(sofiaReturns);
        assertThat(returns(GUEST_ORDER)).containsExactly("null|" + GUEST_ORDER + "|" + guestTotal);
        assertThat(texts("SELECT printf('%.2f', amount) FROM returns WHERE order_id IS NULL")).containsExactly(byHand.toPlainString());
        assertThat(lifetimeValue(87)).isEqualTo(jordanNet);
        assertThat(lifetimeValue(91)).isEqualTo(sofiaNet);
        // Every return: those before, less the two totals, the first refunds keyed by their orders.
        List<String> synced = expectedReturns(byHand);
        List<String> repaired = Stream.concat(synced.stream(), Stream.of(GUEST_ORDER + "|null|" + GUEST_ORDER + "|" + guestTotal)).sorted().toList();
        assertThat(storedBefore).hasSize(repaired.size() + 2);
        assertThat(allReturns()).isEqualTo(repaired);

        assertThat(sync()).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        // The sync reads the guest order without refunds, so its total goes; the rest as repaired.
        assertThat(allReturns()).isEqualTo(synced);
        assertThat(String.join(",", returns(JORDAN_ORDER))).isEqualTo(jordanReturns);
        assertThat(String.join(",", returns(SOFIA_ORDER))).isEqualTo(sofiaReturns);
        assertThat(lifetimeValue(87)).isEqualTo(jordanNet);
        assertThat(lifetimeValue(91)).isEqualTo(sofiaNet);

        // The next start finds nothing to repair (it runs first thing at start; a sync takes longer).
        server.close();
        server = start("third");
        Map<String, Object> again = awaitRepairAfter((String) repair.get("lastRunAt"));
        assertThat(again).containsEntry("lastRunMerged", 0).containsEntry("lastRunKeyed", 0).containsEntry("repairedAt", repair.get("lastRunAt"))
                .containsEntry("merged", 2).containsEntry("keyed", 2);
        assertThat(allReturns()).isEqualTo(synced);
        assertThat(sync()).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(Files.readString(log("third"))).doesNotContain(REPAIRED);
        assertThat(allReturns()).isEqualTo(synced);
        assertThat(lifetimeValue(87)).isEqualTo(jordanNet);
        assertThat(lifetimeValue(91)).isEqualTo(sofiaNet);
    }

    /**
     * {@code wooCommerceSyncStatus.refundRepair} once it says a run later than {@code after} (null: any run); its times are
     * to the second, and a restart takes longer.
     */
    private static Map<String, Object> awaitRepairAfter(String after) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Object status = server.graphQl("{ wooCommerceSyncStatus { refundRepair { lastRunAt lastRunMerged lastRunKeyed repairedAt merged"
                    + " keyed } } }", Map.of()).get("wooCommerceSyncStatus");
            Map<String, Object> repair = WooRefundChecks.map(WooRefundChecks.map(status).get("refundRepair"));
            if (repair != null && !repair.get("lastRunAt").equals(after)) {
                return repair;
            }
            assertThat(System.nanoTime()).as("no repair run after %s", after).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Every return a sync leaves: the store's refunds (each by its id, an order's first, lowest, also keyed by the order), and
     * the one made in the CRM; order|refund id|refunded order|amount, in {@link #allReturns}'s order.
     */
    @SuppressWarnings("unchecked")
    private static List<String> expectedReturns(BigDecimal byHand) {
        List<String> expected = new java.util.ArrayList<>();
        for (Map<String, Object> order : STORE.all("orders")) {
            List<Map<String, Object>> refunds = (List<Map<String, Object>>) order.getOrDefault("refunds", List.of());
            long firstRefund = refunds.stream().mapToLong(r -> ((Number) r.get("id")).longValue()).min().orElse(0);
            for (Map<String, Object> refund : refunds) {
                long id = ((Number) refund.get("id")).longValue();
                expected.add(order.get("id") + "|" + id + "|" + (id == firstRefund ? order.get("id") : "null") + "|"
                        + new BigDecimal((String) refund.get("total")).abs().setScale(2).toPlainString());
            }
        }
        expected.add("null|null|null|" + byHand.toPlainString());
        return expected.stream().sorted().toList();
    }

    /** Every stored return: order's WooCommerce id|refund id|refunded order|amount, sorted as text. */
    private static List<String> allReturns() throws Exception {
        return texts("SELECT concat_ws('|', coalesce(CAST(o.woocommerce_id AS VARCHAR), 'null'), coalesce(CAST(r.woocommerce_id AS VARCHAR),"
                + " 'null'), coalesce(CAST(r.woocommerce_refunded_order AS VARCHAR), 'null'), printf('%.2f', r.amount)) AS t FROM returns r"
                + " LEFT JOIN orders o ON o.id = r.order_id").stream().sorted().toList();
    }

    private static Map<String, Object> refund(long id, String total) {
        return Map.of("id", id, "reason", "Refund " + id, "total", total);
    }

    /** The order's first refund without the order's key, and a return of its refunded total keyed by it. */
    private static void doubleCount(long order, long firstRefund, BigDecimal refunded) throws Exception {
        String first = texts("SELECT CAST(id AS VARCHAR) FROM returns WHERE woocommerce_id = " + firstRefund).get(0);
        server.graphQl("mutation { updateReturn(id: \"" + first + "\", input: { woocommerceRefundedOrder: null }) { id } }", Map.of());
        String customer = texts("SELECT CAST(customer_id AS VARCHAR) FROM orders WHERE woocommerce_id = " + order).get(0);
        create("orderId: \"" + entryId("orders", order) + "\", customerId: \"" + customer + "\", woocommerceRefundedOrder: " + order
                + ", amount: " + refunded);
    }

    private static void create(String values) throws Exception {
        server.graphQl("mutation { createReturn(input: { " + values + ", resolution: REFUND, status: CLOSED }) { id } }", Map.of());
    }

    private static String entryId(String object, long woocommerceId) throws Exception {
        return texts("SELECT CAST(id AS VARCHAR) FROM " + object + " WHERE woocommerce_id = " + woocommerceId).get(0);
    }

    private static String guestId() throws Exception {
        return texts("SELECT CAST(customer_id AS VARCHAR) FROM orders WHERE woocommerce_id = " + GUEST_ORDER).get(0);
    }

    private static BigDecimal total(long order) {
        return new BigDecimal((String) STORE.all("orders").stream().filter(o -> ((Number) o.get("id")).longValue() == order).findFirst()
                .orElseThrow().get("total"));
    }

    private static List<String> returns(long order) throws Exception {
        return WooRefundChecks.returns(server, order);
    }

    private static String lifetimeValue(long customer) throws Exception {
        return WooRefundChecks.lifetimeValue(server, customer);
    }

    private static List<String> texts(String select) throws Exception {
        return WooRefundChecks.texts(server, select);
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log).contains(text)) {
            assertThat(System.nanoTime()).as("no '%s' in %s", text, log).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Map<String, Object> sync() throws Exception {
        return WooRefundChecks.sync(server);
    }
}
