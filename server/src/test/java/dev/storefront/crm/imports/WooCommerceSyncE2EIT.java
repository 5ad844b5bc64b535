package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeWooCommerce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The WooCommerce REST sync loses nothing: against a store whose clock is its own (not ours, and
 * its local dates not GMT) and whose data changes while the sync pages and after it, each run ends
 * with the CRM exactly equal to the store, compared value by value with what the test computes from
 * the store's data; faults are retried; a run whose retries run out, and a server killed with
 * SIGKILL mid-sync, resume at the last committed page. The real server jar runs in a child process
 * on a database of this class's own, with the real plugin jar.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WooCommerceSyncE2EIT {

    private static final int RETRIES = 3;
    private static final FakeWooCommerce STORE = new FakeWooCommerce();
    private static final Instant START = STORE.now();
    private static Path folder;
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        folder = TestFolders.create("crm-woo-sync");
        server = startServer();
    }

    private static CrmProcess startServer() throws Exception {
        List<String> arguments = new ArrayList<>(STORE.crmArguments(folder));
        arguments.addAll(List.of("--crm.plugins.woocommerce.page-size=2", "--crm.plugins.woocommerce.retries=" + RETRIES,
                "--crm.plugins.woocommerce.retry-backoff-ms=20"));
        return CrmProcess.start(Path.of("target", "woocommerce-sync-e2e-server.log"), arguments);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        STORE.close();
    }

    @Test
    @Order(1)
    void ordersChangedWhileTheSyncPagesOrInTheSameSecondAreFetchedByTheNextRun() throws Exception {
        // The store's clock stands still: every change below is stamped in the same second, the
        // newest date_modified the first run sees.
        STORE.modify("orders", 5241, Map.of("status", "on-hold"));
        List<String> pageOneAsRead = new ArrayList<>();
        STORE.beforeAnswer = once("orders?per_page=2&page=2", () -> {
            pageOneAsRead.addAll(expectedOrders().subList(0, 2));
            // Orders on page 1, already read by now, change; a new order lands on a third page.
            STORE.modify("orders", 5231, Map.of("status", "completed", "total", "31.07"));
            STORE.modify("orders", 5236, Map.of("status", "refunded",
                    "refunds", List.of(Map.of("id", 5260, "reason", "Wrong size", "total", "-54.00"))));
            STORE.add("orders", newOrder(5250, 102, "12.00"));
        });
        Map<String, Object> first = sync("{\"full\": true}");
        assertThat(first).containsEntry("state", "SUCCEEDED");
        // The first run read page 1 before the changes and page 3 after the new order arrived.
        assertThat(crmOrders().subList(0, 2)).containsExactlyElementsOf(pageOneAsRead);
        assertThat(crmOrders().subList(2, 5)).containsExactlyElementsOf(expectedOrders().subList(2, 5));
        assertThat(crmReturns()).containsExactly("5240|5238|jordan.blake@example.com|16.41|Item arrived damaged|Refund|Closed");

        // Changes after the run, a minute later on the store's clock.
        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("customers", 102, Map.of("first_name", "Mehmet Ali"));
        STORE.modify("orders", 5241, Map.of("status", "completed"));
        STORE.requests.clear();
        Map<String, Object> second = sync(null);
        assertThat(second).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        // The next run starts when the previous one began on the store's clock, less the 300 s overlap.
        String since = gmt(-300).replace(":", "%3A");
        assertThat(STORE.requests).filteredOn(r -> r.contains("/orders?") && !r.contains("_fields=id"))
                .allSatisfy(r -> assertThat(r).contains("modified_after=" + since + "&dates_are_gmt=true"));
        assertThat(STORE.requests).filteredOn(r -> r.contains("/customers?")).noneSatisfy(r -> assertThat(r).contains("modified_after"));
        assertCrmEqualsStore();
    }

    @Test
    @Order(2)
    void aRunWithNoChangeWritesNothingAndOneChangeWritesOneEntry() throws Exception {
        String since = syncStatus().get("modifiedAfter").toString();
        List<String> stamps = updatedAts();
        int events = customerEvents().size();
        STORE.advance(Duration.ofMinutes(1));
        int records = STORE.all("customers").size() + STORE.all("orders").stream()
                .filter(o -> o.get("date_modified_gmt").toString().compareTo(since) > 0).mapToInt(WooCommerceSyncE2EIT::recordsOf).sum();

        Map<String, Object> idle = sync(null);
        assertThat(idle).containsEntry("state", "SUCCEEDED").containsEntry("processed", records)
                .containsEntry("message", "Synced " + records + " records: 0 new, 0 changed, " + records + " unchanged; 0 skipped");
        assertThat(updatedAts()).containsExactlyElementsOf(stamps);
        assertThat(customerEvents()).hasSize(events);

        STORE.modify("customers", 64, Map.of("last_name", "Zhang-Li"));
        Map<String, Object> one = sync(null);
        assertThat((String) one.get("message")).contains(": 0 new, 1 changed, ");
        long amelia = ((Number) server.sql("SELECT id FROM customers WHERE woocommerce_id = 64").get(0).get(0)).longValue();
        List<String> changed = new ArrayList<>(updatedAts());
        changed.removeAll(stamps);
        assertThat(changed).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("customers " + amelia + " "));
        assertThat(customerEvents()).hasSize(events + 1);
        assertThat(customerEvents().get(events)).startsWith("UPDATED " + amelia + " ");
        assertCrmEqualsStore();
    }

    @Test
    @Order(3)
    void http500sAndDroppedConnectionsAreRetriedWithinTheRun() throws Exception {
        STORE.modify("customers", 91, Map.of("first_name", "Sofía"));
        STORE.fail("customers?per_page=2&page=2", RETRIES, FakeWooCommerce.Fault.ERROR_500);
        STORE.requests.clear();
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.requests).filteredOn(r -> r.contains("customers?per_page=2&page=2")).hasSize(RETRIES + 1);

        STORE.modify("orders", 5238, Map.of("status", "processing"));
        STORE.fail("orders?per_page=2&page=1", 2, FakeWooCommerce.Fault.DROP_CONNECTION);
        STORE.requests.clear();
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.requests).filteredOn(r -> r.contains("orders?per_page=2&page=1")).hasSize(3);
        assertCrmEqualsStore();
    }

    @Test
    @Order(4)
    void whenRetriesRunOutTheJobFailsAndTheNextRunResumesAtItsLastCommittedPage() throws Exception {
        STORE.fail("orders?per_page=2&page=2", RETRIES + 1, FakeWooCommerce.Fault.ERROR_500);
        Map<String, Object> failed = sync("{\"full\": true}");
        assertThat(failed).containsEntry("state", "FAILED");
        assertThat((String) failed.get("message")).isEqualTo("WooCommerce answered 500 for " + STORE.url()
                + "/wp-json/wc/v3/orders?per_page=2&page=2&orderby=id&order=asc (" + (RETRIES + 1) + " attempts)");
        assertThat(syncStatus()).containsEntry("stream", "orders");

        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("orders", 5231, Map.of("total", "35.00"));
        STORE.requests.clear();
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        // Resumed at the page that failed; page 1 (committed) was not fetched again...
        assertThat(STORE.requests.get(0)).startsWith("/wp-json/wc/v3/orders?per_page=2&page=2&");
        assertThat(STORE.requests).filteredOn(r -> !r.contains("_fields=id")).noneSatisfy(r -> assertThat(r).contains("page=1"));
        // ...so the change to an order on it arrives with the next run.
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        assertCrmEqualsStore();
    }

    @Test
    @Order(5)
    void aServerKilledMidSyncResumesAfterRestartAndEndsEqualToTheStore() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        STORE.beforeAnswer = once("orders?per_page=2&page=2", () -> {
            reached.countDown();
            await(killed);
        });
        String id = startSync("{\"full\": true}");
        await(reached);
        // While the server waits for page 2 of the orders: an order already read and one not yet read change.
        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("orders", 5236, Map.of("status", "completed"));
        STORE.modify("orders", 5250, Map.of("total", "14.50"));
        server.kill();
        killed.countDown();

        server = startServer();
        Map<String, Object> dead = job(id);
        assertThat(dead).containsEntry("state", "INTERRUPTED");
        assertThat((String) dead.get("message")).matches("(.*\\. )?The server stopped while the job ran; \\d+ of an unknown number of rows were committed at its last checkpoint");
        assertThat(syncStatus()).containsEntry("stream", "orders");
        STORE.requests.clear();
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.requests.get(0)).startsWith("/wp-json/wc/v3/orders?per_page=2&page=2&");
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED");
        assertCrmEqualsStore();
    }

    @Test
    @Order(6)
    void aDeletedCustomerAndATrashedOrderAreDeletedByTheNextRun() throws Exception {
        STORE.advance(Duration.ofMinutes(1));
        // Customer 102 has one order (5250): it stays, without a customer, as WooCommerce keeps it.
        STORE.delete("customers", 102);
        // Order 5238 has two line items and a refund: all three go with it.
        STORE.modify("orders", 5238, Map.of("status", "trash"));
        long guests = count("SELECT count(*) FROM customers WHERE woocommerce_id IS NULL");

        Map<String, Object> run = sync(null);
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat((String) run.get("message")).endsWith("; 5 deleted; 0 skipped");
        assertThat(count("SELECT count(*) FROM customers WHERE woocommerce_id = 102")).isZero();
        assertThat(texts("SELECT concat_ws('|', woocommerce_id, customer_id IS NULL) FROM orders WHERE woocommerce_id IN (5238, 5250)"))
                .containsExactly("5250|true");
        assertThat(count("SELECT count(*) FROM customers WHERE woocommerce_id IS NULL")).isEqualTo(guests);
        assertCrmEqualsStore();

        // A full run finds nothing more to delete, and the trashed order does not come back.
        assertRunDeletesNothingAndEndsEqualToTheStore("{\"full\": true}");
    }

    @Test
    @Order(7)
    void anOrderDeletedForGoodIsDeletedWithItsItemsAndRefundsByTheNextRun() throws Exception {
        STORE.advance(Duration.ofMinutes(1));
        // Order 5236 has one line item and refund 5260; deleted for good it is in no listing, trash included.
        STORE.delete("orders", 5236);
        assertThat(count("SELECT count(*) FROM orders WHERE woocommerce_id = 5236")).isEqualTo(1);

        Map<String, Object> run = sync(null);
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat((String) run.get("message")).endsWith("; 3 deleted; 0 skipped");
        assertThat(count("SELECT count(*) FROM orders WHERE woocommerce_id = 5236")).isZero();
        assertThat(count("SELECT count(*) FROM returns WHERE woocommerce_id = 5260")).isZero();
        assertCrmEqualsStore();
        // The order's customer keeps the metrics of the store's orders left: its refund went with the order.
        long counted = listedOrders().stream().filter(o -> ((Number) o.get("customer_id")).longValue() == 91
                && !"cancelled".equals(o.get("status"))).count();
        assertThat(texts("SELECT concat_ws('|', total_orders, refunded_amount) FROM customers WHERE woocommerce_id = 91"))
                .containsExactly(counted + "|0.00");

        assertRunDeletesNothingAndEndsEqualToTheStore(null);
    }

    @Test
    @Order(8)
    void ordersTrashedOrChangedWhileAFullSyncPagesAreNotLost() throws Exception {
        STORE.advance(Duration.ofMinutes(1));
        List<Map<String, Object>> orders = byId(listedOrders());
        long trashedRead = ((Number) orders.get(0).get("id")).longValue();
        long changedRead = ((Number) orders.get(1).get("id")).longValue();
        long trashedUnread = ((Number) orders.get(orders.size() - 1).get("id")).longValue();
        int deleted = deletedWith(orders.get(0)) + deletedWith(orders.get(orders.size() - 1));
        List<String> asRead = new ArrayList<>();
        STORE.beforeAnswer = once("orders?per_page=2&page=2", () -> {
            asRead.addAll(expectedOrders());
            // Page 1 is read by now: one of its orders goes to the trash and one changes; an order on a
            // page not read yet goes to the trash too, so the listing never shows it again.
            STORE.modify("orders", trashedRead, Map.of("status", "trash"));
            STORE.modify("orders", changedRead, Map.of("total", "77.70"));
            STORE.modify("orders", trashedUnread, Map.of("status", "trash"));
        });

        Map<String, Object> full = sync("{\"full\": true}");
        assertThat(full).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat((String) full.get("message")).endsWith("; " + deleted + " deleted; 0 skipped");
        // Both trashed orders are gone by the end of the run (the id listing lacks them); the change to
        // the page already read is the only difference left...
        List<String> expected = new ArrayList<>(asRead);
        expected.removeIf(row -> row.startsWith(trashedRead + "|") || row.startsWith(trashedUnread + "|"));
        assertThat(crmOrders()).containsExactlyElementsOf(expected);
        assertThat(count("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.woocommerce_id IN ("
                + trashedRead + ", " + trashedUnread + ")")).isZero();

        // ...and the next run, which starts from when this one began, fetches it.
        assertRunDeletesNothingAndEndsEqualToTheStore(null);
    }

    @Test
    @Order(9)
    void anIdListingWhoseTotalChangesMidWayDeletesNothingThatRunAndTheNextRunDoes() throws Exception {
        // More orders than one page of the id listing (100 ids a request) holds.
        STORE.advance(Duration.ofMinutes(1));
        for (long id = 6000; id < 6101; id++) {
            STORE.add("orders", orderWithoutLines(id, "1.00"));
        }
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertCrmEqualsStore();

        STORE.advance(Duration.ofMinutes(1));
        STORE.delete("orders", 6000);
        // While the id listing is between its pages, an order arrives: the pages may have shifted.
        STORE.beforeAnswer = once("orders?status=any&_fields=id&per_page=100&page=2",
                () -> STORE.add("orders", orderWithoutLines(6101, "2.00")));
        STORE.requests.clear();
        Map<String, Object> shifted = sync(null);
        assertThat(shifted).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.requests).filteredOn(r -> r.contains("_fields=id") && r.contains("/orders?")).hasSize(2);
        assertThat((String) shifted.get("message")).doesNotContain("deleted");
        assertThat(count("SELECT count(*) FROM orders WHERE woocommerce_id = 6000")).isEqualTo(1);

        Map<String, Object> next = sync(null);
        assertThat(next).containsEntry("state", "SUCCEEDED");
        assertThat((String) next.get("message")).endsWith("; 1 deleted; 0 skipped");
        assertCrmEqualsStore();
    }

    @Test
    @Order(10)
    void customersOfEveryUserRoleAreSyncedAndKept() throws Exception {
        // WooCommerce Subscriptions gives a customer with an active subscription the role "subscriber",
        // which WooCommerce's customer listing leaves out unless asked for every role.
        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("customers", 64, Map.of("role", "subscriber"));
        STORE.add("customers", Map.of("id", 310, "email", "sub.scriber@example.com", "first_name", "Sub", "last_name", "Scriber",
                "role", "subscriber", "date_created_gmt", "2025-04-01T10:00:00", "billing", Map.of("city", "Leeds")));
        Map<String, Object> run = sync(null);
        assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat((String) run.get("message")).contains(": 1 new, 0 changed, ").doesNotContain("deleted");
        // Amelia (64), now a subscriber, stays; the new subscriber is synced.
        assertThat(count("SELECT count(*) FROM customers WHERE woocommerce_id = 64")).isEqualTo(1);
        assertThat(texts("SELECT concat_ws('|', email, full_name, billing_city) FROM customers WHERE woocommerce_id = 310"))
                .containsExactly("sub.scriber@example.com|Sub Scriber|Leeds");
        assertCrmEqualsStore();
    }

    /**
     * A host or caching proxy that strips {@code X-WP-Total} and {@code X-WP-TotalPages}: the sync pages on to an empty page
     * (it stopped after the first page, and an id listing of its first 100 ids deleted every order after them), and deletes
     * what the store deleted once two listings agree.
     */
    @Test
    @Order(11)
    void aHostThatStripsThePaginationHeadersIsSyncedWholeAndOnlyWhatIsGoneIsDeleted() throws Exception {
        STORE.withoutTotals = true;
        try {
            STORE.advance(Duration.ofMinutes(1));
            List<Map<String, Object>> orders = byId(listedOrders());
            long last = ((Number) orders.get(orders.size() - 1).get("id")).longValue();
            STORE.modify("orders", last, Map.of("total", "9.99"));
            STORE.delete("orders", 6050);
            STORE.delete("customers", 310);
            STORE.requests.clear();

            Map<String, Object> run = sync("{\"full\": true}");
            assertThat(run).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
            // Order 6050 (no items, no refunds) and customer 310.
            assertThat((String) run.get("message")).endsWith("; 2 deleted; 0 skipped");
            int customerPages = (STORE.all("customers").size() + 1) / 2;
            assertThat(STORE.requests).filteredOn(r -> r.startsWith("/wp-json/wc/v3/customers?per_page=2&"))
                    .as("every page and the empty one after it").hasSize(customerPages + 1);
            assertThat(STORE.requests).filteredOn(r -> r.contains("/orders?status=any&_fields=id"))
                    .as("two listings: 2 pages of ids and the empty one after them, each").hasSize(6);
            assertCrmEqualsStore();
        } finally {
            STORE.withoutTotals = false;
        }
    }

    /**
     * A security plugin's bot challenge (an HTML page, with 200 or 403) where the REST API's JSON was asked for fails the run
     * with a message that says so, not a parser's, and changes nothing; the next run, let through, ends equal to the store.
     */
    @Test
    @Order(12)
    void aWebPageInsteadOfJsonFailsTheRunClearlyAndChangesNothing() throws Exception {
        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("customers", 64, Map.of("last_name", "Zhang-Lee"));
        List<String> stamps = updatedAts();
        String cursor = syncStatus().toString();
        for (int status : List.of(200, 403)) {
            STORE.webPage = status;
            try {
                Map<String, Object> run = sync(null);
                assertThat(run).containsEntry("state", "FAILED").containsEntry("processed", 0);
                assertThat((String) run.get("message")).isEqualTo("The store answered with a web page (HTTP " + status + ", \""
                        + FakeWooCommerce.CHALLENGE_TITLE + "\"), not WooCommerce's JSON, for /wp-json/wc/v3/customers: a security"
                        + " plugin, firewall or maintenance page stands in the way; let the CRM's requests to /wp-json/wc/v3/ through");
            } finally {
                STORE.webPage = 0;
            }
            assertThat(updatedAts()).containsExactlyElementsOf(stamps);
            assertThat(syncStatus().toString()).isEqualTo(cursor);
        }
        assertRunDeletesNothingAndEndsEqualToTheStore(null);
    }

    /**
     * A site whose PHP prints into the REST API's answers: a notice (display_errors on) fails the run naming it and its remedy,
     * and changes nothing; a byte-order mark (a PHP file saved with one) before the JSON is read past.
     */
    @Test
    @Order(13)
    void aPhpNoticeBeforeTheJsonFailsTheRunClearlyAndAByteOrderMarkIsReadPast() throws Exception {
        STORE.advance(Duration.ofMinutes(1));
        STORE.modify("customers", 64, Map.of("last_name", "Zhang-Lin"));
        List<String> stamps = updatedAts();
        STORE.beforeJson = "<br />\n<b>Deprecated</b>:  Creation of dynamic property WC_Shipping_Zone::$meta is deprecated in"
                + " <b>/var/www/html/wp-content/plugins/zones/zones.php</b> on line <b>42</b><br />\n";
        try {
            Map<String, Object> run = sync(null);
            assertThat(run).containsEntry("state", "FAILED").containsEntry("processed", 0);
            assertThat((String) run.get("message")).isEqualTo("WooCommerce's answer for /wp-json/wc/v3/customers begins with a PHP"
                    + " message (\"Deprecated: Creation of dynamic property WC_Shipping_Zone::$meta is deprecated in"
                    + " /var/www/html/wp-content/plugins/zones/zones.php on line 42\"),"
                    + " not JSON: the site prints PHP notices into its answers; turn off WP_DEBUG_DISPLAY (or display_errors) in"
                    + " wp-config.php");
            assertThat(updatedAts()).containsExactlyElementsOf(stamps);

            STORE.beforeJson = "\uFEFF";
            assertRunDeletesNothingAndEndsEqualToTheStore(null);
        } finally {
            STORE.beforeJson = "";
        }
    }

    private static void assertRunDeletesNothingAndEndsEqualToTheStore(String args) throws Exception {
        Map<String, Object> run = sync(args);
        assertThat(run).containsEntry("state", "SUCCEEDED");
        assertThat((String) run.get("message")).doesNotContain("deleted");
        assertCrmEqualsStore();
    }

    /** An order of customer 64 with no line items: one record of the sync, one id of a listing. */
    private static Map<String, Object> orderWithoutLines(long id, String total) {
        return Map.of("id", id, "number", String.valueOf(id), "status", "processing", "currency", "USD", "total", total,
                "customer_id", 64, "billing", Map.of(), "shipping", Map.of(), "refunds", List.of(), "line_items", List.of());
    }

    /** What deleting one order takes out of the CRM: the order, its line items and its refunds. */
    private static int deletedWith(Map<String, Object> order) {
        return 1 + list(order.get("line_items")).size() + list(order.get("refunds")).size();
    }

    private static long count(String select) throws Exception {
        return ((Number) server.sql(select).get(0).get(0)).longValue();
    }

    // ---- the store as the CRM should hold it, computed from the store's data ----

    private static void assertCrmEqualsStore() throws Exception {
        assertThat(crmCustomers()).containsExactlyElementsOf(expectedCustomers());
        assertThat(crmOrders()).containsExactlyElementsOf(expectedOrders());
        assertThat(crmOrderItems()).containsExactlyElementsOf(expectedOrderItems());
        assertThat(crmReturns()).containsExactlyElementsOf(expectedReturns());
    }

    private static List<String> expectedCustomers() {
        // An empty value is no value, in WooCommerce's JSON as in the CRM (concat_ws skips it).
        return byId(STORE.all("customers")).stream().map(c -> Stream.of(c.get("id"), c.get("email"), c.get("first_name"),
                c.get("last_name"), map(c.get("billing")).get("city")).map(String::valueOf).filter(v -> !v.isEmpty())
                .collect(Collectors.joining("|"))).toList();
    }

    /** An order whose customer the store deleted has none in the CRM (concat_ws then ends with the currency). */
    private static List<String> expectedOrders() {
        return byId(listedOrders()).stream().map(o -> o.get("id") + "|WC-" + o.get("number") + "|" + o.get("status") + "|"
                + money(o.get("total")) + "|" + o.get("currency") + (customerEmail(o) == null ? "" : "|" + customerEmail(o))).toList();
    }

    /** The orders not in the trash: those the CRM holds. */
    private static List<Map<String, Object>> listedOrders() {
        return STORE.all("orders").stream().filter(o -> !"trash".equals(o.get("status"))).toList();
    }

    private static List<String> expectedOrderItems() {
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> order : listedOrders()) {
            for (Map<String, Object> line : list(order.get("line_items"))) {
                rows.add(line.get("id") + "|" + order.get("id") + "|" + line.get("sku") + "|" + line.get("quantity") + "|" + money(line.get("price")));
            }
        }
        return byLeadingId(rows);
    }

    private static List<String> expectedReturns() {
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> order : listedOrders()) {
            for (Map<String, Object> refund : list(order.get("refunds"))) {
                rows.add(refund.get("id") + "|" + order.get("id") + "|" + customerEmail(order) + "|"
                        + money(refund.get("total").toString().replace("-", "")) + "|" + refund.get("reason") + "|Refund|Closed");
            }
        }
        return byLeadingId(rows);
    }

    /** Rows in the order of the WooCommerce id they start with, as the CRM's rows are read. */
    private static List<String> byLeadingId(List<String> rows) {
        return rows.stream().sorted(Comparator.comparingLong(r -> Long.parseLong(r.substring(0, r.indexOf('|'))))).toList();
    }

    private static String customerEmail(Map<String, Object> order) {
        long customer = ((Number) order.get("customer_id")).longValue();
        return customer == 0 ? map(order.get("billing")).get("email").toString()
                : STORE.all("customers").stream().filter(c -> ((Number) c.get("id")).longValue() == customer)
                        .findFirst().map(c -> c.get("email").toString()).orElse(null);
    }

    /** The records the sync makes of one order: guest customer, order, product and item per line, refunds. */
    private static int recordsOf(Map<String, Object> order) {
        int guest = ((Number) order.get("customer_id")).longValue() == 0 ? 1 : 0;
        int lines = list(order.get("line_items")).stream().mapToInt(l -> ((Number) l.get("product_id")).longValue() > 0 ? 2 : 1).sum();
        return guest + 1 + lines + list(order.get("refunds")).size();
    }

    private static Map<String, Object> newOrder(long id, long customerId, String total) {
        return Map.of("id", id, "number", String.valueOf(id), "status", "processing", "currency", "USD", "total", total,
                "customer_id", customerId, "billing", Map.of(), "shipping", Map.of(), "refunds", List.of(),
                "line_items", List.of(Map.of("id", 3400, "name", "Sticker", "product_id", 99, "quantity", 4, "sku", "woo-sticker", "price", 3)));
    }

    // ---- the CRM's data, read through the read-only SQL endpoint ----

    private static List<String> crmCustomers() throws Exception {
        return texts("SELECT concat_ws('|', woocommerce_id, email, first_name, last_name, billing_city) FROM customers "
                + "WHERE woocommerce_id IS NOT NULL ORDER BY woocommerce_id");
    }

    private static List<String> crmOrders() throws Exception {
        return texts("SELECT concat_ws('|', o.woocommerce_id, o.order_number, o.woocommerce_status, printf('%.2f', o.total_amount), "
                + "o.currency, c.email) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id ORDER BY o.woocommerce_id");
    }

    private static List<String> crmOrderItems() throws Exception {
        return texts("SELECT concat_ws('|', i.woocommerce_id, o.woocommerce_id, i.sku, i.quantity, printf('%.2f', i.unit_price)) "
                + "FROM order_items i JOIN orders o ON o.id = i.order_id ORDER BY i.woocommerce_id");
    }

    private static List<String> crmReturns() throws Exception {
        return texts("SELECT concat_ws('|', r.woocommerce_id, o.woocommerce_id, c.email, printf('%.2f', r.amount), r.reason, "
                + "r.resolution, r.status) FROM returns r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = r.customer_id "
                + "ORDER BY r.woocommerce_id");
    }

    private static List<String> updatedAts() throws Exception {
        return texts("SELECT concat_ws(' ', t, id, updated_at) FROM (SELECT 'customers' AS t, id, updated_at FROM customers "
                + "UNION ALL SELECT 'orders', id, updated_at FROM orders UNION ALL SELECT 'order_items', id, updated_at FROM order_items "
                + "UNION ALL SELECT 'products', id, updated_at FROM products UNION ALL SELECT 'returns', id, updated_at FROM returns) "
                + "ORDER BY t, id");
    }

    private static List<String> texts(String select) throws Exception {
        return server.sql(select).stream().map(row -> String.valueOf(row.get(0))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> customerEvents() throws Exception {
        return (List<String>) server.graphQl("{ flakyEvents }", Map.of()).get("flakyEvents");
    }

    // ---- jobs ----

    private static String startSync(String args) throws Exception {
        Map<String, Object> data = server.graphQl("mutation($args: String) { runJob(plugin: \"woocommerce\", job: \"rest-sync\", args: $args) { id } }",
                args == null ? Map.of() : Map.of("args", args));
        return (String) map(data.get("runJob")).get("id");
    }

    private static Map<String, Object> sync(String args) throws Exception {
        String id = startSync(args);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, Object> job = job(id);
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, job.get("state")).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Map<String, Object> job(String id) throws Exception {
        return map(server.graphQl("query($id: ID!) { job(id: $id) { state processed errorCount message } }", Map.of("id", id)).get("job"));
    }

    private static Map<String, Object> syncStatus() throws Exception {
        return map(server.graphQl("{ wooCommerceSyncStatus { stream modifiedAfter } }", Map.of()).get("wooCommerceSyncStatus"));
    }

    // ---- small helpers ----

    /** The store's clock, {@code seconds} from where it stood when this class began, as WooCommerce writes GMT times. */
    private static String gmt(long seconds) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(START.plusSeconds(seconds));
    }

    /** Runs {@code action} on the first request whose path and query contain {@code match}. */
    private static Consumer<String> once(String match, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return request -> {
            if (request.contains(match) && done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("waited 60 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String money(Object value) {
        return new BigDecimal(value.toString()).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static List<Map<String, Object>> byId(List<Map<String, Object>> items) {
        return items.stream().sorted(Comparator.comparingLong(i -> ((Number) i.get("id")).longValue())).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
