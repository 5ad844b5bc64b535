package dev.storefront.crm.plugins;

import static dev.storefront.crm.plugins.ClvReference.alive;
import static dev.storefront.crm.plugins.ClvReference.assertSpendTiers;
import static dev.storefront.crm.plugins.ClvReference.expectedOrders;
import static dev.storefront.crm.plugins.ClvReference.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.storefront.crm.e2e.E2ESupport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CLV plugin on a store that is not CDNOW: a generated store in New York (daylight saving, days
 * that begin at 04:00 or 05:00 UTC) with the orders real stores have: refunded, pending and
 * status-less orders (counted), cancelled ones (not), orders without a total, a credit note with a
 * negative total, two orders on one day, orders after the as-of date, orders without a customer, a
 * first order on the as-of date and a customer with 200 repeat purchase days. Its size crosses the
 * too-little-data thresholds exactly (499 then 500 customers, 99 then 100 repeat buyers). Every score
 * of every customer is checked against the formulas evaluated here from the purchase histories this
 * test wrote and the model the server reports. The steps run in order: each builds on the store the
 * last one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClvStoreE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
    private static final String MODEL = "status message r alpha a b p q v customers repeatBuyers asOf converged";
    private static final String SCORES = "id probabilityAlive churnProbability expectedOrders90Days expectedOrders365Days expectedOrderValue "
            + "predictedClv365Days averageDaysBetweenOrders expectedNextOrderDate predictedSpendTier";
    private static final String NOT_FITTED = "No CLV model has been fitted yet: run fitClvModel or the fit-model job first";

    /**
     * The orders of the customers with the orders real stores have: customer | days before the as-of
     * date (negative: after it) | New York time | total (empty: none) | status (empty: none). Besides
     * these, the Heavy Buyer orders every day from 300 to 100 days before: 200 repeat purchase days.
     */
    private static final String[] SPECIAL_ORDERS = {
            "Refunded And Pending        | 100 | 11:00 | 40.00  | REFUNDED",
            "Refunded And Pending        |  60 | 11:00 | 60.00  | PENDING",
            "No Status                   |  90 | 09:30 | 30.00  |",
            "No Status                   |  30 | 09:30 | 50.00  |",
            "Missing Totals              | 120 | 14:00 | 80.00  | DELIVERED",
            "Missing Totals              |  80 | 14:00 |        | DELIVERED",
            "Missing Totals              |  40 | 14:00 |        | DELIVERED",
            "Credit Note                 | 150 | 10:00 | 100.00 | DELIVERED",
            "Credit Note                 |  75 | 10:00 | -30.00 | DELIVERED",
            // Two orders on each of two days: two purchase days of 35.00 and 22.50.
            "Same Day Twice              | 200 | 00:05 | 20.00  | DELIVERED",
            "Same Day Twice              | 200 | 23:55 | 15.00  | DELIVERED",
            "Same Day Twice              | 100 | 09:00 | 10.00  | DELIVERED",
            "Same Day Twice              | 100 | 18:00 | 12.50  | DELIVERED",
            "Ordered On The As-Of Day    |   0 | 08:00 | 55.00  | PENDING",
            "Last Order On The As-Of Day |  50 | 12:00 | 70.00  | DELIVERED",
            "Last Order On The As-Of Day |   0 | 23:30 | 90.00  | DELIVERED",
            "Also After The As-Of Day    |  20 | 12:00 | 45.00  | DELIVERED",
            "Also After The As-Of Day    |  -5 | 12:00 | 45.00  | DELIVERED",
            // 23:59 on one New York day and 00:01 on the next: two purchase days two minutes apart.
            "Around Midnight             |  11 | 23:59 | 25.00  | DELIVERED",
            "Around Midnight             |  10 | 00:01 | 35.00  | DELIVERED",
            "Cancelled Repeat            |  70 | 12:00 | 25.00  | DELIVERED",
            "Cancelled Repeat            |  35 | 12:00 | 500.00 | CANCELLED",
            "Cancelled Only              |  10 | 12:00 | 80.00  | CANCELLED",
            "Future Only                 |  -3 | 12:00 | 80.00  | DELIVERED",
    };

    /** An order as this test wrote it: null customer for a guest order, null status and total where left empty. */
    private record Placed(String customerId, ZonedDateTime at, BigDecimal total, String status) {
    }

    private final List<Placed> placed = new ArrayList<>();
    private final List<String> customerIds = new ArrayList<>();
    /** The customer whose orders cross the thresholds: none, then one, then a repeat purchase. */
    private String lastCustomer;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.timezone", ZONE::getId);
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("clv"));
        // Schedules that cannot fire while the test runs (the defaults could rescore its customers mid-way).
        registry.add("crm.plugins.clv.jobs.fit-model.cron", () -> "0 0 3 29 2 MON");
        registry.add("crm.plugins.clv.jobs.score-customers.cron", () -> "0 30 4 29 2 MON");
    }

    @Test
    @Order(1)
    void beforeAnyFitTheModelIsAStatusAndScoringSaysWhy() {
        Map<String, Object> model = map(run("{ clvModel { " + MODEL + " fittedAt } }").path("clvModel"));
        Map<String, Object> expected = new HashMap<>();
        for (String field : (MODEL + " fittedAt").split(" ")) {
            expected.put(field, null);
        }
        expected.putAll(Map.of("status", "NOT_FITTED", "message", NOT_FITTED, "converged", false));
        assertThat(model).isEqualTo(expected);
        assertThat(runJob("score-customers", "{}")).containsEntry("state", "FAILED").containsEntry("message", NOT_FITTED);
    }

    @Test
    @Order(2)
    void jobsShowTheirSchedulesInTheStoresTimeZone() {
        Map<String, Map<String, Object>> clv = new LinkedHashMap<>();
        maps(run("{ pluginJobs { plugin name schedule nextRunAt } }").path("pluginJobs")).stream()
                .filter(j -> "clv".equals(j.get("plugin"))).forEach(j -> clv.put((String) j.get("name"), j));
        assertThat(clv.keySet()).containsExactlyInAnyOrder("fit-model", "score-customers");
        assertThat(clv.get("fit-model")).containsEntry("schedule", "0 0 3 29 2 MON");
        assertThat(clv.get("score-customers")).containsEntry("schedule", "0 30 4 29 2 MON");
        // The next February 29 that is a Monday, at 03:00 and 04:30 in New York.
        LocalDate day = LocalDate.now(ZONE);
        while (!(day.getMonthValue() == 2 && day.getDayOfMonth() == 29 && day.getDayOfWeek() == DayOfWeek.MONDAY)) {
            day = day.plusDays(1);
        }
        assertThat(OffsetDateTime.parse((String) clv.get("fit-model").get("nextRunAt")).toInstant())
                .isEqualTo(day.atTime(3, 0).atZone(ZONE).toInstant());
        assertThat(OffsetDateTime.parse((String) clv.get("score-customers").get("nextRunAt")).toInstant())
                .isEqualTo(day.atTime(4, 30).atZone(ZONE).toInstant());
    }

    @Test
    @Order(3)
    void with499CustomersAnd99RepeatBuyersThereIsTooLittleData() {
        createStore();
        assertTooLittleData(499, 99);
    }

    @Test
    @Order(4)
    void the500thCustomerIsEnoughCustomersButNotEnoughRepeatBuyers() {
        addOrder(lastCustomer, AS_OF.minusDays(45), "64.00");
        assertTooLittleData(500, 99);
    }

    @Test
    @Order(5)
    void the100thRepeatBuyerFitsAndEveryCustomerIsScoredByTheFormulas() {
        addOrder(lastCustomer, AS_OF.minusDays(15), "36.00");
        Map<String, Object> model = fit(AS_OF);
        assertThat(model).containsEntry("status", "FITTED").containsEntry("converged", true)
                .containsEntry("customers", 500).containsEntry("repeatBuyers", 100).containsEntry("asOf", AS_OF.toString());
        Map<String, Map<String, Object>> scores = scores();
        assertScores(model, AS_OF, scores);
        assertThat(scores.get(lastCustomer).get("probabilityAlive")).isNotNull();
    }

    @Test
    @Order(6)
    void scoresFilterAndSortLikeAnyOtherField() {
        Map<String, Object> model = fit(AS_OF);
        assertThat(model).containsEntry("status", "FITTED");
        Map<String, Map<String, Object>> scores = scores();
        List<String> churning = scores.values().stream().filter(c -> c.get("churnProbability") != null
                && number(c, "churnProbability") > 0.7 && number(c, "predictedClv365Days") > 1)
                .sorted((p, q) -> Double.compare(number(q, "predictedClv365Days"), number(p, "predictedClv365Days")))
                .map(c -> (String) c.get("id")).toList();
        assertThat(run("{ customers(first: 1000, where: { churnProbability: { gt: 0.7 }, predictedClv365Days: { gt: 1 } },"
                + " orderBy: [{ field: PREDICTED_CLV_365_DAYS, direction: DESC }, { field: ID, direction: ASC }]) { nodes { id } } }")
                .path("customers.nodes[*].id").entityList(String.class).get()).isEqualTo(churning);
        List<String> high = scores.values().stream().filter(c -> "HIGH".equals(c.get("predictedSpendTier")))
                .map(c -> (String) c.get("id")).sorted().toList();
        assertThat(run("{ customers(first: 1000, where: { predictedSpendTier: { eq: HIGH } }) { nodes { id } } }")
                .path("customers.nodes[*].id").entityList(String.class).get().stream().sorted().toList()).isEqualTo(high);
    }

    @Test
    @Order(7)
    void aFitThatFailsEmptiesEveryScoreAndTheJobsTakeAsOf() {
        Map<String, Object> before = fit(AS_OF.minusYears(3));
        assertThat(before).containsEntry("status", "TOO_LITTLE_DATA").containsEntry("customers", 0).containsEntry("repeatBuyers", 0);
        assertThat(scores().values()).allSatisfy(c -> assertThat(c).containsEntry("probabilityAlive", null)
                .containsEntry("expectedOrderValue", null).containsEntry("predictedSpendTier", null));
        Map<String, Object> job = runJob("fit-model", "{\"asOf\": \"" + AS_OF + "\"}");
        assertThat(job).containsEntry("state", "SUCCEEDED");
        assertThat((String) job.get("message")).startsWith("Scored with the fit as of " + AS_OF + "; ");
        assertScores(map(run("{ clvModel { " + MODEL + " } }").path("clvModel")), AS_OF, scores());
        assertThat(runJob("fit-model", "{\"asOf\": \"June 30\"}")).containsEntry("state", "FAILED")
                .containsEntry("message", "asOf: \"June 30\" is not a date; write it as 2025-03-31");
    }

    @Test
    @Order(8)
    void anAsOfDateInTheFutureCountsTheLaterOrdersAndLongerSilences() {
        LocalDate later = AS_OF.plusMonths(6);
        Map<String, Object> model = fit(later);
        assertThat(model).containsEntry("status", "FITTED").containsEntry("customers", 501).containsEntry("repeatBuyers", 101);
        assertScores(model, later, scores());
    }

    /**
     * 499 customers with counted orders as of {@link #AS_OF}, 99 of them repeat buyers: 397 who ordered
     * once and 91 who came back (generated), and 11 with the orders real stores have; besides them
     * customers without counted orders and guest orders, which count nowhere.
     */
    private void createStore() {
        Random random = new Random(13);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 397 + 91; i++) {
            names.add("Generated " + i);
        }
        List<String> specials = List.of("Refunded And Pending", "No Status", "Missing Totals", "Credit Note", "Same Day Twice",
                "Ordered On The As-Of Day", "Last Order On The As-Of Day", "Heavy Buyer", "Also After The As-Of Day", "Around Midnight",
                "Cancelled Repeat", "Cancelled Only", "Future Only", "No Orders", "The 500th");
        names.addAll(specials);
        List<Map<String, Object>> inputs = names.stream().map(n -> Map.<String, Object>of("fullName", n)).toList();
        customerIds.addAll(run("mutation($inputs: [CustomerCreateInput!]!) { createCustomers(inputs: $inputs) { id } }", Map.of("inputs", inputs))
                .path("createCustomers[*].id").entityList(String.class).get());
        for (int i = 0; i < 397; i++) {
            place(customerIds.get(i), AS_OF.minusDays(1 + random.nextInt(365)), random, money(random, 20 + random.nextInt(150)), "DELIVERED");
        }
        for (int i = 397; i < 397 + 91; i++) {
            // Each keeps their own spend level and rhythm, and may stop after any purchase.
            int level = 15 + random.nextInt(200);
            int rhythm = 7 + random.nextInt(60);
            LocalDate day = AS_OF.minusDays(120 + random.nextInt(240));
            place(customerIds.get(i), day, random, money(random, level), "SHIPPED");
            do {
                day = day.plusDays(1 + random.nextInt(2 * rhythm));
                place(customerIds.get(i), day.isAfter(AS_OF) ? AS_OF : day, random, money(random, level), "DELIVERED");
            } while (!day.isAfter(AS_OF.minusDays(1)) && random.nextInt(4) > 0);
        }
        Map<String, String> special = new LinkedHashMap<>();
        for (int i = 0; i < specials.size(); i++) {
            special.put(specials.get(i), customerIds.get(397 + 91 + i));
        }
        for (String row : SPECIAL_ORDERS) {
            String[] f = row.split("\\|", -1);
            LocalDate day = AS_OF.minusDays(Long.parseLong(f[1].strip()));
            LocalTime time = LocalTime.parse(f[2].strip());
            place(special.get(f[0].strip()), at(day, time.getHour(), time.getMinute()), f[3].isBlank() ? null : f[3].strip(),
                    f[4].isBlank() ? null : f[4].strip());
        }
        for (int d = 300; d >= 100; d--) {
            place(special.get("Heavy Buyer"), at(AS_OF.minusDays(d), 12, 0), "12.00", "DELIVERED");
        }
        for (int i = 0; i < 3; i++) {
            place(null, at(AS_OF.minusDays(5 + i), 12, 0), "99.00", "DELIVERED");
        }
        lastCustomer = special.get("The 500th");
        List<Map<String, Object>> orders = new ArrayList<>();
        for (Placed p : placed) {
            orders.add(orderInput(p, orders.size()));
        }
        run("mutation($inputs: [OrderCreateInput!]!) { createOrders(inputs: $inputs) { id } }", Map.of("inputs", orders))
                .path("createOrders").entityList(Object.class).hasSize(orders.size());
    }

    private void addOrder(String customerId, LocalDate day, String total) {
        Placed order = place(customerId, at(day, 15, 0), total, "DELIVERED");
        run("mutation($inputs: [OrderCreateInput!]!) { createOrders(inputs: $inputs) { id } }",
                Map.of("inputs", List.of(orderInput(order, placed.size())))).path("createOrders").entityList(Object.class).hasSize(1);
    }

    private void place(String customerId, LocalDate day, Random random, String total, String status) {
        place(customerId, at(day, random.nextInt(24), random.nextInt(60)), total, status);
    }

    private Placed place(String customerId, ZonedDateTime at, String total, String status) {
        Placed order = new Placed(customerId, at, total == null ? null : new BigDecimal(total), status);
        placed.add(order);
        return order;
    }

    private static Map<String, Object> orderInput(Placed p, int n) {
        Map<String, Object> input = new HashMap<>();
        input.put("orderNumber", "CLV-" + n);
        input.put("orderDate", p.at().toOffsetDateTime().toString());
        input.put("customerId", p.customerId());
        input.put("totalAmount", p.total());
        input.put("status", p.status());
        return input;
    }

    private static ZonedDateTime at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(ZONE);
    }

    private static String money(Random random, int level) {
        return BigDecimal.valueOf(level * 100L + random.nextInt(level * 100), 2).toString();
    }

    private void assertTooLittleData(int customers, int repeatBuyers) {
        Map<String, Object> model = fit(AS_OF);
        Map<String, Object> expected = new HashMap<>();
        for (String field : MODEL.split(" ")) {
            expected.put(field, null);
        }
        expected.putAll(Map.of("status", "TOO_LITTLE_DATA", "converged", false, "customers", customers, "repeatBuyers", repeatBuyers,
                "asOf", AS_OF.toString(), "message", "Too little data as of " + AS_OF + ": " + customers
                        + " customers with orders (at least 500 needed) and " + repeatBuyers + " who ordered again on a later day (at least 100 needed)"));
        assertThat(model).isEqualTo(expected);
        assertThat(scores().values()).allSatisfy(c -> assertThat(c).containsEntry("probabilityAlive", null)
                .containsEntry("predictedClv365Days", null).containsEntry("predictedSpendTier", null));
    }

    /** A customer's purchase history as of a day, from the orders this test placed. */
    private record History(int x, long txDays, long tDays, double m, LocalDate last) {
    }

    /**
     * Counted orders (status not Cancelled; no status counts) of customers, on local days up to asOf;
     * same-day orders are one purchase day whose value is their sum, an order without a total adding 0.
     */
    private Map<String, History> histories(LocalDate asOf) {
        Map<String, TreeMap<LocalDate, BigDecimal>> days = new LinkedHashMap<>();
        for (Placed p : placed) {
            LocalDate day = p.at().withZoneSameInstant(ZONE).toLocalDate();
            if (p.customerId() != null && !"CANCELLED".equals(p.status()) && !day.isAfter(asOf)) {
                days.computeIfAbsent(p.customerId(), k -> new TreeMap<>())
                        .merge(day, p.total() == null ? BigDecimal.ZERO : p.total(), BigDecimal::add);
            }
        }
        Map<String, History> histories = new LinkedHashMap<>();
        days.forEach((id, d) -> {
            int x = d.size() - 1;
            double m = x == 0 ? 0 : d.values().stream().skip(1).reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue() / x;
            histories.put(id, new History(x, ChronoUnit.DAYS.between(d.firstKey(), d.lastKey()),
                    ChronoUnit.DAYS.between(d.firstKey(), asOf), m, d.lastKey()));
        });
        return histories;
    }

    /** Every customer's nine scores against FHL 2005 (eq. 10 and 11) and Gamma-Gamma, evaluated here. */
    private void assertScores(Map<String, Object> model, LocalDate asOf, Map<String, Map<String, Object>> scores) {
        Map<String, History> histories = histories(asOf);
        assertThat(histories).hasSize(((Number) model.get("customers")).intValue());
        double p = number(model, "p");
        double q = number(model, "q");
        double v = number(model, "v");
        for (String id : customerIds) {
            Map<String, Object> c = scores.get(id);
            History h = histories.get(id);
            if (h == null) {
                for (String field : SCORES.split(" ")) {
                    assertThat(field.equals("id") || c.get(field) == null).as("%s of %s without counted orders", field, id).isTrue();
                }
                continue;
            }
            double tx = h.txDays() / 7.0;
            double t = h.tDays() / 7.0;
            double alive = alive(model, h.x(), tx, t);
            double orders90 = expectedOrders(model, 90 / 7.0, h.x(), tx, t);
            double orders365 = expectedOrders(model, 365 / 7.0, h.x(), tx, t);
            // Gamma-Gamma's E[M | x, m] (Fader, Hardie and Lee 2005, "RFM and CLV"): missing totals make m = 0, and the
            // credit note's negative m counts as 0.
            double value = p * (v + h.x() * Math.max(h.m(), 0)) / (p * h.x() + q - 1);
            assertThat(number(c, "probabilityAlive")).as("P(alive) of %s %s", id, h).isCloseTo(alive, within(0.00005));
            assertThat(number(c, "churnProbability")).as("churn of %s %s", id, h).isCloseTo(1 - alive, within(0.00005));
            assertThat(number(c, "expectedOrders90Days")).as("90 days of %s %s", id, h).isCloseTo(orders90, within(0.00005));
            assertThat(number(c, "expectedOrders365Days")).as("365 days of %s %s", id, h).isCloseTo(orders365, within(0.00005));
            assertThat(number(c, "expectedOrderValue")).as("value of %s %s", id, h).isCloseTo(value, within(0.00005));
            assertThat(number(c, "predictedClv365Days")).as("CLV of %s %s", id, h).isCloseTo(orders365 * value, within(0.00005));
            if (h.x() == 0) {
                assertThat(c.get("averageDaysBetweenOrders")).as("gap of %s", id).isNull();
                assertThat(c.get("expectedNextOrderDate")).as("next of %s", id).isNull();
            } else {
                double gap = h.txDays() / (double) h.x();
                assertThat(number(c, "averageDaysBetweenOrders")).as("gap of %s %s", id, h).isCloseTo(gap, within(0.00005));
                assertThat(c.get("expectedNextOrderDate")).as("next of %s %s", id, h).isEqualTo(h.last().plusDays(Math.round(gap)).toString());
            }
        }
        List<Map<String, Object>> scored = scores.values().stream().filter(c -> c.get("predictedClv365Days") != null).toList();
        assertThat(scored).hasSize(histories.size());
        assertSpendTiers(scored);
    }

    private Map<String, Object> fit(LocalDate asOf) {
        return map(run("mutation($asOf: Date) { fitClvModel(asOf: $asOf) { model { " + MODEL + " } } }", Map.of("asOf", asOf.toString()))
                .path("fitClvModel.model"));
    }

    private Map<String, Object> runJob(String job, String args) {
        return ClvReference.runJob(graphQl, job, args);
    }

    /** Every customer's scores by id. */
    private Map<String, Map<String, Object>> scores() {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        maps(run("{ customers(first: 1000) { nodes { " + SCORES + " } } }").path("customers.nodes"))
                .forEach(c -> byId.put((String) c.get("id"), c));
        assertThat(byId).hasSize(customerIds.size());
        return byId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(GraphQlTester.Path path) {
        return path.entity(Map.class).get();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(GraphQlTester.Path path) {
        return (List<Map<String, Object>>) (List<?>) path.entityList(Map.class).get();
    }
}
