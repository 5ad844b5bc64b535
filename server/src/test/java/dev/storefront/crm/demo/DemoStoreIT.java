package dev.storefront.crm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.PageRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Boots the application on an empty database with {@code crm.demo=true} and reads back what the demo store wrote. */
@SpringBootTest(properties = {"crm.demo=true", "crm.schema-dir=../schema"})
class DemoStoreIT {

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", () -> folder.resolve("demo.duckdb").toString());
    }

    @Autowired
    EntryService entries;

    @Autowired
    SchemaService schema;

    @Autowired
    DemoStore demo;

    @Autowired
    Clock clock;

    @Test
    void writesAStoreOfTheWantedSize() {
        assertThat(count("customers")).isGreaterThanOrEqualTo(2000);
        assertThat(count("orders")).isGreaterThanOrEqualTo(10_000);
        assertThat(count("order_items")).isGreaterThan(count("orders"));
        assertThat(count("products")).isBetween(150L, 250L);
        for (String object : List.of("companies", "campaigns", "campaign_recipients", "returns", "support_tickets")) {
            assertThat(count(object)).as(object).isPositive();
        }
    }

    /** The README's definitions, computed here from the stored orders and returns. */
    @Test
    void customerMetricsFollowTheirDefinitions() {
        Map<Long, List<Entry>> countedByCustomer = all("orders").stream().filter(o -> !"Cancelled".equals(o.get("status")))
                .collect(Collectors.groupingBy(o -> (Long) o.get("customer")));
        List<Entry> returns = all("returns");
        Map<Long, BigDecimal> refunded = returns.stream().filter(r -> "Refund".equals(r.get("resolution")))
                .collect(Collectors.groupingBy(r -> (Long) r.get("customer"),
                        Collectors.reducing(BigDecimal.ZERO, r -> (BigDecimal) r.get("amount"), BigDecimal::add)));
        Set<Long> returnedOrders = returns.stream().map(r -> (Long) r.get("order")).collect(Collectors.toSet());
        long withRefunds = 0;
        for (Entry customer : all("customers")) {
            List<Entry> orders = countedByCustomer.getOrDefault(customer.id(), List.of());
            BigDecimal total = orders.stream().map(o -> (BigDecimal) o.get("total_amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal refund = refunded.getOrDefault(customer.id(), BigDecimal.ZERO);
            withRefunds += refund.signum() > 0 ? 1 : 0;
            String who = "customer " + customer.id();
            assertThat(customer.get("total_orders")).as(who).isEqualTo((long) orders.size());
            assertThat((BigDecimal) customer.get("lifetime_value")).as(who).isEqualByComparingTo(total.subtract(refund));
            List<LocalDate> days = purchaseDays(orders);
            assertThat(customer.get("first_purchase_date")).as(who).isEqualTo(days.stream().min(LocalDate::compareTo).orElse(null));
            assertThat(customer.get("last_purchase_date")).as(who).isEqualTo(days.stream().max(LocalDate::compareTo).orElse(null));
            if (orders.isEmpty()) {
                assertThat(customer.get("average_order_value")).as(who).isNull();
                assertThat(customer.get("return_rate")).as(who).isNull();
            } else {
                BigDecimal count = BigDecimal.valueOf(orders.size());
                long returned = orders.stream().filter(o -> returnedOrders.contains(o.id())).count();
                assertThat((BigDecimal) customer.get("average_order_value")).as(who)
                        .isEqualByComparingTo(total.divide(count, 2, RoundingMode.HALF_UP));
                assertThat((BigDecimal) customer.get("return_rate")).as(who)
                        .isEqualByComparingTo(BigDecimal.valueOf(returned).divide(count, 4, RoundingMode.HALF_UP));
            }
        }
        // The demo has refunds, so the definition's subtraction is exercised.
        assertThat(withRefunds).isPositive();
    }

    @Test
    void orderTotalsAgreeWithTheirStoredItems() {
        Map<Long, BigDecimal> lineTotals = all("order_items").stream().collect(Collectors.groupingBy(
                i -> (Long) i.get("order"), Collectors.reducing(BigDecimal.ZERO,
                        i -> ((BigDecimal) i.get("unit_price")).multiply(BigDecimal.valueOf((Long) i.get("quantity"))),
                        BigDecimal::add)));
        for (Entry order : all("orders")) {
            assertThat((BigDecimal) order.get("total_amount")).as(order.get("order_number").toString())
                    .isEqualByComparingTo(lineTotals.get(order.id()));
            if (order.get("delivered_at") != null) {
                assertThat((OffsetDateTime) order.get("delivered_at")).isAfter((OffsetDateTime) order.get("order_date"));
            }
        }
        Set<Long> returned = all("returns").stream().map(r -> (Long) r.get("order")).collect(Collectors.toSet());
        assertThat(entries.getAll(model().object("orders"), returned))
                .allSatisfy(order -> assertThat(order.get("status")).isIn("Returned", "Refunded"));
    }

    @Test
    void hasEveryKindOfBuyer() {
        LocalDate today = LocalDate.now(clock);
        List<Entry> customers = all("customers");
        assertThat(customers).anySatisfy(c -> assertThat(c.get("total_orders")).isEqualTo(0L));
        assertThat(customers).anySatisfy(c -> assertThat(c.get("total_orders")).isEqualTo(1L));
        assertThat(customers).anySatisfy(c -> assertThat((Long) c.get("total_orders")).isGreaterThanOrEqualTo(20L));
        assertThat(customers).anySatisfy(c ->
                assertThat((LocalDate) c.get("last_purchase_date")).isBefore(today.minusDays(180)));
        assertThat(customers).anySatisfy(c ->
                assertThat((LocalDate) c.get("last_purchase_date")).isAfter(today.minusDays(30)));
        assertThat(customers.stream().map(c -> c.get("customer_segment")).filter(s -> s != null).distinct())
                .containsExactlyInAnyOrderElementsOf(model().field("customers", "customer_segment").options());
    }

    @Test
    void someCustomersWroteSeveralTicketsLately() {
        OffsetDateTime since = OffsetDateTime.now(clock).minusDays(180);
        Map<Long, Long> recentTickets = all("support_tickets").stream()
                .filter(t -> ((OffsetDateTime) t.get("opened_at")).isAfter(since))
                .collect(Collectors.groupingBy(t -> (Long) t.get("customer"), Collectors.counting()));
        assertThat(recentTickets.values().stream().filter(n -> n >= 3).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFilledDatabaseIsLeftAlone() {
        long customers = count("customers");
        long orders = count("orders");
        demo.fillIfEmpty();
        assertThat(count("customers")).isEqualTo(customers);
        assertThat(count("orders")).isEqualTo(orders);
    }

    private MetadataSnapshot model() {
        return schema.current();
    }

    private long count(String object) {
        return entries.count(model().object(object));
    }

    private List<Entry> all(String object) {
        List<Entry> all = new ArrayList<>();
        String after = null;
        EntryPage page;
        do {
            page = entries.page(model().object(object), new PageRequest(5000, false, after, null));
            all.addAll(page.entries());
            after = page.cursors().isEmpty() ? null : page.cursors().get(page.cursors().size() - 1);
        } while (page.hasNextPage());
        return all;
    }

    private static List<LocalDate> purchaseDays(List<Entry> orders) {
        return orders.stream().map(o -> ((OffsetDateTime) o.get("order_date")).toLocalDate()).toList();
    }
}
