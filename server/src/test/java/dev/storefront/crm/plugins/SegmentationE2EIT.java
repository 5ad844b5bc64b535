package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The segmentation plugin (the real jar through PF4J) on a database of its own, filled with crafted
 * customers whose boundary days are exactly 29/30/90/91/180/181. Every expected segment, move, R/F/M
 * score and group is worked out here from the orders the test wrote, independently of the plugin.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentationE2EIT {

    private static final Path DATABASE = dev.storefront.crm.e2e.E2ESupport.newDatabaseFile();
    private static final Path PLUGINS = segmentationPlugins();
    private static final LocalDate AS_OF = LocalDate.parse("2025-06-30");
    private static final ZoneId STORE = ZoneId.of("America/New_York");

    /** What the test wrote for one customer: counted orders (days before AS_OF, total) and refunds. */
    private record Crafted(String name, List<int[]> orders, int cancelled, int refunded) {
        long count() {
            return orders.size();
        }

        BigDecimal value() {
            return BigDecimal.valueOf(orders.stream().mapToInt(o -> o[1]).sum() - refunded);
        }

        Integer lastDays() {
            return orders.stream().map(o -> o[0]).min(Integer::compare).orElse(null);
        }

        Integer firstDays() {
            return orders.stream().map(o -> o[0]).max(Integer::compare).orElse(null);
        }
    }

    private static int[] o(int daysAgo, int total) {
        return new int[] {daysAgo, total};
    }

    private static final List<Crafted> CRAFTED = List.of(
            new Crafted("vip", List.of(o(100, 200), o(120, 150), o(130, 150), o(140, 100)), 0, 0),
            new Crafted("loyal-29", List.of(o(29, 125), o(40, 125), o(50, 125), o(60, 125)), 0, 0),
            new Crafted("risk-30", List.of(o(30, 50), o(60, 50)), 0, 0),
            new Crafted("first-30", List.of(o(30, 20)), 0, 0),
            new Crafted("first-31", List.of(o(31, 20)), 0, 0),
            new Crafted("new-29", List.of(o(29, 80)), 0, 0),
            new Crafted("risk-90", List.of(o(90, 70)), 0, 0),
            new Crafted("churn-91", List.of(o(91, 70)), 0, 0),
            new Crafted("none", List.of(), 0, 0),
            new Crafted("cancelled-only", List.of(), 1, 0),
            new Crafted("old-180", List.of(o(180, 40), o(181, 40)), 0, 0),
            new Crafted("lapsed-181", List.of(o(181, 30), o(200, 30)), 0, 0),
            new Crafted("tie-600", List.of(o(10, 300), o(12, 300)), 0, 0),
            new Crafted("refunded", List.of(o(15, 300), o(16, 300)), 1, 100),
            new Crafted("frequent", List.of(o(5, 10), o(6, 10), o(7, 10), o(8, 10), o(9, 10)), 0, 0));

    private final Map<String, String> ids = new LinkedHashMap<>();

    @LocalServerPort
    private int port;

    private HttpGraphQlTester graphQl;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", PLUGINS::toString);
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
        // Orders at 12:00 UTC fall on the same day in New York; the reclassify job's 07:00 is New York's.
        registry.add("crm.timezone", STORE::getId);
    }

    private GraphQlTester.Response run(String document) {
        return graphQl.document(document).execute();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path segmentationPlugins() {
        try {
            Path directory = TestFolders.create("crm-segmentation-plugins");
            Files.copy(TestPlugins.bundledJar("segmentation"), directory.resolve("segmentation.jar"));
            TestPlugins.build(directory, "move-listener", "org.pf4j.Plugin", List.of("test.moves.Moves", "test.moves.HeardMoves"), Map.of(
                    "test.moves.Moves", """
                    package test.moves;
                    import dev.storefront.crm.api.events.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class Moves implements EntryListener {
                        public static final List<String> HEARD = Collections.synchronizedList(new ArrayList<>());
                        public void onEntryEvent(EntryEvent e, dev.storefront.crm.api.PluginContext c) {
                            if (e.object().equals("segment_changes") && e.type() == EntryEvent.Type.CREATED) {
                                HEARD.add(e.after().get("customer") + " became " + e.after().get("to_segment"));
                            }
                        }
                    }
                    """,
                    "test.moves.HeardMoves", """
                    package test.moves;
                    import dev.storefront.crm.api.graphql.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class HeardMoves implements GraphQlContribution {
                        public String sdl() { return "extend type Query { heardMoves: [String!]! }"; }
                        public Map<String, GraphQlResolver> resolvers() {
                            return Map.of("Query.heardMoves", (a, c) -> new ArrayList<>(Moves.HEARD));
                        }
                    }
                    """));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    void writeCustomers() {
        graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY)
                .responseTimeout(java.time.Duration.ofSeconds(60)).build());
        for (Crafted crafted : CRAFTED) {
            String id = run("mutation { createCustomer(input: { fullName: \"" + crafted.name() + "\" }) { id } }")
                    .path("createCustomer.id").entity(String.class).get();
            ids.put(crafted.name(), id);
            int n = 0;
            for (int[] order : crafted.orders()) {
                String orderId = order(id, crafted.name() + "-" + n++, order[0], order[1], "DELIVERED");
                if (crafted.refunded() > 0 && n == 1) {
                    run("mutation { createReturn(input: { orderId: \"" + orderId + "\", customerId: \"" + id
                            + "\", resolution: REFUND, amount: " + crafted.refunded() + " }) { id } }");
                }
            }
            for (int i = 0; i < crafted.cancelled(); i++) {
                order(id, crafted.name() + "-x" + i, 3, 999, "CANCELLED");
            }
        }
    }

    private String order(String customer, String number, int daysAgo, int total, String status) {
        return run("mutation { createOrder(input: { orderNumber: \"" + number + "\", customerId: \"" + customer + "\", totalAmount: "
                + total + ", orderDate: \"" + AS_OF.minusDays(daysAgo) + "T12:00:00Z\", status: " + status + " }) { id } }")
                .path("createOrder.id").entity(String.class).get();
    }

    // ---- the rules, written out here from the definitions ----

    private static String recencyValue(Crafted c, int shift) {
        Integer d = c.lastDays() == null ? null : c.lastDays() + shift;
        Integer first = c.firstDays() == null ? null : c.firstDays() + shift;
        if (c.value().compareTo(BigDecimal.valueOf(500)) > 0 && c.count() > 3) {
            return "VIP";
        }
        if (d == null) {
            return null;
        }
        if (c.count() > 1 && d < 30) {
            return "Loyal";
        }
        if (d >= 30 && d <= 90) {
            return "At Risk";
        }
        if (d > 90) {
            return "Churned";
        }
        return first < 30 ? "New" : null;
    }

    /** PERCENTILE_DISC(0.90): the smallest value whose cumulative share of customers with a counted order reaches 90%. */
    private static BigDecimal p90() {
        List<BigDecimal> values = CRAFTED.stream().filter(c -> c.count() > 0).map(Crafted::value).sorted().toList();
        int index = (int) Math.ceil(0.90 * values.size()) - 1;
        return values.get(Math.max(0, index));
    }

    private static String lifecycle(Crafted c) {
        if (c.count() > 0 && c.value().compareTo(p90()) >= 0 || c.count() >= 5) {
            return "VIP";
        }
        if (c.lastDays() == null) {
            return null;
        }
        int d = c.lastDays();
        if (c.firstDays() <= 30) {
            return "New";
        }
        if (d <= 90 && c.count() >= 2) {
            return "Active";
        }
        if (c.count() >= 2 && d > 90 && d <= 180) {
            return "At Risk";
        }
        return d > 180 ? "Lapsed" : null;
    }

    /** Enum values come back in GraphQL form: At Risk → AT_RISK. */
    private static String gql(String label) {
        return label == null ? null : label.toUpperCase().replace(' ', '_');
    }

    private static Map<String, String> gql(Map<String, String> labels) {
        Map<String, String> values = new HashMap<>();
        labels.forEach((name, label) -> values.put(name, gql(label)));
        return values;
    }

    private Map<String, String> segments() {
        return byName("customerSegment");
    }

    /** One field of every customer, as text, by name. */
    private Map<String, String> byName(String field) {
        Map<String, String> byName = new HashMap<>();
        for (Object node : run("{ customers(first: 100) { nodes { fullName " + field + " } } }")
                .path("customers.nodes").entityList(Map.class).get()) {
            Map<?, ?> customer = (Map<?, ?>) node;
            byName.put((String) customer.get("fullName"), (String) customer.get(field));
        }
        return byName;
    }

    private Map<String, Object> reclassify(String ruleSet, LocalDate asOf) {
        return run("mutation { reclassifySegments(ruleSet: \"" + ruleSet + "\", asOf: \"" + asOf + "\") {"
                + " ruleSet asOf moved unmatched counts { segment customers } } }").path("reclassifySegments").entity(Map.class).get();
    }

    private static List<Map<String, Object>> counts(Map<String, String> expected) {
        Map<String, Integer> counts = new TreeMap<>();
        expected.values().stream().filter(s -> s != null).forEach(s -> counts.merge(s, 1, Integer::sum));
        List<Map<String, Object>> list = new ArrayList<>();
        counts.forEach((segment, n) -> list.add(Map.of("segment", segment, "customers", n)));
        return list;
    }

    private static Map<String, String> expected(java.util.function.Function<Crafted, String> rule) {
        Map<String, String> expected = new HashMap<>();
        CRAFTED.forEach(c -> expected.put(c.name(), rule.apply(c)));
        return expected;
    }

    @Test
    @Order(1)
    void recencyValueClassifiesEveryCustomerRecordsEachMoveAndRaisesEvents() {
        Map<String, String> expected = expected(c -> recencyValue(c, 0));
        long classified = expected.values().stream().filter(s -> s != null).count();
        Map<String, Object> run = reclassify("recency-value", AS_OF);
        assertThat(run).containsEntry("ruleSet", "recency-value").containsEntry("asOf", AS_OF.toString())
                .containsEntry("moved", (int) classified).containsEntry("unmatched", (int) (CRAFTED.size() - classified));
        assertThat(run.get("counts")).isEqualTo(counts(expected));
        assertThat(segments()).isEqualTo(gql(expected));
        // Spot checks of the boundaries, so a wrong rule cannot hide behind a wrong expectation.
        assertThat(expected).containsEntry("loyal-29", "Loyal").containsEntry("risk-30", "At Risk").containsEntry("risk-90", "At Risk")
                .containsEntry("churn-91", "Churned").containsEntry("new-29", "New").containsEntry("vip", "VIP")
                .containsEntry("refunded", "Loyal").containsEntry("none", null).containsEntry("cancelled-only", null);

        List<String> heard = awaitHeard((int) classified);
        List<String> became = new ArrayList<>();
        expected.forEach((name, segment) -> {
            if (segment != null) {
                became.add(dev.storefront.crm.e2e.E2EClient.idNumber(ids.get(name)) + " became " + segment);
            }
        });
        assertThat(heard).containsExactlyInAnyOrderElementsOf(became);

        // Nothing changed: nothing is recorded, and no customer is written (their versions stay).
        Map<String, String> versions = byName("updatedAt");
        assertThat(reclassify("recency-value", AS_OF)).containsEntry("moved", 0);
        assertThat(historyCount()).isEqualTo(classified);
        assertThat(byName("updatedAt")).isEqualTo(versions);

        // One day later the 29-day customers cross 30.
        Map<String, String> later = expected(c -> recencyValue(c, 1));
        Map<String, String> moved = new HashMap<>();
        later.forEach((name, segment) -> {
            if (!java.util.Objects.equals(segment, expected.get(name))) {
                moved.put(name, segment);
            }
        });
        assertThat(moved).containsEntry("loyal-29", "At Risk").containsEntry("new-29", "At Risk").containsEntry("risk-90", "Churned");
        assertThat(reclassify("recency-value", AS_OF.plusDays(1))).containsEntry("moved", moved.size());
        assertThat(segments()).isEqualTo(gql(later));
        assertThat(history("loyal-29")).containsExactly("null -> Loyal (recency-value)", "Loyal -> At Risk (recency-value)");
    }

    @Test
    @Order(2)
    void lifecycleUsesThePercentileWithTiesAndTheBoundaryDays() {
        Map<String, String> expected = expected(SegmentationE2EIT::lifecycle);
        assertThat(p90()).isEqualByComparingTo("600");
        assertThat(expected).containsEntry("vip", "VIP").containsEntry("tie-600", "VIP").containsEntry("frequent", "VIP")
                .containsEntry("first-30", "New").containsEntry("first-31", null).containsEntry("old-180", "At Risk")
                .containsEntry("lapsed-181", "Lapsed");
        Map<String, Object> run = reclassify("lifecycle", AS_OF);
        assertThat(run.get("counts")).isEqualTo(counts(expected));
        assertThat(run).containsEntry("unmatched", (int) expected.values().stream().filter(s -> s == null).count());
        assertThat(segments()).isEqualTo(gql(expected));
    }

    @Test
    @Order(3)
    void rfmScoresAndGroupsFollowTheShopifyFormula() {
        List<Crafted> scored = CRAFTED.stream().filter(c -> c.count() > 0).toList();
        int n = scored.size();
        Map<String, String> groups = new HashMap<>();
        Map<String, List<Integer>> scores = new HashMap<>();
        String[][] matrix = {
                {"Dormant", "Dormant", "Almost Lost", "Previously Loyal", "Previously Loyal"},
                {"Almost Lost", "Almost Lost", "At Risk", "At Risk", "Previously Loyal"},
                {"Needs Attention", "Needs Attention", "Needs Attention", "Loyal", "Loyal"},
                {"Promising", "Promising", "Active", "Loyal", "Champions"},
                {"New", "Promising", "Active", "Champions", "Champions"}};
        for (Crafted c : scored) {
            long rRank = 1 + scored.stream().filter(x -> x.lastDays() > c.lastDays()).count();
            long fRank = 1 + scored.stream().filter(x -> x.count() < c.count()).count();
            long mRank = 1 + scored.stream().filter(x -> x.value().compareTo(c.value()) < 0).count();
            int r = (int) (1 + 5 * (rRank - 1) / n);
            int f = (int) (1 + 5 * (fRank - 1) / n);
            int m = (int) (1 + 5 * (mRank - 1) / n);
            scores.put(c.name(), List.of(r, f, m));
            groups.put(c.name(), matrix[r - 1][(f + m + 1) / 2 - 1]);
        }
        CRAFTED.stream().filter(c -> c.count() == 0).forEach(c -> groups.put(c.name(), "Prospects"));

        run("mutation { scoreRfm(asOf: \"" + AS_OF + "\") { changed } }").path("scoreRfm.changed").entity(Integer.class)
                .isEqualTo(CRAFTED.size());
        Map<String, String> actualGroups = new HashMap<>();
        Map<String, List<Integer>> actualScores = new HashMap<>();
        for (Object node : run("{ customers(first: 100) { nodes { fullName rScore fScore mScore rfmGroup } } }")
                .path("customers.nodes").entityList(Map.class).get()) {
            Map<?, ?> customer = (Map<?, ?>) node;
            String name = (String) customer.get("fullName");
            actualGroups.put(name, (String) customer.get("rfmGroup"));
            if (customer.get("rScore") != null) {
                actualScores.put(name, List.of((Integer) customer.get("rScore"), (Integer) customer.get("fScore"),
                        (Integer) customer.get("mScore")));
            }
        }
        assertThat(actualScores).isEqualTo(scores);
        assertThat(actualGroups).isEqualTo(gql(groups));
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void segmentCustomersPagesFiltersAndSortsLikeCustomers() {
        // The lifecycle classification of test 2 is the stored one (RFM scoring leaves segments alone).
        Map<String, String> lifecycle = expected(SegmentationE2EIT::lifecycle);
        List<String> vips = CRAFTED.stream().filter(c -> "VIP".equals(lifecycle.get(c.name())))
                .sorted(java.util.Comparator.comparing(Crafted::value).reversed()
                        .thenComparing(c -> E2EClient.idNumber(ids.get(c.name())))).map(Crafted::name).toList();
        assertThat(vips).containsExactly("vip", "tie-600", "frequent");
        String page = "segmentCustomers(segment: \"VIP\", ruleSet: \"lifecycle\", first: 2, orderBy: [{field: LIFETIME_VALUE, direction: DESC}]%s)"
                + " { __typename totalCount nodes { fullName } pageInfo { hasNextPage endCursor } }";
        Map<String, Object> first = run("{ " + page.formatted("") + " }").path("segmentCustomers").entity(Map.class).get();
        assertThat(first).containsEntry("__typename", "CustomerConnection").containsEntry("totalCount", vips.size());
        assertThat((List<Map<String, Object>>) first.get("nodes")).extracting(n -> n.get("fullName")).containsExactlyElementsOf(vips.subList(0, 2));
        Map<String, Object> pageInfo = (Map<String, Object>) first.get("pageInfo");
        assertThat(pageInfo).containsEntry("hasNextPage", true);
        Map<String, Object> second = run("{ " + page.formatted(", after: \"" + pageInfo.get("endCursor") + "\"") + " }")
                .path("segmentCustomers").entity(Map.class).get();
        assertThat((List<Map<String, Object>>) second.get("nodes")).extracting(n -> n.get("fullName")).containsExactlyElementsOf(vips.subList(2, 3));
        // The caller's where narrows the segment further: VIPs with five orders or more.
        List<String> frequentVips = CRAFTED.stream().filter(c -> vips.contains(c.name()) && c.count() >= 5).map(Crafted::name).toList();
        assertThat(run("{ segmentCustomers(segment: \"VIP\", ruleSet: \"lifecycle\", where: {totalOrders: {gte: 5}}) { nodes { fullName } } }")
                .path("segmentCustomers.nodes[*].fullName").entityList(String.class).get()).containsExactlyElementsOf(frequentVips);
        // A cursor of the segment's list is refused on the whole customer list.
        assertThat(graphQl.document("{ customers(after: \"" + pageInfo.get("endCursor") + "\") { totalCount } }").execute()
                .errors().satisfy(errors -> assertThat(errors).hasSize(1)));

        var unknown = graphQl.document("{ segmentCustomers(segment: \"Champions\", ruleSet: \"lifecycle\") { totalCount } }").execute();
        unknown.errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                .isEqualTo("segment: rule set lifecycle has no segment 'Champions'; its segments: VIP, New, Active, At Risk, Lapsed")));
    }

    @Test
    @Order(5)
    void aSegmentExportsItsDefaultColumnsOrTheFieldsAskedFor() throws Exception {
        Map<String, String> lifecycle = expected(SegmentationE2EIT::lifecycle);
        List<Crafted> atRisk = CRAFTED.stream().filter(c -> "At Risk".equals(lifecycle.get(c.name()))).toList();
        assertThat(atRisk).extracting(Crafted::name).containsExactly("old-180");
        StringBuilder expected = new StringBuilder("Full Name,Email,Last Purchase Date,Lifetime Value\r\n");
        atRisk.forEach(c -> expected.append(c.name()).append(",,").append(AS_OF.minusDays(c.lastDays())).append(',')
                .append(c.value().setScale(2).toPlainString()).append("\r\n"));
        assertThat(export("?list=segmentCustomers&ruleSet=lifecycle&segment=At%20Risk")).isEqualTo(expected.toString());

        List<Crafted> vips = CRAFTED.stream().filter(c -> "VIP".equals(lifecycle.get(c.name()))).toList();
        StringBuilder chosen = new StringBuilder("Full Name,Total Orders\r\n");
        vips.forEach(c -> chosen.append(c.name()).append(',').append(c.count()).append("\r\n"));
        assertThat(export("?list=segmentCustomers&ruleSet=lifecycle&segment=VIP&fields=fullName,totalOrders")).isEqualTo(chosen.toString());

        java.net.http.HttpResponse<String> bad = get("/export/customers.csv?list=segmentCustomers&ruleSet=lifecycle&segment=Gold");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("segment: rule set lifecycle has no segment 'Gold'; its segments: VIP, New, Active, At Risk, Lapsed");
    }

    @Test
    @Order(6)
    void theReclassifyJobRunsDailyAtSevenInTheStoreTimeZone() {
        Map<String, Object> job = run("{ pluginJobs { plugin name schedule nextRunAt } }").path("pluginJobs").entityList(Map.class).get()
                .stream().map(j -> (Map<String, Object>) j).filter(j -> "reclassify".equals(j.get("name"))).findFirst().orElseThrow();
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(STORE);
        java.time.ZonedDateTime seven = now.toLocalDate().atTime(7, 0).atZone(STORE);
        java.time.ZonedDateTime next = seven.isAfter(now) ? seven : now.toLocalDate().plusDays(1).atTime(7, 0).atZone(STORE);
        assertThat(job).containsEntry("plugin", "segmentation").containsEntry("schedule", "0 0 7 * * *");
        assertThat(java.time.OffsetDateTime.parse((String) job.get("nextRunAt")).toInstant()).isEqualTo(next.toInstant());
    }

    private String export(String query) throws Exception {
        java.net.http.HttpResponse<String> response = get("/export/customers.csv" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(E2EClient.authorized(java.net.URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private List<String> awaitHeard(int count) {
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> heard;
        do {
            sleep(50);
            heard = run("{ heardMoves }").path("heardMoves").entityList(String.class).get();
        } while (heard.size() < count && System.currentTimeMillis() < deadline);
        return heard;
    }

    private long historyCount() {
        return run("{ segmentChanges { totalCount } }").path("segmentChanges.totalCount").entity(Long.class).get();
    }

    private List<String> history(String name) {
        List<String> moves = new ArrayList<>();
        for (Object node : run("{ customer(id: \"" + ids.get(name) + "\") { segmentChanges {"
                + " nodes { fromSegment toSegment ruleSet } } } }").path("customer.segmentChanges.nodes").entityList(Map.class).get()) {
            Map<?, ?> change = (Map<?, ?>) node;
            moves.add(change.get("fromSegment") + " -> " + change.get("toSegment") + " (" + change.get("ruleSet") + ")");
        }
        return moves;
    }
}
