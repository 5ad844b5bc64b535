package dev.storefront.crm.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.client.CrmClient;
import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.TestPlugins;
import dev.storefront.crm.storage.DuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The real dashboard jar through PF4J, on a database of its own holding only {@link StoreData},
 * with the store in New York time ({@code crm.timezone}). Every widget's answer is compared, whole,
 * with {@link Expected}, computed in Java from the same data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardE2EIT {

    static final ZoneId STORE = ZoneId.of("America/New_York");
    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final Path PLUGINS = folderWith(TestPlugins.bundledJar("dashboard"));
    private static final Path BOARD = PLUGINS.resolveSibling("board.yaml");
    private static final String RANGE = "range: {from: \"2026-01-01\", to: \"2026-04-30\"}";
    private static final Map<String, String> FIELDS = Map.of("Series", "labels lines { name values }",
            "Stat", "value previous change from to previousFrom previousTo", "Table", "columns { name type } rows",
            "Matrix", "rowLabels columnLabels layers { name values }");
    private static final String DATA = "data { __typename " + String.join(" ", FIELDS.entrySet().stream()
            .map(e -> "... on " + e.getKey() + " { " + e.getValue() + " }").toList()) + " }";
    static final String TEST_BOARD = """
            widgets:
              - {id: revenue, title: Revenue, kind: stat, query: kpi, arguments: {metric: REVENUE}}
              - {id: new-customers, title: New customers, kind: stat, query: kpi, arguments: {metric: NEW_CUSTOMERS}}
              - {id: trend, title: Revenue by month, kind: line, query: revenueTrend, arguments: {granularity: MONTH}}
              - {id: segments, title: Customers by segment, kind: pie, query: customersBySegment}
              - {id: segment-revenue, title: Revenue by segment, kind: bar, query: revenueBySegment}
              - {id: ltv, title: Lifetime value, kind: bar, query: lifetimeValueDistribution, arguments: {edges: [100, 200]}}
              - {id: returns, title: Return rate, kind: line, query: returnRateTrend}
              - {id: repeat, title: Repeat purchase rate, kind: line, query: repeatPurchaseRate}
              - {id: new-vs-returning, title: New vs returning, kind: bar, query: newVsReturningRevenue}
              - {id: cohorts, title: Cohorts, kind: heatmap, query: cohortRetention}
              - {id: rfm, title: RFM, kind: heatmap, query: rfmGrid}
              - {id: clv, title: Predicted CLV, kind: bar, query: predictedClvBySource}
              - id: orders-by-status
                title: Order totals by status
                kind: bar
                query: aggregate
                arguments: {object: orders, measure: "sum:total_amount", groupBy: status, dateField: order_date}
            """;

    @LocalServerPort
    int port;
    @Autowired
    DuckDb db;

    private final Map<String, String> customerIds = new LinkedHashMap<>();
    private final Map<String, String> campaignIds = new LinkedHashMap<>();
    private final Expected store = new Expected(STORE, StoreData.FROM, StoreData.TO, Set.of());

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        write(BOARD, TEST_BOARD);
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
        registry.add("crm.plugins-dir", PLUGINS::toString);
        registry.add("crm.timezone", STORE::getId);
        registry.add("crm.plugins.dashboard.board", BOARD::toString);
        registry.add("crm.plugins.dashboard.refresh-seconds", () -> "1");
    }

    @BeforeAll
    void writeTheStore() {
        for (StoreData.Customer c : StoreData.CUSTOMERS) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("fullName", c.key());
            input.put("email", c.key() + "@dashboard.test");
            input.put("customerSegment", c.segment() == null ? null : enumName(c.segment()));
            input.put("acquisitionSource", enumName(c.source()));
            customerIds.put(c.key(), create("Customer", input));
        }
        Map<String, String> orderIds = new LinkedHashMap<>();
        for (StoreData.Order o : StoreData.ORDERS) {
            orderIds.put(o.number(), createOrder(o));
        }
        for (StoreData.Return r : StoreData.RETURNS) {
            create("Return", Map.of("orderId", orderIds.get(r.order()), "customerId", customerIds.get(r.customer()),
                    "returnDate", r.date().toString(), "resolution", enumName(r.resolution()), "amount", r.amount()));
        }
        for (StoreData.Campaign c : StoreData.CAMPAIGNS) {
            campaignIds.put(c.name(), create("Campaign", Map.of("campaignName", c.name(), "channel", enumName(c.channel()),
                    "launchDate", c.launch().toString())));
        }
        for (StoreData.Receipt r : StoreData.RECEIPTS) {
            create("CampaignRecipient", Map.of("campaignId", campaignIds.get(r.campaign()), "customerId", customerIds.get(r.customer()),
                    "opened", r.opened(), "revenue", r.revenue()));
        }
    }

    @Test
    @Order(1)
    void trendsCountLocalDaysOfTheStoreTimeZoneWithEmptyMonthsAndRefunds() {
        assertThat(widget("revenueTrend(" + RANGE + ", granularity: MONTH)", "Series")).isEqualTo(store.revenueTrend());
        // The same orders in UTC: 23:30 on Dec 31 in New York is Jan 1 in UTC; Apr 30 23:30 is May 1.
        Expected utc = new Expected(ZoneId.of("UTC"), StoreData.FROM, StoreData.TO, Set.of());
        assertThat(widget("revenueTrend(" + RANGE + ", timeZone: \"UTC\")", "Series")).isEqualTo(utc.revenueTrend());
        assertThat(utc.revenueTrend()).isNotEqualTo(store.revenueTrend());
        assertThat(widget("returnRateTrend(" + RANGE + ")", "Series")).isEqualTo(store.returnRateTrend());
        assertThat(widget("repeatPurchaseRate(" + RANGE + ")", "Series")).isEqualTo(store.repeatPurchaseRate());
        assertThat(widget("newVsReturningRevenue(" + RANGE + ")", "Series")).isEqualTo(store.newVsReturningRevenue());
        assertThat(widget("cohortRetention(" + RANGE + ")", "Matrix")).isEqualTo(store.cohortRetention());
        // In another zone than the store's, the widgets count from the orders (the stored purchase dates are New York days).
        assertThat(widget("repeatPurchaseRate(" + RANGE + ", timeZone: \"UTC\")", "Series")).isEqualTo(utc.repeatPurchaseRate());
        assertThat(widget("newVsReturningRevenue(" + RANGE + ", timeZone: \"UTC\")", "Series")).isEqualTo(utc.newVsReturningRevenue());
        assertThat(widget("cohortRetention(" + RANGE + ", timeZone: \"UTC\")", "Matrix")).isEqualTo(utc.cohortRetention());
        assertThat(utc.cohortRetention()).isNotEqualTo(store.cohortRetention());
    }

    @Test
    @Order(2)
    void statsCompareWithThePeriodBefore() {
        for (String metric : List.of("REVENUE", "NET_REVENUE", "ORDERS", "AVERAGE_ORDER_VALUE", "NEW_CUSTOMERS")) {
            Map<String, Object> stat = widget("kpi(" + RANGE + ", metric: " + metric + ")", "Stat");
            Object[] expected = store.kpi(metric);
            double change = new BigDecimal(expected[0].toString()).doubleValue() / new BigDecimal(expected[1].toString()).doubleValue() - 1;
            assertThat(stat).as(metric).isEqualTo(Expected.norm(Map.of("__typename", "Stat", "value", expected[0], "previous", expected[1],
                    "change", change, "from", "2026-01-01", "to", "2026-04-30", "previousFrom", "2025-09-03", "previousTo", "2025-12-31")));
        }
        // Dan's first order, on the range's last day at 23:30 New York time, makes him new in this period.
        assertThat(store.kpi("NEW_CUSTOMERS")).containsExactly(3L, 2L);
    }

    @Test
    @Order(3)
    void segmentsCustomersAndCampaigns() {
        assertThat(widget("customersBySegment(" + RANGE + ")", "Series")).isEqualTo(store.customersBySegment());
        assertThat(widget("revenueBySegment(" + RANGE + ")", "Series")).isEqualTo(store.revenueBySegment());
        assertThat(widget("lifetimeValueDistribution(" + RANGE + ", edges: [100, 200])", "Series"))
                .isEqualTo(store.lifetimeValueDistribution(List.of(new BigDecimal("100"), new BigDecimal("200"))));
        // Chosen edges: 4 buckets of a round width of at least a quarter of the top value (220 -> 100).
        assertThat(widget("lifetimeValueDistribution(" + RANGE + ", buckets: 4)", "Series")).isEqualTo(store.lifetimeValueDistribution(
                List.of(new BigDecimal("100"), new BigDecimal("200"), new BigDecimal("300"))));

        Map<String, Object> top = widget("topCustomers(" + RANGE + ", limit: 3)", "Table");
        List<List<String>> rows = new ArrayList<>();
        store.lifetimeValues().entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()
                        .thenComparing(e -> Long.parseLong(customerIds.get(e.getKey())))).limit(3)
                .forEach(e -> rows.add(java.util.Arrays.asList(customerIds.get(e.getKey()), e.getKey(), e.getKey() + "@dashboard.test",
                        StoreData.customer(e.getKey()).segment(), Long.toString(store.ordersOf(e.getKey())),
                        e.getValue().setScale(2).toPlainString())));
        assertThat(top.get("rows")).isEqualTo(rows);
        assertThat(rows).extracting(r -> r.get(1)).containsExactly("alice", "bob", "finn");

        Map<String, Object> campaigns = widget("campaignResults(" + RANGE + ")", "Table");
        assertThat(campaigns.get("rows")).isEqualTo(store.campaignRows(campaignIds));
        assertThat((List<?>) campaigns.get("rows")).hasSize(2);
    }

    @Test
    @Order(4)
    void filtersLimitWidgetsToCustomersOfTheGivenSegments() {
        Expected vip = new Expected(STORE, StoreData.FROM, StoreData.TO, Set.of("VIP"));
        String filter = ", filter: {segments: [\"VIP\"]}";
        assertThat(widget("revenueTrend(" + RANGE + filter + ")", "Series")).isEqualTo(vip.revenueTrend());
        assertThat(widget("customersBySegment(" + RANGE + filter + ")", "Series")).isEqualTo(vip.customersBySegment());
        assertThat(widget("cohortRetention(" + RANGE + filter + ")", "Matrix")).isEqualTo(vip.cohortRetention());
    }

    @Test
    @Order(4)
    void anyCustomerWhereLimitsEveryKindOfWidgetAndCombinesWithSegments() {
        // Customers with two or more counted orders (Total Orders is a rollup the where reads like any field).
        java.util.function.Predicate<String> repeat = key -> StoreData.ORDERS.stream()
                .filter(o -> key.equals(o.customer()) && o.counted()).count() >= 2;
        Expected repeaters = new Expected(STORE, StoreData.FROM, StoreData.TO, repeat);
        assertThat(StoreData.CUSTOMERS.stream().map(StoreData.Customer::key).filter(repeat)).containsExactly("alice", "bob", "cara");
        String filter = ", filter: {where: \"{\\\"totalOrders\\\": {\\\"gte\\\": 2}}\"}";
        assertThat(widget("revenueTrend(" + RANGE + filter + ")", "Series")).isEqualTo(repeaters.revenueTrend());
        assertThat(widget("customersBySegment(" + RANGE + filter + ")", "Series")).isEqualTo(repeaters.customersBySegment());
        assertThat(widget("cohortRetention(" + RANGE + filter + ")", "Matrix")).isEqualTo(repeaters.cohortRetention());
        assertThat(widget("repeatPurchaseRate(" + RANGE + filter + ")", "Series")).isEqualTo(repeaters.repeatPurchaseRate());
        Object[] revenue = repeaters.kpi("REVENUE");
        assertThat(widget("kpi(" + RANGE + ", metric: REVENUE" + filter + ")", "Stat")).containsEntry("value", Expected.norm(revenue[0]))
                .containsEntry("previous", Expected.norm(revenue[1]));
        assertThat(widget("campaignResults(" + RANGE + filter + ")", "Table").get("rows")).isEqualTo(repeaters.campaignRows(campaignIds));

        // With a segment too, both hold: the VIPs among them.
        Expected repeatVips = new Expected(STORE, StoreData.FROM, StoreData.TO,
                repeat.and(key -> "VIP".equals(StoreData.customer(key).segment())));
        String both = ", filter: {segments: [\"VIP\"], where: \"{\\\"totalOrders\\\": {\\\"gte\\\": 2}}\"}";
        assertThat(widget("revenueTrend(" + RANGE + both + ")", "Series")).isEqualTo(repeatVips.revenueTrend());

        ResponseError bad = E2EClient.oneError(CrmClient.create("http://127.0.0.1:" + port, E2EClient.ADMIN_KEY), "{ revenueTrend(" + RANGE
                + ", filter: {where: \"{\\\"shoeSize\\\": {\\\"eq\\\": 9}}\"}) { labels } }", Map.of());
        assertThat(bad.getMessage()).contains("shoeSize").doesNotContain("Exception", "duckdb", "SQL");
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void thePluginDescribesItsContributions() {
        Map<String, Object> plugin = run("{ plugin(id: \"dashboard\") { error contributes { queryFields } } }").path("plugin")
                .entity(Map.class).get();
        assertThat(plugin.get("error")).isNull();
        assertThat((List<String>) ((Map<String, Object>) plugin.get("contributes")).get("queryFields")).containsExactly("dashboard",
                "customersBySegment", "revenueBySegment", "revenueTrend", "kpi", "topCustomers", "lifetimeValueDistribution",
                "returnRateTrend", "repeatPurchaseRate", "newVsReturningRevenue", "cohortRetention", "campaignResults", "aggregate");
    }

    @Test
    @Order(5)
    void theBoardAnswersEveryWidgetInOneRequestAndModelWidgetsAppearWithTheirFields() {
        List<Map<String, Object>> widgets = board();
        assertThat(widgets).extracting(w -> w.get("id")).containsExactly("revenue", "new-customers", "trend", "segments",
                "segment-revenue", "ltv", "returns", "repeat", "new-vs-returning", "cohorts", "orders-by-status");
        Map<String, Object> byId = new LinkedHashMap<>();
        widgets.forEach(w -> byId.put((String) w.get("id"), w.get("data")));
        assertThat(byId.get("trend")).isEqualTo(store.revenueTrend());
        assertThat(byId.get("segments")).isEqualTo(store.customersBySegment());
        assertThat(byId.get("cohorts")).isEqualTo(store.cohortRetention());
        assertThat(byId.get("orders-by-status")).isEqualTo(store.ordersByStatus());
        assertThat(widgets.get(0)).containsEntry("kind", "STAT").containsEntry("title", "Revenue").containsEntry("error", null);
        assertThat(queryFields()).doesNotContain("rfmGrid", "predictedClvBySource");

        // The segmentation and predictive fields arrive in the model: their widgets appear, no restart.
        for (String field : List.of("R Score", "F Score", "M Score")) {
            run("mutation { addField(object: \"customers\", input: { label: \"" + field + "\", type: INTEGER }) { apiName } }");
        }
        run("mutation { addField(object: \"customers\", input: { label: \"Predicted CLV 365 Days\", type: NUMBER }) { apiName } }");
        for (StoreData.Scores s : StoreData.SCORES) {
            run("mutation { updateCustomer(id: \"" + customerIds.get(s.customer()) + "\", input: { rScore: " + s.r() + ", fScore: "
                    + s.f() + ", mScore: " + s.m() + ", predictedClv365Days: " + s.predictedClv() + " }) { id } }");
        }
        assertThat(queryFields()).contains("rfmGrid", "predictedClvBySource");
        assertThat(widget("rfmGrid(" + RANGE + ")", "Matrix")).isEqualTo(store.rfmGrid());
        assertThat(widget("predictedClvBySource(" + RANGE + ")", "Series")).isEqualTo(store.predictedClvBySource());
        List<Map<String, Object>> withModel = board();
        assertThat(withModel).extracting(w -> w.get("id")).contains("rfm", "clv");
        withModel.stream().filter(w -> w.get("id").equals("rfm")).forEach(w -> assertThat(w.get("data")).isEqualTo(store.rfmGrid()));
    }

    @Test
    @Order(6)
    void newOrdersDropTheCachedAnswersThatReadOrdersOneByOneAndInBulk() throws Exception {
        assertThat(widget("kpi(" + RANGE + ", metric: REVENUE)", "Stat").get("value")).isEqualTo(Expected.norm(store.kpi("REVENUE")[0]));
        StoreData.Order created = StoreData.order("D-12", "bob", "2026-03-15T12:00:00-04:00", "15.00", "Delivered");
        StoreData.ORDERS.add(created);
        createOrder(created);
        assertThat(Expected.norm(store.kpi("REVENUE")[0])).isEqualTo("510");
        awaitRevenue();

        StoreData.Order imported = StoreData.order("D-13", "cara", "2026-04-10T12:00:00-04:00", "12.50", "Delivered");
        StoreData.ORDERS.add(imported);
        String csv = "order_number,customer.email,order_date,total_amount,status\n" + imported.number() + ",cara@dashboard.test,"
                + imported.at() + "," + imported.total() + ",Delivered\n";
        HttpResponse<String> response = HttpClient.newHttpClient().send(E2EClient.authorized(
                URI.create("http://127.0.0.1:" + port + "/imports/csv:orders")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Expected.norm(store.kpi("REVENUE")[0])).isEqualTo("522.5");
        awaitRevenue();
        assertThat(widget("revenueTrend(" + RANGE + ")", "Series")).isEqualTo(store.revenueTrend());
    }

    /** Entry events arrive just after the commit: waits until the revenue stat answers what the data now says. */
    private void awaitRevenue() {
        Object expected = Expected.norm(store.kpi("REVENUE")[0]);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!widget("kpi(" + RANGE + ", metric: REVENUE)", "Stat").get("value").equals(expected) && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(widget("kpi(" + RANGE + ", metric: REVENUE)", "Stat").get("value")).isEqualTo(expected);
    }

    @Test
    @Order(8)
    void anInvalidBoardStopsThePluginFromStartingWithEveryProblemNamed() {
        write(BOARD, """
                widgets:
                  - {id: revenue, title: Revenue, kind: stat, query: kpi, arguments: {metric: PROFIT}}
                  - {id: revenue, title: Trend, kind: pie, query: revenueTrnd}
                  - {id: top, title: Top, kind: line, query: topCustomers, arguments: {limit: 0, colour: red}}
                """);
        try {
            run("mutation { stopPlugin(id: \"dashboard\") { state } }");
            Map<String, Object> plugin = run("mutation { startPlugin(id: \"dashboard\") { state error } }")
                    .path("startPlugin").entity(Map.class).get();
            assertThat(plugin.get("state")).isEqualTo("FAILED");
            assertThat((String) plugin.get("error")).contains("The dashboard board " + BOARD + " is not valid: "
                    + "widget 1 (revenue): argument 'metric' must be one of REVENUE, NET_REVENUE, ORDERS, AVERAGE_ORDER_VALUE, "
                    + "NEW_CUSTOMERS, not PROFIT; widget 2 (revenue): id 'revenue' is used twice; widget 2 (revenue): query "
                    + "'revenueTrnd' is not known; queries: customersBySegment, ")
                    .contains("widget 3 (top): a line chart cannot draw topCustomers, which answers a Table; use table")
                    .contains("widget 3 (top): argument 'limit' must be a whole number above 0, not 0")
                    .contains("widget 3 (top): argument 'colour' is not known; it takes limit");
            write(BOARD, "widgets: [oops");
            String error = (String) run("mutation { startPlugin(id: \"dashboard\") { state error } }")
                    .path("startPlugin").entity(Map.class).get().get("error");
            assertThat(error).contains("The dashboard board " + BOARD + " is not valid YAML at line ");
        } finally {
            write(BOARD, TEST_BOARD);
            run("mutation { startPlugin(id: \"dashboard\") { state } }").path("startPlugin.state").entity(String.class).isEqualTo("STARTED");
        }
        assertThat(board()).hasSize(13);
    }

    /**
     * Once the default board (no range: the last 12 months) was asked for, a change brings it computed again
     * in the background ({@code refresh-seconds} 1 here): the next ask runs no more statements than a cached one
     * (the fewest of three cached asks) and answers the new order.
     */
    @Test
    @Order(7)
    @SuppressWarnings("unchecked")
    void theDefaultBoardIsComputedAgainInTheBackgroundAfterAChange() throws Exception {
        String defaultBoard = "{ dashboard { from to widgets { id " + DATA + " } } }";
        long before = statementCount();
        run(defaultBoard);
        long computed = statementCount() - before;
        long cached = Long.MAX_VALUE;
        for (int ask = 0; ask < 3; ask++) {
            before = statementCount();
            run(defaultBoard);
            cached = Math.min(cached, statementCount() - before);
        }
        assertThat(computed).isGreaterThan(cached);

        LocalDate today = LocalDate.now(STORE);
        StoreData.Order created = StoreData.order("D-14", "bob", today.atTime(12, 0).atZone(STORE).toOffsetDateTime().toString(),
                "30.00", "Delivered");
        StoreData.ORDERS.add(created);
        try {
            createOrder(created);
            awaitNoStatementsFor(Duration.ofSeconds(3));
            before = statementCount();
            Map<String, Object> answer = run(defaultBoard).path("dashboard").entity(Map.class).get();
            assertThat(statementCount() - before).isEqualTo(cached);
            Expected lastTwelveMonths = new Expected(STORE, today.withDayOfMonth(1).minusMonths(11), today, Set.of());
            assertThat(answer.get("from")).isEqualTo(today.withDayOfMonth(1).minusMonths(11).toString());
            assertThat(((List<Map<String, Object>>) answer.get("widgets")).stream().filter(w -> w.get("id").equals("revenue"))
                    .map(w -> Expected.norm(((Map<String, Object>) w.get("data")).get("value"))).toList())
                    .containsExactly(Expected.norm(lastTwelveMonths.kpi("REVENUE")[0]));
        } finally {
            StoreData.ORDERS.remove(created);
        }
    }

    /**
     * Waits until no statement has run for {@code quiet}, longer than the refresh's 1 s delay (the refresh the
     * order brought has then run, as its reads follow the order's within a second), or 10 s at most.
     */
    private void awaitNoStatementsFor(Duration quiet) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long seen = statementCount();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quiet.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = statementCount();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /**
     * Statements this server's database ran so far. Not the {@code crm.sql} metric: Micrometer's global
     * registry adds up every server in this JVM, and the cached servers of other test classes run their
     * own background work.
     */
    private long statementCount() {
        return db.statementCount();
    }

    private List<Map<String, Object>> board() {
        return run("{ dashboard(" + RANGE + ") { from to timeZone widgets { id title kind query error " + DATA + " } } }")
                .path("dashboard.widgets").entityList(Map.class).get().stream()
                .map(w -> (Map<String, Object>) Expected.norm(w)).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> widget(String call, String type) {
        String field = call.substring(0, call.indexOf('('));
        return (Map<String, Object>) Expected.norm(run("{ " + call + " { __typename " + FIELDS.get(type) + " } }")
                .path(field).entity(Map.class).get());
    }

    private List<String> queryFields() {
        return run("{ __schema { queryType { fields { name } } } }").path("__schema.queryType.fields[*].name").entityList(String.class).get();
    }

    /** The entry number of the entry created: widgets' tables show numbers, and inputs take them too. */
    private String create(String type, Map<String, Object> input) {
        return Long.toString(E2EClient.idNumber(run("mutation($in: " + type + "CreateInput!) { create" + type + "(input: $in) { id } }",
                Map.of("in", input)).path("create" + type + ".id").entity(String.class).get()));
    }

    private String createOrder(StoreData.Order o) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("orderNumber", o.number());
        input.put("customerId", o.customer() == null ? null : customerIds.get(o.customer()));
        input.put("orderDate", o.at().toString());
        input.put("totalAmount", o.total());
        input.put("status", enumName(o.status()));
        return create("Order", input);
    }

    private GraphQlTester tester() {
        return HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port + "/graphql").defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY)
                .responseTimeout(Duration.ofSeconds(60)).build());
    }

    private GraphQlTester.Response run(String document, Map<String, Object> variables) {
        GraphQlTester.Request<?> request = tester().document(document);
        variables.forEach(request::variable);
        GraphQlTester.Response response = request.execute();
        response.errors().verify();
        return response;
    }

    private GraphQlTester.Response run(String document) {
        return run(document, Map.of());
    }

    private static String enumName(String label) {
        return label.toUpperCase(Locale.ROOT).replace(' ', '_');
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folderWith(Path jar) {
        try {
            Path folder = TestFolders.create("crm-dashboard").resolve("plugins");
            Files.createDirectories(folder);
            Files.copy(jar, folder.resolve(jar.getFileName()));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
