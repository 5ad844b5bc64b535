package dev.storefront.crm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.demo.DemoData.Customer;
import dev.storefront.crm.demo.DemoData.Order;
import dev.storefront.crm.demo.DemoData.OrderItem;
import dev.storefront.crm.demo.DemoData.OrderReturn;
import dev.storefront.crm.demo.DemoData.Recipient;
import dev.storefront.crm.demo.DemoData.Ticket;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoDataGeneratorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    private static final DemoData STORE = new DemoDataGenerator(42, 2000, TODAY).generate();

    @Test
    void sameSeedAndDayGiveTheSameStore() {
        assertThat(new DemoDataGenerator(42, 2000, TODAY).generate()).isEqualTo(STORE);
    }

    @Test
    void anotherSeedGivesAnotherStore() {
        assertThat(new DemoDataGenerator(7, 2000, TODAY).generate().customers()).isNotEqualTo(STORE.customers());
    }

    @Test
    void storeIsSpreadOverTheTwoYearsBeforeToday() {
        LocalDate later = TODAY.plusDays(100);
        DemoData moved = new DemoDataGenerator(42, 2000, later).generate();
        for (Order order : moved.orders()) {
            assertThat(order.placedAt().toLocalDate()).isBetween(later.minusDays(730), later.minusDays(1));
        }
        assertThat(moved.tickets()).allSatisfy(t -> assertThat(t.openedAt().toLocalDate()).isBefore(later));
        assertThat(moved.campaigns()).allSatisfy(c -> assertThat(c.launch()).isBefore(later));
    }

    @Test
    void hasTheSizesOfARealStore() {
        assertThat(STORE.customers()).hasSize(2000);
        assertThat(STORE.orders()).hasSize(10_000);
        assertThat(STORE.products()).hasSize(200);
        assertThat(STORE.campaigns()).hasSize(20);
        assertThat(STORE.tickets()).hasSize(1500);
        assertThat(STORE.companies()).isNotEmpty();
        assertThat(STORE.recipients()).hasSizeGreaterThan(1000);
        assertThat(STORE.returns().size()).isBetween(300, 800);
        Map<Integer, Long> linesPerOrder = STORE.orderItems().stream()
                .collect(Collectors.groupingBy(OrderItem::order, Collectors.counting()));
        assertThat(linesPerOrder).hasSize(10_000);
        assertThat(linesPerOrder.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 4L));
    }

    @Test
    void orderTotalsAreTheSumOfTheirLinesAtCatalogPrices() {
        Map<Integer, BigDecimal> totals = new HashMap<>();
        for (OrderItem item : STORE.orderItems()) {
            assertThat(item.unitPrice()).isEqualTo(STORE.products().get(item.product()).price());
            totals.merge(item.order(), item.lineTotal(), BigDecimal::add);
        }
        for (int i = 0; i < STORE.orders().size(); i++) {
            assertThat(STORE.orders().get(i).total()).isEqualByComparingTo(totals.get(i));
        }
    }

    @Test
    void customerTotalsAgreeWithTheirOrders() {
        Map<Integer, List<Order>> byCustomer = STORE.orders().stream().collect(Collectors.groupingBy(Order::customer));
        for (int i = 0; i < STORE.customers().size(); i++) {
            Customer customer = STORE.customers().get(i);
            List<Order> orders = byCustomer.getOrDefault(i, List.of());
            BigDecimal value = orders.stream().map(Order::total).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(customer.stats().orders()).isEqualTo(orders.size());
            assertThat(customer.stats().lifetimeValue()).isEqualByComparingTo(value);
            assertThat(customer.stats().firstPurchase())
                    .isEqualTo(orders.stream().map(o -> o.placedAt().toLocalDate()).min(LocalDate::compareTo).orElse(null));
            assertThat(customer.stats().lastPurchase())
                    .isEqualTo(orders.stream().map(o -> o.placedAt().toLocalDate()).max(LocalDate::compareTo).orElse(null));
            if (!orders.isEmpty()) {
                assertThat(customer.stats().averageOrderValue())
                        .isEqualByComparingTo(value.divide(BigDecimal.valueOf(orders.size()), 2, RoundingMode.HALF_UP));
            }
        }
    }

    @Test
    void buyersAreSkewedLikeARealStore() {
        TreeMap<Integer, Long> counts = STORE.customers().stream()
                .collect(Collectors.groupingBy(c -> c.stats().orders(), TreeMap::new, Collectors.counting()));
        assertThat(counts.get(0)).isPositive();
        assertThat(counts.get(1)).isBetween(700L, 900L);
        assertThat(counts.tailMap(20).values().stream().mapToLong(Long::longValue).sum()).isBetween(20L, 100L);
        Set<String> segments = STORE.customers().stream().map(Customer::segment).filter(s -> s != null)
                .collect(Collectors.toSet());
        assertThat(segments).containsExactlyInAnyOrder("VIP", "Loyal", "Potential Loyal", "Active", "New", "At Risk",
                "Churned", "Lapsed");
    }

    @Test
    void novemberAndDecemberSellMore() {
        Map<YearMonth, Long> perMonth = STORE.orders().stream()
                .collect(Collectors.groupingBy(o -> YearMonth.from(o.placedAt()), Collectors.counting()));
        YearMonth lastFull = YearMonth.from(TODAY).minusMonths(1);
        double peak = average(perMonth, lastFull, true);
        double rest = average(perMonth, lastFull, false);
        assertThat(peak).isGreaterThan(1.3 * rest);
    }

    private static double average(Map<YearMonth, Long> perMonth, YearMonth lastFull, boolean holidays) {
        return perMonth.entrySet().stream()
                .filter(e -> e.getKey().isAfter(YearMonth.from(TODAY.minusDays(700))) && !e.getKey().isAfter(lastFull))
                .filter(e -> (e.getKey().getMonth() == Month.NOVEMBER || e.getKey().getMonth() == Month.DECEMBER) == holidays)
                .mapToLong(Map.Entry::getValue).average().orElseThrow();
    }

    @Test
    void statusesFollowDeliveryAndReturns() {
        Set<Integer> returned = STORE.returns().stream().map(OrderReturn::order).collect(Collectors.toSet());
        assertThat(returned).hasSameSizeAs(STORE.returns());
        for (int i = 0; i < STORE.orders().size(); i++) {
            Order order = STORE.orders().get(i);
            if (returned.contains(i)) {
                assertThat(order.status()).isIn("Returned", "Refunded");
            }
            if (order.deliveredAt() != null) {
                assertThat(order.deliveredAt()).isAfter(order.placedAt());
                assertThat(order.status()).isIn("Delivered", "Returned", "Refunded");
            } else {
                assertThat(order.status()).isIn("Pending", "Fulfilled", "Shipped");
            }
        }
    }

    @Test
    void followUpsComeAfterWhatTheyFollow() {
        for (OrderReturn sentBack : STORE.returns()) {
            assertThat(sentBack.date()).isAfter(STORE.orders().get(sentBack.order()).deliveredAt().toLocalDate());
            assertThat(sentBack.customer()).isEqualTo(STORE.orders().get(sentBack.order()).customer());
        }
        for (Ticket ticket : STORE.tickets()) {
            if (ticket.order() != null) {
                assertThat(ticket.openedAt()).isAfter(STORE.orders().get(ticket.order()).placedAt());
                assertThat(ticket.customer()).isEqualTo(STORE.orders().get(ticket.order()).customer());
            }
            if (ticket.resolvedAt() != null) {
                assertThat(ticket.resolvedAt()).isAfter(ticket.openedAt()).isBefore(TODAY.atStartOfDay().atOffset(ZoneOffset.UTC));
            }
        }
    }

    @Test
    void contactDetailsPassTheFieldChecks() {
        FieldDef email = new FieldDef("email", "Email", FieldKind.EMAIL, false, true, null, null, null, 0, null);
        FieldDef phone = new FieldDef("phone", "Phone", FieldKind.PHONE, false, false, null, null, null, 0, null);
        Set<String> emails = new HashSet<>();
        for (Customer customer : STORE.customers()) {
            assertThat(FieldValues.convert("customers", email, customer.person().email())).isEqualTo(customer.person().email());
            assertThat(emails.add(customer.person().email())).isTrue();
            FieldValues.convert("customers", phone, customer.person().phone());
        }
        assertThat(STORE.products().stream().map(DemoData.Product::sku).distinct()).hasSize(200);
    }

    @Test
    void someCustomersWriteAgainAndAgain() {
        Map<Integer, Long> recentTickets = STORE.tickets().stream()
                .filter(t -> t.openedAt().toLocalDate().isAfter(TODAY.minusDays(180)))
                .collect(Collectors.groupingBy(Ticket::customer, Collectors.counting()));
        assertThat(recentTickets.values().stream().filter(n -> n >= 3)).hasSizeGreaterThanOrEqualTo(20);
        Map<Integer, Long> returnsPerCustomer = STORE.returns().stream()
                .collect(Collectors.groupingBy(OrderReturn::customer, Collectors.counting()));
        assertThat(returnsPerCustomer.values().stream().filter(n -> n >= 3)).isNotEmpty();
    }

    @Test
    void campaignResultsAddUpFromTheirRecipients() {
        Map<Integer, List<Recipient>> byCampaign = STORE.recipients().stream()
                .collect(Collectors.groupingBy(Recipient::campaign));
        for (int i = 0; i < STORE.campaigns().size(); i++) {
            List<Recipient> sent = byCampaign.getOrDefault(i, List.of());
            assertThat(STORE.campaigns().get(i).targeted()).isEqualTo(sent.size());
            assertThat(STORE.campaigns().get(i).revenue())
                    .isEqualByComparingTo(sent.stream().map(Recipient::revenue).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }
}
