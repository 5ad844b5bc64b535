package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.TestPlugins;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * One store of a {@link FakeShopify}: builders of the Admin API nodes tests put there; its customers,
 * products and orders as the CRM should hold them after a sync ({@code expected*}, computed from the
 * nodes) and as it does ({@code crm*}, read through the SQL console); and the plugin's jobs.
 */
final class ShopifyStoreData {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FakeShopify shopify;
    private final String shop;
    /** Where the GIDs of the orders compared begin: a test may hold other orders of the store apart. */
    private final String orderIds;
    private final String syncedOrders;
    private final Supplier<CrmProcess> server;
    /** The server's {@code crm.timezone}: a refund is dated by its day there. */
    private final ZoneId storeZone;

    ShopifyStoreData(FakeShopify shopify, String shop, String orderIds, Supplier<CrmProcess> server, ZoneId storeZone) {
        this.shopify = shopify;
        this.storeZone = storeZone;
        this.shop = shop;
        this.orderIds = orderIds;
        this.syncedOrders = "o.shopify_key LIKE '" + shop + "/" + orderIds + "%'";
        this.server = server;
    }

    /** The CRM's number of an order node: {@code northwind-knits #1001}. */
    private String number(Map<String, Object> order) {
        return shop.replace(".myshopify.com", "") + " " + order.get("name");
    }

    List<String> rows(String select) throws Exception {
        return server.get().sql(select).stream().map(row -> String.valueOf(row.get(0))).toList();
    }

    static Map<String, Object> product(long id, String title, String status, String type, String price, String updatedAt) {
        return node("id", "gid://shopify/Product/" + id, "title", title, "status", status, "productType", type, "updatedAt", updatedAt,
                "priceRangeV2", node("minVariantPrice", node("amount", price, "currencyCode", "USD")));
    }

    static Map<String, Object> order(long id, String name, Long customer, String createdAt, String updatedAt, String cancelledAt,
                                             String financial, String fulfillment, String total, List<Map<String, Object>> lines,
                                             List<Map<String, Object>> refunds) {
        return node("id", "gid://shopify/Order/" + id, "name", name, "createdAt", createdAt, "updatedAt", updatedAt, "cancelledAt", cancelledAt,
                "displayFinancialStatus", financial, "displayFulfillmentStatus", fulfillment, "currencyCode", "USD",
                "totalPriceSet", money(total), "customer", customer == null ? null : node("id", "gid://shopify/Customer/" + customer),
                "lineItems", node("nodes", lines), "refunds", refunds);
    }

    static Map<String, Object> line(long id, int quantity, String price, Long product) {
        return line(id, "SKU-" + id, quantity, price, product);
    }

    static Map<String, Object> line(long id, String sku, int quantity, String price, Long product) {
        return node("id", "gid://shopify/LineItem/" + id, "sku", sku, "name", "Line " + id, "quantity", quantity,
                "originalUnitPriceSet", money(price), "product", product == null ? null : node("id", "gid://shopify/Product/" + product));
    }

    static Map<String, Object> refund(long id, String createdAt, String note, String amount) {
        return node("id", "gid://shopify/Refund/" + id, "createdAt", createdAt, "note", note, "totalRefundedSet", money(amount));
    }

    static Map<String, Object> money(String amount) {
        return node("shopMoney", node("amount", amount, "currencyCode", "USD"));
    }

