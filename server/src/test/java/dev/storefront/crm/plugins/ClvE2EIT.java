package dev.storefront.crm.plugins;

import static dev.storefront.crm.plugins.ClvReference.alive;
import static dev.storefront.crm.plugins.ClvReference.assertSpendTiers;
import static dev.storefront.crm.plugins.ClvReference.expectedOrders;
import static dev.storefront.crm.plugins.ClvReference.number;
import static dev.storefront.crm.plugins.ClvReference.runJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.E2ESupport;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The CLV plugin end to end: the real server with the plugin jar from {@code plugins-dist/} loaded by
 * PF4J, its own database, and the CDNOW sample imported as customers and orders through GraphQL. The
 * fit as of 1997-09-30 must reproduce the published estimates; every score is checked against the
 * formulas evaluated here from the model the server reports and the purchase history read here from
 * the file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClvE2EIT {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    private static final String MODEL = "status message r alpha a b p q v logLikelihood spendLogLikelihood customers repeatBuyers asOf fittedAt converged";
    private static final String SCORES = "id probabilityAlive churnProbability expectedOrders90Days expectedOrders365Days expectedOrderValue "
            + "predictedClv365Days averageDaysBetweenOrders expectedNextOrderDate predictedSpendTier lifetimeValue";

    /** CDNOW customer number → purchase day → value of that day, read here from the fixture. */
    private final Map<Integer, TreeMap<LocalDate, BigDecimal>> purchases = new TreeMap<>();
    /** CDNOW customer number → CRM id. */
    private final Map<Integer, String> ids = new LinkedHashMap<>();
    private String withoutOrders;

    @LocalServerPort
    private int port;
    private HttpGraphQlTester graphQl;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("clv"));
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        registry.add("crm.rate-limit.requests-per-second", () -> "1000000");
        registry.add("crm.rate-limit.burst", () -> "1000000");
    }

    @BeforeAll
    void importCdnow() throws IOException {
        graphQl = HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + E2EClient.ADMIN_KEY)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).responseTimeout(Duration.ofSeconds(120)).build());
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.file("clv/CDNOW_sample.txt"))) {
            String[] f = line.trim().split("\\s+");
            lines.add(f);
            purchases.computeIfAbsent(Integer.parseInt(f[1]), k -> new TreeMap<>())
                    .merge(LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE), new BigDecimal(f[4]), BigDecimal::add);
        }
        List<Map<String, Object>> customers = new ArrayList<>();
        purchases.keySet().forEach(n -> customers.add(Map.of("fullName", "CDNOW " + n, "email", "cdnow-" + n + "@example.com")));
        customers.add(Map.of("fullName", "Never Ordered", "email", "never@example.com"));
        List<String> created = run("mutation($inputs: [CustomerCreateInput!]!) { createCustomers(inputs: $inputs) { id } }",
                Map.of("inputs", customers)).path("createCustomers[*].id").entityList(String.class).get();
        int i = 0;
        for (Integer n : purchases.keySet()) {
            ids.put(n, created.get(i++));
        }
        withoutOrders = created.get(i);
        List<Map<String, Object>> orders = new ArrayList<>();
        for (String[] f : lines) {
            LocalDate day = LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE);
            orders.add(Map.of("orderNumber", "CD-" + (orders.size() + 1), "customerId", ids.get(Integer.parseInt(f[1])),
                    "orderDate", day + "T12:00:00Z", "totalAmount", new BigDecimal(f[4]), "status", "DELIVERED"));
        }
        // Cancelled orders are not counted: one for customer 1 on a day it did not buy changes none of its figures.
        orders.add(Map.of("orderNumber", "CD-CANCELLED", "customerId", ids.get(1), "orderDate", "1997-09-15T12:00:00Z",
                "totalAmount", new BigDecimal("999.00"), "status", "CANCELLED"));
        run("mutation($inputs: [OrderCreateInput!]!) { createOrders(inputs: $inputs) { id } }", Map.of("inputs", orders))
                .path("createOrders").entityList(Object.class).hasSize(lines.size() + 1);
    }

    @Test
    void fitAsOfTheCalibrationEndReproducesThePublishedEstimates() {
        Map<String, Object> model = fit(CALIBRATION_END);
        assertThat(model).containsEntry("status", "FITTED").containsEntry("converged", true).containsEntry("message", null)
                .containsEntry("customers", 2357).containsEntry("repeatBuyers", 946).containsEntry("asOf", "1997-09-30");
        // The fixture's README (BG/NBD, to 3 significant digits; log-likelihood to 0.1) and the lifetimes
        // quickstart (Gamma-Gamma on the 946 repeat buyers: p 6.25, q 3.74, v 15.45).
        assertThat(number(model, "r")).isCloseTo(0.2426, within(0.0005));
        assertThat(number(model, "alpha")).isCloseTo(4.4135, within(0.005));
        assertThat(number(model, "a")).isCloseTo(0.7929, within(0.0005));
        assertThat(number(model, "b")).isCloseTo(2.4258, within(0.005));
        assertThat(number(model, "logLikelihood")).isCloseTo(-9582.43, within(0.1));
        assertThat(number(model, "p")).isCloseTo(6.25, within(0.005));
        assertThat(number(model, "q")).isCloseTo(3.74, within(0.005));
        assertThat(number(model, "v")).isCloseTo(15.45, within(0.05));
        assertThat(run("{ clvModel { " + MODEL + " } }").path("clvModel").entity(Map.class).get()).isEqualTo(model);
    }

    @Test
    void everyScoreFollowsTheFormulasOfTheReportedModel() {
        Map<String, Object> model = fit(CALIBRATION_END);
        Map<String, Map<String, Object>> scores = scores();
        for (int n : new int[] {1, 2, 3, 157, 1516}) {
            TreeMap<LocalDate, BigDecimal> days = new TreeMap<>(purchases.get(n).headMap(CALIBRATION_END, true));
            Map<String, Object> c = scores.get(ids.get(n));
            int x = days.size() - 1;
            double tx = weeks(days.firstKey(), days.lastKey());
            double t = weeks(days.firstKey(), CALIBRATION_END);
            double alive = alive(model, x, tx, t);
            double orders90 = expectedOrders(model, 90 / 7.0, x, tx, t);
            double orders365 = expectedOrders(model, 365 / 7.0, x, tx, t);
            double m = x == 0 ? 0 : days.values().stream().skip(1).reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue() / x;
            double value = number(model, "p") * (number(model, "v") + x * m) / (number(model, "p") * x + number(model, "q") - 1);
            assertThat(number(c, "probabilityAlive")).as("customer %s", n).isCloseTo(alive, within(0.00005));
            assertThat(number(c, "churnProbability")).as("customer %s", n).isCloseTo(1 - alive, within(0.00005));
            assertThat(number(c, "expectedOrders90Days")).as("customer %s", n).isCloseTo(orders90, within(0.00005));
            assertThat(number(c, "expectedOrders365Days")).as("customer %s", n).isCloseTo(orders365, within(0.00005));
            assertThat(number(c, "expectedOrderValue")).as("customer %s", n).isCloseTo(value, within(0.00005));
            assertThat(number(c, "predictedClv365Days")).as("customer %s", n).isCloseTo(orders365 * value, within(0.00005));
            if (x == 0) {
                assertThat(c.get("averageDaysBetweenOrders")).as("customer %s", n).isNull();
                assertThat(c.get("expectedNextOrderDate")).as("customer %s", n).isNull();
            } else {
                double gap = ChronoUnit.DAYS.between(days.firstKey(), days.lastKey()) / (double) x;
                assertThat(number(c, "averageDaysBetweenOrders")).as("customer %s", n).isCloseTo(gap, within(0.00005));
                assertThat(c.get("expectedNextOrderDate")).as("customer %s", n).isEqualTo(days.lastKey().plusDays(Math.round(gap)).toString());
            }
        }
        // Customer 1 (x = 2, t_x = 30.43, T = 38.86, the published example): the cancelled order changed nothing.
        assertThat(number(scores.get(ids.get(1)), "averageDaysBetweenOrders")).isEqualTo(106.5);
        assertThat(scores.get(ids.get(1))).containsEntry("expectedNextOrderDate", "1997-11-17");
        assertThat(scores.get(withoutOrders)).containsEntry("probabilityAlive", null).containsEntry("predictedClv365Days", null)
                .containsEntry("predictedSpendTier", null);
        List<Map<String, Object>> scored = scores.values().stream().filter(c -> c.get("predictedClv365Days") != null).toList();
        assertThat(scored).hasSize(2357);
        assertSpendTiers(scored);
    }

    @Test
    void aCustomerWhoStopsBuyingLooksLessAliveAsTheDailyScoringMovesOn() {
        Map<String, Object> model = fit(CALIBRATION_END);
        // The first customer with two repeat purchases in the calibration period and none after it.
        int n = purchases.entrySet().stream().filter(e -> e.getValue().headMap(CALIBRATION_END, true).size() == 3
                && e.getValue().tailMap(CALIBRATION_END, false).isEmpty()).findFirst().orElseThrow().getKey();
        TreeMap<LocalDate, BigDecimal> days = purchases.get(n);
        double previous = 1;
        for (LocalDate asOf : List.of(CALIBRATION_END, LocalDate.of(1997, 12, 31), LocalDate.of(1998, 6, 30))) {
            Map<String, Object> job = runJob(graphQl, "score-customers", "{\"asOf\": \"" + asOf + "\"}");
            assertThat(job).containsEntry("state", "SUCCEEDED");
            assertThat((String) job.get("message")).startsWith("Scored with the fit as of 1997-09-30");
            double expected = alive(model, 2, weeks(days.firstKey(), days.lastKey()), weeks(days.firstKey(), asOf));
            double stored = number(scores().get(ids.get(n)), "probabilityAlive");
            assertThat(stored).as("as of %s", asOf).isCloseTo(expected, within(0.00005)).isLessThan(previous);
            previous = stored;
        }
    }

    @Test
    void tooLittleDataIsAStatusAndEmptiesTheScores() {
        LocalDate early = LocalDate.of(1997, 1, 10);
        long customers = purchases.values().stream().filter(d -> !d.firstKey().isAfter(early)).count();
        long repeat = purchases.values().stream().filter(d -> d.headMap(early, true).size() > 1).count();
        Map<String, Object> model = fit(early);
        assertThat(model).containsEntry("status", "TOO_LITTLE_DATA").containsEntry("converged", false)
                .containsEntry("r", null).containsEntry("logLikelihood", null)
                .containsEntry("customers", (int) customers).containsEntry("repeatBuyers", (int) repeat)
                .containsEntry("message", "Too little data as of 1997-01-10: " + customers + " customers with orders (at least 500 needed) and "
                        + repeat + " who ordered again on a later day (at least 100 needed)");
        assertThat(scores().values()).allSatisfy(c -> assertThat(c).containsEntry("probabilityAlive", null)
                .containsEntry("expectedOrders365Days", null).containsEntry("predictedSpendTier", null));
        fit(CALIBRATION_END);
    }

    @Test
    void scoresFilterLikeAnyOtherField() {
        fit(CALIBRATION_END);
        Map<String, Map<String, Object>> scores = scores();
        for (String[] filter : new String[][] {{"lifetimeValue", "500"}, {"predictedClv365Days", "5"}, {"expectedOrders365Days", "0.1"}}) {
            double bound = Double.parseDouble(filter[1]);
            List<String> expected = scores.values().stream().filter(c -> c.get("churnProbability") != null
                    && number(c, "churnProbability") > 0.7 && c.get(filter[0]) != null && number(c, filter[0]) > bound)
                    .map(c -> (String) c.get("id")).sorted().toList();
            List<String> found = run("{ customers(first: 1000, where: { churnProbability: { gt: 0.7 }, " + filter[0] + ": { gt: " + filter[1]
                    + " } }) { nodes { id } } }").path("customers.nodes[*].id").entityList(String.class).get();
            assertThat(found.stream().sorted().toList()).as("churnProbability > 0.7 and %s > %s", filter[0], filter[1]).isEqualTo(expected);
        }
    }

    @Test
    void aDateThatIsNoDateIsRefusedByName() {
        run("mutation { fitClvModel(asOf: \"1997-13-45\") { model { status } } }").errors().satisfy(errors -> {
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).getMessage()).isEqualTo("asOf: \"1997-13-45\" is not a date; write it as 2025-03-31");
        });
    }

    private Map<String, Object> fit(LocalDate asOf) {
        @SuppressWarnings("unchecked")
        Map<String, Object> model = run("mutation($asOf: Date) { fitClvModel(asOf: $asOf) { model { " + MODEL + " } } }",
                Map.of("asOf", asOf.toString())).path("fitClvModel.model").entity(Map.class).get();
        return model;
    }

    /** Every customer's scores by id. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> scores() {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        String after = null;
        do {
            Map<String, Object> page = run("query($after: String) { customers(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } nodes { "
                    + SCORES + " } } }", after == null ? Map.of() : Map.of("after", after)).path("customers").entity(Map.class).get();
            ((List<Map<String, Object>>) page.get("nodes")).forEach(c -> byId.put((String) c.get("id"), c));
            Map<String, Object> info = (Map<String, Object>) page.get("pageInfo");
            after = Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
        } while (after != null);
        return byId;
    }

    private GraphQlTester.Response run(String document, Map<String, Object> variables) {
        GraphQlTester.Request<?> request = graphQl.document(document);
        variables.forEach(request::variable);
        return request.execute();
    }

    private GraphQlTester.Response run(String document) {
        return run(document, Map.of());
    }

    private static double weeks(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / 7.0;
    }
}
