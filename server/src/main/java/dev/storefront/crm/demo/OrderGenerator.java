package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Order;
import dev.storefront.crm.demo.DemoData.OrderItem;
import dev.storefront.crm.demo.DemoData.OrderReturn;
import dev.storefront.crm.demo.DemoData.Person;
import dev.storefront.crm.demo.DemoData.Product;
import dev.storefront.crm.demo.PurchasePlanner.Placement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Turns placements into orders: lines from the catalogue, delivery, status, and the returns some get. */
final class OrderGenerator {

    private static final Weighted<Integer> LINES = Weighted.of(1, 45).or(2, 30).or(3, 15).or(4, 10);
    private static final Weighted<Integer> QUANTITIES = Weighted.of(1, 80).or(2, 15).or(3, 5);
    private static final Weighted<String> RESOLUTIONS = Weighted.of("Refund", 60).or("Exchange", 25).or("Credit", 15);
    /** Share of frequent buyers who send much back; they give the store its customers with several returns. */
    private static final double SERIAL_RETURNERS = 0.12;
    private static final int RETURN_DAYS = 30;

    private final DemoRandom random;
    private final LocalDate today;
    private final List<Product> products;
    /** Products that can be bought, most popular first. */
    private final List<Integer> sellable;

    OrderGenerator(DemoRandom random, LocalDate today, List<Product> products) {
        this.random = random;
        this.today = today;
        this.products = products;
        this.sellable = random.shuffled(IntStream.range(0, products.size())
                .filter(i -> !"Draft".equals(products.get(i).status())).boxed().toList());
    }

    OrderBook generate(List<Placement> placements, List<Person> people) {
        Set<Integer> returners = returners(placements, people.size());
        List<Order> orders = new ArrayList<>(placements.size());
        List<OrderItem> items = new ArrayList<>();
        List<OrderReturn> returns = new ArrayList<>();
        for (int i = 0; i < placements.size(); i++) {
            Placement placement = placements.get(i);
            List<OrderItem> lines = lines(i);
            items.addAll(lines);
            BigDecimal total = lines.stream().map(OrderItem::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
            OffsetDateTime delivered = deliveredAt(placement.at().toLocalDate());
            OrderReturn sentBack = delivered == null ? null
                    : maybeReturn(i, placement.customer(), delivered.toLocalDate(), lines, total,
                            returners.contains(placement.customer()));
            if (sentBack != null) {
                returns.add(sentBack);
            }
            orders.add(new Order(placement.customer(), "SF-" + (100001 + i), placement.at(), total,
                    status(placement.at().toLocalDate(), delivered, sentBack), summary(lines),
                    people.get(placement.customer()).address(), delivered));
        }
        returns.sort(Comparator.comparing(OrderReturn::date));
        return new OrderBook(people.size(), orders, items, returns);
    }

    private Set<Integer> returners(List<Placement> placements, int customers) {
        int[] counts = new int[customers];
        placements.forEach(p -> counts[p.customer()]++);
        Set<Integer> returners = new HashSet<>();
        for (int customer = 0; customer < customers; customer++) {
            if (counts[customer] >= 3 && random.chance(SERIAL_RETURNERS)) {
                returners.add(customer);
            }
        }
        return returners;
    }

    /** Distinct products, skewed towards the popular ones as real baskets are. */
    private List<OrderItem> lines(int order) {
        int wanted = Math.min(LINES.draw(random), sellable.size());
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < wanted) {
            double skew = random.unit();
            chosen.add(sellable.get((int) (sellable.size() * skew * skew)));
        }
        return chosen.stream()
                .map(product -> new OrderItem(order, product, QUANTITIES.draw(random), products.get(product).price()))
                .toList();
    }

    private String summary(List<OrderItem> lines) {
        return lines.stream()
                .map(l -> products.get(l.product()).name() + (l.quantity() > 1 ? " x" + l.quantity() : ""))
                .collect(Collectors.joining(", "));
    }

    /** Null while on its way: orders of the last two days, and some of the last week. */
    private OffsetDateTime deliveredAt(LocalDate placed) {
        int age = daysBetween(placed, today);
        if (age <= 2 || (age <= 7 && random.chance(0.6))) {
            return null;
        }
        LocalDate day = placed.plusDays(random.between(2, Math.min(7, age - 1)));
        return day.atTime(random.timeBetween(9, 19)).atOffset(ZoneOffset.UTC);
    }

    private OrderReturn maybeReturn(int order, int customer, LocalDate delivered, List<OrderItem> lines, BigDecimal total,
                                    boolean returner) {
        LocalDate yesterday = today.minusDays(1);
        LocalDate latest = delivered.plusDays(RETURN_DAYS).isAfter(yesterday) ? yesterday : delivered.plusDays(RETURN_DAYS);
        if (!delivered.isBefore(latest) || !random.chance(returner ? 0.3 : 0.03)) {
            return null;
        }
        LocalDate date = delivered.plusDays(random.between(1, daysBetween(delivered, latest)));
        BigDecimal amount = lines.size() > 1 && random.chance(0.6) ? random.pick(lines).lineTotal() : total;
        return new OrderReturn(order, customer, date, random.pick(Names.RETURN_REASONS), RESOLUTIONS.draw(random),
                returnStatus(date), amount);
    }

    private String returnStatus(LocalDate returned) {
        int age = daysBetween(returned, today);
        return age <= 3 ? "Requested" : age <= 7 ? "Approved" : age <= 14 ? "Received" : "Closed";
    }

    private String status(LocalDate placed, OffsetDateTime delivered, OrderReturn sentBack) {
        if (sentBack != null) {
            return "Refund".equals(sentBack.resolution()) && "Closed".equals(sentBack.status()) ? "Refunded" : "Returned";
        }
        if (delivered != null) {
            return "Delivered";
        }
        if (daysBetween(placed, today) > 2) {
            return "Shipped";
        }
        return random.chance(0.7) ? "Pending" : "Fulfilled";
    }

    private static int daysBetween(LocalDate from, LocalDate to) {
        return (int) ChronoUnit.DAYS.between(from, to);
    }
}
