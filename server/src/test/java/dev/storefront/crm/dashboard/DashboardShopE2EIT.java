package dev.storefront.crm.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.client.CrmClient;
import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.plugins.TestPlugins;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard's shop filter on a database of its own, spoken to through the Java client: absent
 * while the model records no shop, then, once orders, returns and customers have the Shopify plugin's
 * {@code shopify_shop} field, widgets count orders and returns of the given shops by their own shop
 * (a guest order of the shop included) and customers by theirs. Expected numbers are computed here
 * from {@link #ORDERS} and {@link #RETURNS}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardShopE2EIT {

    private static final Path DATABASE = E2EClient.newDatabaseFile();
    private static final String PLUGINS = TestPlugins.bundledFolder("dashboard");
    private static final String RANGE = "range: {from: \"2026-03-01\", to: \"2026-03-31\"}";
    private static final LocalDate MARCH = LocalDate.of(2026, 3, 1);

    record Customer(String key, String segment, String shop) { }

    record Sale(String number, String customer, String shop, String day, String total, String status) {
        boolean counted() {
            return !status.equals("CANCELLED");
        }

        boolean inMarch() {
            return !LocalDate.parse(day).isBefore(MARCH);
        }
    }

    record Refund(String order, String amount, String day) { }

    private static final List<Customer> CUSTOMERS = List.of(new Customer("ann", "VIP", "north"),
            new Customer("ben", "Loyal", "south"), new Customer("cat", "Loyal", "north"), new Customer("dov", "VIP", null));
    /** March 2026 and the 31 days before it (from Jan 29); ann buys in both shops; a guest order of north; one order of no shop. */
    private static final List<Sale> ORDERS = List.of(
            new Sale("N-0", "cat", "north", "2026-02-10", "80.00", "DELIVERED"),
            new Sale("N-1", "ann", "north", "2026-03-02", "100.00", "DELIVERED"),
            new Sale("N-2", "ann", "north", "2026-03-10", "50.00", "CANCELLED"),
            new Sale("N-3", null, "north", "2026-03-15", "30.00", "DELIVERED"),
            new Sale("S-1", "ben", "south", "2026-03-05", "200.00", "DELIVERED"),
            new Sale("S-2", "ann", "south", "2026-03-20", "70.00", "DELIVERED"),
            new Sale("X-1", "dov", null, "2026-03-07", "40.00", "DELIVERED"));
    private static final List<Refund> RETURNS = List.of(new Refund("N-1", "25.00", "2026-03-12"), new Refund("S-1", "60.00", "2026-03-25"));

    @LocalServerPort
    int port;

    private CrmClient crm;
    private final Map<String, String> customerIds = new LinkedHashMap<>();
    private final Map<String, String> orderIds = new LinkedHashMap<>();
    /** By the number of the returned order. */
    private final Map<String, String> returnIds = new LinkedHashMap<>();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.plugins-dir", () -> PLUGINS);
        registry.add("crm.timezone", () -> "UTC");
    }

    @BeforeAll
    void writeTheStore() {
        crm = CrmClient.create("http://127.0.0.1:" + port, E2EClient.ADMIN_KEY);
        for (Customer c : CUSTOMERS) {
            customerIds.put(c.key(), create("Customer", Map.of("fullName", c.key(), "email", c.key() + "@shops.test",
                    "customerSegment", c.segment().toUpperCase(java.util.Locale.ROOT))));
        }
        for (Sale o : ORDERS) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("orderNumber", o.number());
            input.put("customerId", o.customer() == null ? null : customerIds.get(o.customer()));
            input.put("orderDate", o.day() + "T12:00:00Z");
            input.put("totalAmount", o.total());
            input.put("status", o.status());
            orderIds.put(o.number(), create("Order", input));
        }
        for (Refund r : RETURNS) {
            returnIds.put(r.order(), create("Return", Map.of("orderId", orderIds.get(r.order()), "customerId", customerIds.get(sale(r.order()).customer()),
                    "returnDate", r.day(), "resolution", "REFUND", "amount", r.amount())));
        }
    }

    @Test
    @Order(1)
    void withoutAShopFieldTheFilterHasNoShops() {
        assertThat(filterFields()).containsExactly("segments", "acquisitionSources", "where");
        assertThatThrownBy(() -> crm.query("{ kpi(" + RANGE + ", filter: {shops: [\"north\"]}) { value } }", Map.of()))
                .isInstanceOfSatisfying(CrmClient.CrmClientException.class, e -> assertThat(e.getMessage()).contains("shops")
                        .doesNotContain("Exception"));
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void widgetsCountOrdersAndReturnsOfTheShopsAndCustomersOfTheShops() {
        for (String object : List.of("customers", "orders", "returns")) {
            crm.query("mutation($o: String!) { addField(object: $o, input: {label: \"Shopify Shop\", type: TEXT}) { apiName } }",
                    Map.of("o", object));
        }
        assertThat(filterFields()).containsExactly("segments", "acquisitionSources", "where", "shops");
        CUSTOMERS.stream().filter(c -> c.shop() != null).forEach(c -> setShop("Customer", customerIds.get(c.key()), c.shop()));
        ORDERS.stream().filter(o -> o.shop() != null).forEach(o -> setShop("Order", orderIds.get(o.number()), o.shop()));
        RETURNS.forEach(r -> setShop("Return", returnIds.get(r.order()), sale(r.order()).shop()));

        for (Set<String> shops : List.of(Set.of("north"), Set.of("south"), Set.of("north", "south"))) {
            String filter = "filter: {shops: [\"" + String.join("\", \"", shops) + "\"]}";
            Predicate<Sale> ofShops = o -> o.shop() != null && shops.contains(o.shop());
            BigDecimal revenue = revenue(ofShops.and(Sale::inMarch));
            BigDecimal refunds = RETURNS.stream().filter(r -> ofShops.test(sale(r.order())))
                    .map(r -> new BigDecimal(r.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            long orders = ORDERS.stream().filter(ofShops.and(Sale::inMarch).and(Sale::counted)).count();

            Map<String, Object> stat = data("kpi(" + RANGE + ", metric: REVENUE, " + filter + ") { value previous }", "kpi");
            assertThat(plain(stat.get("value"))).as("revenue of %s", shops).isEqualTo(plain(revenue));
            assertThat(plain(stat.get("previous"))).isEqualTo(plain(revenue(ofShops.and(o -> !o.inMarch()))));
            Map<String, Object> trend = data("revenueTrend(" + RANGE + ", " + filter + ") { labels lines { name values } }",
                    "revenueTrend");
            assertThat(trend.get("labels")).isEqualTo(List.of("2026-03"));
            assertThat(lines(trend)).containsExactly(List.of(plain(revenue)), List.of(plain(refunds)), List.of(plain(revenue.subtract(refunds))),
                    List.of(plain(orders)), List.of(plain(revenue.divide(BigDecimal.valueOf(orders), 2, java.math.RoundingMode.HALF_UP))));

            // Customers by segment counts the customers of the shops, by their own shop.
            Map<String, Long> segments = new java.util.TreeMap<>();
            CUSTOMERS.stream().filter(c -> c.shop() != null && shops.contains(c.shop())).forEach(c -> segments.merge(c.segment(), 1L, Long::sum));
            Map<String, Object> bySegment = data("customersBySegment(" + RANGE + ", " + filter + ") { labels lines { name values } }",
                    "customersBySegment");
            Map<String, String> answered = new java.util.TreeMap<>();
            for (int i = 0; i < ((List<?>) bySegment.get("labels")).size(); i++) {
                answered.put((String) ((List<?>) bySegment.get("labels")).get(i), lines(bySegment).get(0).get(i));
            }
            Map<String, String> expected = new java.util.TreeMap<>();
            segments.forEach((segment, n) -> expected.put(segment, plain(n)));
            assertThat(answered).as("customers by segment of %s", shops).isEqualTo(expected);
        }
        // The two numbers that tell the definitions apart: north has its guest order (30) and not ann's south order (70).
        assertThat(revenue(o -> "north".equals(o.shop()) && o.inMarch())).isEqualByComparingTo("130");
        // Shops and segments together: ann's south order is the only one of a VIP in the south shop.
        Map<String, Object> southVips = data("kpi(" + RANGE + ", metric: REVENUE, filter: {shops: [\"south\"], segments: [\"VIP\"]}) "
                + "{ value }", "kpi");
        assertThat(plain(southVips.get("value"))).isEqualTo(plain(revenue(o -> "south".equals(o.shop()) && "ann".equals(o.customer()))));
        // A record without a shop belongs to none: no shop named "" counts dov's order.
        assertThat(plain(data("kpi(" + RANGE + ", metric: ORDERS, filter: {shops: [\"\"]}) { value }", "kpi").get("value")))
                .isEqualTo("0");
    }

    private static Sale sale(String number) {
        return ORDERS.stream().filter(o -> o.number().equals(number)).findFirst().orElseThrow();
    }

    private static BigDecimal revenue(Predicate<Sale> which) {
        return ORDERS.stream().filter(which.and(Sale::counted)).map(o -> new BigDecimal(o.total())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** A number as plain text without trailing zeros, so an answer's "130.00" and the test's 130 compare equal. */
    private static String plain(Object number) {
        return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> lines(Map<String, Object> series) {
        return ((List<Map<String, Object>>) series.get("lines")).stream()
                .map(line -> ((List<Object>) line.get("values")).stream().map(DashboardShopE2EIT::plain).toList()).toList();
    }

    private Map<String, Object> data(String call, String field) {
        return crm.query("{ " + call + " }", Map.of()).field(field).getValue();
    }

    @SuppressWarnings("unchecked")
    private List<String> filterFields() {
        List<Map<String, Object>> fields = crm.query("{ __type(name: \"DashboardFilter\") { inputFields { name } } }", Map.of())
                .field("__type.inputFields").getValue();
        return fields.stream().map(f -> (String) f.get("name")).toList();
    }

    private void setShop(String type, String id, String shop) {
        crm.query("mutation($id: ID!, $shop: String) { update" + type + "(id: $id, input: {shopifyShop: $shop}) { id } }",
                Map.of("id", id, "shop", shop));
    }

    private String create(String type, Map<String, Object> input) {
        String id = crm.query("mutation($in: " + type + "CreateInput!) { create" + type + "(input: $in) { id } }", Map.of("in", input))
                .field("create" + type + ".id").getValue();
        return Long.toString(E2EClient.idNumber(id));
    }
}
