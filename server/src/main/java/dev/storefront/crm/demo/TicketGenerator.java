package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.OrderReturn;
import dev.storefront.crm.demo.DemoData.Ticket;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Support tickets: most about an order or a return, some asked before or apart from any order,
 * and a few customers who wrote again and again in the last months.
 */
final class TicketGenerator {

    private static final Weighted<String> PRIORITIES = Weighted.of("Low", 20).or("Normal", 55).or("High", 18)
            .or("Urgent", 7);
    /** Orders this recent keep every ticket about them inside the 180 days support leads look at. */
    private static final int RECENT_DAYS = 170;
    private static final int OPEN_DAYS = 3;

    private final DemoRandom random;
    private final LocalDate today;

    TicketGenerator(DemoRandom random, LocalDate today) {
        this.random = random;
        this.today = today;
    }

    /**
     * Tickets about an order are opened at least a day after it was placed, so only orders placed
     * before yesterday get them: a ticket never predates its order, nor lies in the future.
     */
    List<Ticket> generate(int customers, OrderBook book, int count) {
        LocalDate yesterday = today.minusDays(1);
        int askable = book.placedBefore(yesterday);
        List<Ticket> tickets = new ArrayList<>(count);
        repeatedWriters(customers, book, askable, tickets);
        while (tickets.size() < count) {
            tickets.add(oneOff(customers, book, askable));
        }
        tickets.sort(Comparator.comparing(Ticket::openedAt));
        return tickets;
    }

    /** About 3% of customers, each with 3 to 6 tickets about their recent orders. */
    private void repeatedWriters(int customers, OrderBook book, int askable, List<Ticket> tickets) {
        int firstRecent = book.placedBefore(today.minusDays(RECENT_DAYS));
        List<Integer> candidates = IntStream.range(0, customers)
                .filter(c -> !recentOrders(book, c, firstRecent, askable).isEmpty()).boxed().toList();
        int wanted = Math.min(candidates.size(), Math.max(3, customers * 3 / 100));
        for (int customer : random.shuffled(candidates).subList(0, wanted)) {
            List<Integer> recent = recentOrders(book, customer, firstRecent, askable);
            for (int n = random.between(3, 6); n > 0; n--) {
                int order = random.pick(recent);
                tickets.add(aboutOrder(book, order, dayAfterPlaced(book, order), Names.ORDER_SUBJECTS));
            }
        }
    }

    private static List<Integer> recentOrders(OrderBook book, int customer, int from, int until) {
        return book.ordersOf(customer).stream().filter(o -> o >= from && o < until).toList();
    }

    private Ticket oneOff(int customers, OrderBook book, int askable) {
        double kind = random.unit();
        if (kind < 0.1 || askable == 0) {
            LocalDate day = today.minusDays(random.between(1, PurchasePlanner.WINDOW_DAYS));
            return ticket(random.between(0, customers - 1), null, random.pick(Names.GENERAL_SUBJECTS), day);
        }
        if (kind < 0.35 && !book.returns().isEmpty()) {
            OrderReturn sentBack = random.pick(book.returns());
            return aboutOrder(book, sentBack.order(), sentBack.date(), Names.RETURN_SUBJECTS);
        }
        int order = random.between(0, askable - 1);
        return aboutOrder(book, order, dayAfterPlaced(book, order), Names.ORDER_SUBJECTS);
    }

    private static LocalDate dayAfterPlaced(OrderBook book, int order) {
        return book.order(order).placedAt().toLocalDate().plusDays(1);
    }

    /** Opened within ten days from {@code earliest}, and never later than yesterday. */
    private Ticket aboutOrder(OrderBook book, int order, LocalDate earliest, List<String> subjects) {
        LocalDate day = earliest.plusDays(random.between(0, 10));
        LocalDate yesterday = today.minusDays(1);
        return ticket(book.order(order).customer(), order, random.pick(subjects), day.isAfter(yesterday) ? yesterday : day);
    }

    private Ticket ticket(int customer, Integer order, String subject, LocalDate day) {
        OffsetDateTime opened = day.atTime(random.timeBetween(7, 22)).atOffset(ZoneOffset.UTC);
        String priority = PRIORITIES.draw(random);
        if (ChronoUnit.DAYS.between(day, today) <= OPEN_DAYS) {
            return new Ticket(customer, order, subject, priority, random.chance(0.6) ? "Open" : "Pending", opened, null);
        }
        return new Ticket(customer, order, subject, priority, random.chance(0.55) ? "Solved" : "Closed", opened,
                opened.plusHours(random.between(1, 72)));
    }
}