    /** A JSON object in the order given; values may be null, as in Shopify's answers. */
    static Map<String, Object> node(Object... pairs) {
        Map<String, Object> node = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put((String) pairs[i], pairs[i + 1]);
        }
        return node;
    }

    /** What a full sync processes: each customer and product, and each order with its lines and refunds. */
    int syncedRecords() {
        return recordsUpdatedAfter("");
    }

    /** What a sync of the nodes updated after {@code since} (an ISO instant) processes: a customer is two, itself and its link to the store. */
    @SuppressWarnings("unchecked")
    int recordsUpdatedAfter(String since) {
        java.util.function.Predicate<Map<String, Object>> changed = node -> ((String) node.get("updatedAt")).compareTo(since) > 0;
        return (int) (2 * shopify.customers().stream().filter(changed).count() + shopify.nodes("products").stream().filter(changed).count())
                + shopify.nodes("orders").stream().filter(changed).mapToInt(o -> 1
                        + ((List<?>) ((Map<String, Object>) o.get("lineItems")).get("nodes")).size() + ((List<?>) o.get("refunds")).size()).sum();
    }

    List<String> crmProducts() throws Exception {
        return rows("SELECT concat_ws('|', shopify_key, name, category, printf('%.2f', price), status) FROM products "
                + "WHERE shopify_shop = '" + shop + "' ORDER BY shopify_key");
    }

    List<String> expectedProducts() {
        return shopify.nodes("products").stream().sorted(java.util.Comparator.comparing(p -> (String) p.get("id")))
                .map(p -> String.join("|", shop + "/" + p.get("id"), (String) p.get("title"), (String) p.get("productType"),
                        decimal(((Map<?, ?>) ((Map<?, ?>) p.get("priceRangeV2")).get("minVariantPrice")).get("amount")),
                        ((String) p.get("status")).charAt(0) + ((String) p.get("status")).substring(1).toLowerCase()))
                .toList();
    }

    List<String> crmOrders() throws Exception {
        return rows("SELECT concat_ws('|', o.order_number, o.order_date, printf('%.2f', o.total_amount), o.currency, o.status, "
                + "coalesce(c.email, '-')) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE " + syncedOrders
                + " ORDER BY o.order_number");
    }

    /** Cancelled wins, then a refunded payment, then fulfilment; anything else is Pending. */
    List<String> expectedOrders() {
        return orderNodes().map(o -> String.join("|", number(o),
                ((String) o.get("createdAt")).replace("T", " ").replace("Z", "+00"), decimal(shopMoney(o.get("totalPriceSet"))), "USD",
                o.get("cancelledAt") != null ? "Cancelled" : o.get("displayFinancialStatus").equals("REFUNDED") ? "Refunded"
                        : o.get("displayFulfillmentStatus").equals("FULFILLED") ? "Fulfilled" : "Pending",
                o.get("customer") == null ? "-" : customerEmail((String) ((Map<?, ?>) o.get("customer")).get("id")))).toList();
    }

    List<String> crmItems() throws Exception {
        return rows("SELECT concat_ws('|', o.order_number, i.shopify_key, i.quantity, printf('%.2f', i.unit_price), coalesce(p.name, '-')) "
                + "FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id WHERE " + syncedOrders
                + " ORDER BY o.order_number, i.shopify_key");
    }

    @SuppressWarnings("unchecked")
    List<String> expectedItems() {
        return orderNodes().flatMap(o -> ((List<Map<String, Object>>) ((Map<String, Object>) o.get("lineItems")).get("nodes")).stream()
                .map(l -> String.join("|", number(o), shop + "/" + o.get("name") + "/" + l.get("sku"), String.valueOf(l.get("quantity")),
                        decimal(shopMoney(l.get("originalUnitPriceSet"))), l.get("product") == null ? "-"
                                : (String) shopify.nodes("products").stream().filter(p -> p.get("id").equals(((Map<?, ?>) l.get("product")).get("id")))
                                .findFirst().orElseThrow().get("title")))).toList();
    }

    List<String> crmReturns() throws Exception {
        return rows("SELECT concat_ws('|', o.order_number, r.shopify_key, printf('%.2f', r.amount), r.return_date, coalesce(r.reason, '-'), "
                + "r.resolution, r.status, coalesce(c.email, '-')) FROM returns r JOIN orders o ON o.id = r.order_id "
                + "LEFT JOIN customers c ON c.id = r.customer_id WHERE " + syncedOrders + " ORDER BY o.order_number, r.shopify_key");
    }

    @SuppressWarnings("unchecked")
    List<String> expectedReturns() {
        return orderNodes().flatMap(o -> ((List<Map<String, Object>>) o.get("refunds")).stream()
                .map(r -> String.join("|", number(o), shop + "/" + r.get("id"), decimal(shopMoney(r.get("totalRefundedSet"))),
                        Instant.parse((String) r.get("createdAt")).atZone(storeZone).toLocalDate().toString(), r.get("note") == null ? "-" : (String) r.get("note"), "Refund", "Closed",
                        o.get("customer") == null ? "-" : customerEmail((String) ((Map<?, ?>) o.get("customer")).get("id"))))
                .sorted()).toList();
    }

    /** Each customer of the store's key, counted orders, their total and refunded amount (the metrics the sync recomputes). */
    List<String> crmMetrics() throws Exception {
        return rows("SELECT concat_ws('|', shopify_key, coalesce(total_orders, 0), printf('%.2f', coalesce(counted_order_total, 0)), "
                + "printf('%.2f', coalesce(refunded_amount, 0))) FROM customers WHERE shopify_shop = '" + shop + "' ORDER BY 1");
    }

    /**
     * The CRM holds the store's customers, products, orders, lines, returns and metrics as Shopify does; customers in
     * any order (they are listed by updated_at, which several may share).
     */
    void assertSynced() throws Exception {
        assertThat(crmCustomers()).containsExactlyInAnyOrderElementsOf(expectedCustomers());
        assertThat(crmProducts()).containsExactlyElementsOf(expectedProducts());
        assertThat(crmOrders()).containsExactlyElementsOf(expectedOrders());
        assertThat(crmItems()).containsExactlyElementsOf(expectedItems());
        assertThat(crmReturns()).containsExactlyElementsOf(expectedReturns());
        assertThat(crmMetrics()).as("the customers' metrics").containsExactlyElementsOf(expectedMetrics());
    }

    /** The metrics of {@link #crmMetrics} from the synced orders: those not cancelled count, every refund is refunded. */
    @SuppressWarnings("unchecked")
    List<String> expectedMetrics() {
        return shopify.customers().stream().map(c -> {
            List<Map<String, Object>> orders = orderNodes().filter(o -> o.get("customer") != null
                    && c.get("id").equals(((Map<?, ?>) o.get("customer")).get("id"))).toList();
            List<Map<String, Object>> counted = orders.stream().filter(o -> o.get("cancelledAt") == null).toList();
            BigDecimal total = counted.stream().map(o -> new BigDecimal(shopMoney(o.get("totalPriceSet")).toString()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal refunded = orders.stream().flatMap(o -> ((List<Map<String, Object>>) o.get("refunds")).stream())
                    .map(r -> new BigDecimal(shopMoney(r.get("totalRefundedSet")).toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
            return String.join("|", shop + "/" + c.get("id"), String.valueOf(counted.size()), decimal(total), decimal(refunded));
        }).sorted().toList();
    }

    /** The synced orders of {@link #syncedOrders}. */
    private java.util.stream.Stream<Map<String, Object>> orderNodes() {
        return shopify.nodes("orders").stream().filter(o -> ((String) o.get("id")).startsWith(orderIds)).sorted(java.util.Comparator.comparing(o -> (String) o.get("name")));
    }

    /** The email of the customer of GID {@code gid}, "-" for one without. */
    private String customerEmail(String gid) {
        Object address = shopify.customers().stream().filter(c -> c.get("id").equals(gid)).findFirst().orElseThrow().get("defaultEmailAddress");
        return address == null ? "-" : (String) ((Map<?, ?>) address).get("emailAddress");
    }

    private static Object shopMoney(Object bag) {
        return ((Map<?, ?>) ((Map<?, ?>) bag).get("shopMoney")).get("amount");
    }

    private static String decimal(Object amount) {
        return new BigDecimal(amount.toString()).setScale(2).toPlainString();
    }

    List<String> crmCustomers() throws Exception {
        return rows("SELECT concat_ws('|', shopify_key, email, first_name, last_name, phone, "
                + "CASE WHEN tags IS NULL THEN 'no tags' ELSE '[' || list_aggr(tags, 'string_agg', ',') || ']' END) "
                + "FROM customers WHERE shopify_shop = '" + shop + "' ORDER BY shopify_updated_at");
    }

    /**
     * Each customer of the store as the CRM should hold it; an empty value is no value (concat_ws skips it), and no
     * tags ({@code []}) is stored empty, as the CSV import and the webhooks store none.
     */
    @SuppressWarnings("unchecked")
    List<String> expectedCustomers() {
        return shopify.customers().stream().map(c -> java.util.stream.Stream.of(shop + "/" + c.get("id"),
                        ((Map<String, Object>) (c.get("defaultEmailAddress") == null ? Map.of() : c.get("defaultEmailAddress"))).get("emailAddress"),
                        c.get("firstName"), c.get("lastName"),
                        phone(c), ((List<String>) c.get("tags")).isEmpty() ? "no tags" : "[" + String.join(",", (List<String>) c.get("tags")) + "]")
                .filter(v -> v != null && !v.toString().isEmpty()).map(String::valueOf).collect(java.util.stream.Collectors.joining("|"))).toList();
    }

    /** The header of Shopify admin's customers export as of 2024 (FORMATS.md). */
    static final String CUSTOMERS_HEADER = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
            + "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
            + "Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,"
            + "Note,Tax Exempt,Tags\n";

    /**
     * A server (a child process logging to {@code target/<name>-e2e-server.log}) on a database of its own in a new
     * folder, with the real shopify plugin jar, one store {@code shop} whose Admin API is {@code shopify} and whose
     * webhooks are signed with {@code secret}, the reconciliation off (it runs when a test asks), and {@code more} settings.
     */
    static CrmProcess startServer(String name, String shop, String secret, FakeShopify shopify, String... more) throws Exception {
        return startServer(name, TestFolders.create("crm-" + name), shop, secret, shopify, more);
    }

    /** {@link #startServer(String, String, String, FakeShopify, String...)} in {@code folder}, its bulk operations' files in {@code folder/bulk}. */
    static CrmProcess startServer(String name, Path folder, String shop, String secret, FakeShopify shopify, String... more) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("shopify"), plugins.resolve("shopify.jar"));
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + plugins,
                "--crm.plugins.shopify.shop=" + shop,
                "--crm.plugins.shopify.access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.url=" + shopify.url(),
                "--crm.plugins.shopify.bulk-dir=" + folder.resolve("bulk"),
                "--crm.plugins.shopify.webhook-secret=" + secret,
                "--crm.plugins.shopify.jobs.reconcile.cron=off"));
        arguments.addAll(List.of(more));
        return CrmProcess.start(Path.of("target", name + "-e2e-server.log"), arguments);
    }

    /** A customer node's phone as the CRM keeps it: its own, else its default address's (as the customers export's Phone). */
    @SuppressWarnings("unchecked")
    private static Object phone(Map<String, Object> customer) {
        Object own = ((Map<String, Object>) (customer.get("defaultPhoneNumber") == null ? Map.of() : customer.get("defaultPhoneNumber"))).get("phoneNumber");
        return own != null ? own : ((Map<String, Object>) (customer.get("defaultAddress") == null ? Map.of() : customer.get("defaultAddress"))).get("phone");
    }

    /** {@code json} delivered as Shopify sends it (compact, signed with {@code secret}); its state and note once the applier is done with it. */
    String deliver(String secret, String topic, String webhookId, Map<String, Object> json) throws Exception {
        byte[] body = JSON.writeValueAsBytes(json);
        java.net.http.HttpResponse<String> answer = server.get().post("/plugins/shopify/webhooks",
                ShopifyDelivery.headers(shop, secret, topic, webhookId, "event-" + webhookId, null, body), body);
        assertThat(answer.body()).isEqualTo("{\"state\":\"Received\"}");
        assertThat(runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
        return rows("SELECT concat_ws('|', state, coalesce(note, '')) FROM shopify_webhooks WHERE webhook_id = '" + webhookId + "'").get(0)
                .replaceFirst("\\|$", "");
    }

    /** The finished job of importing {@code csv} with {@code importer} ({@code shopify:customers-csv}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> importCsv(String importer, String csv) throws Exception {
        java.net.http.HttpResponse<String> answer = server.get().post("/imports/" + importer, Map.of("Content-Type", "text/csv"),
                csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return awaitJob((String) JSON.readValue(answer.body(), Map.class).get("jobId"));
    }

    Map<String, Object> runJob(String name, String args) throws Exception {
        return awaitJob(startJob(name, args));
    }

    @SuppressWarnings("unchecked")
    String startJob(String name, String args) throws Exception {
        return (String) ((Map<String, Object>) server.get().graphQl("mutation($job: String!, $args: String) { runJob(plugin: \"shopify\", job: $job, args: $args) { id } }",
                args == null ? Map.of("job", name) : Map.of("job", name, "args", args)).get("runJob")).get("id");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> job(String id) throws Exception {
        return (Map<String, Object>) server.get().graphQl("query($id: ID!) { job(id: $id) { state processed errorCount message } }",
                Map.of("id", id)).get("job");
    }

    Map<String, Object> awaitJob(String id) throws Exception {
        for (int i = 0; i < 1200; i++) {
            Map<String, Object> job = job(id);
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not finish");
    }
}
