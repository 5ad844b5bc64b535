package dev.storefront.crm.demo;

import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decides when each customer bought: how often, skewed like a real store (many one-time buyers, a
 * long tail, a few heavy buyers, some who never bought), and over which stretch of the last two years.
 */
final class PurchasePlanner {

    static final int WINDOW_DAYS = 730;
    private static final int HEAVY_BUYER = 20;
    private static final int MOST_REGULAR = HEAVY_BUYER - 1;

    /** One moment an order is placed; the planner's whole output, in time order. */
    record Placement(int customer, OffsetDateTime at) {
    }

    /** How long ago a customer last bought, in days. */
    private record Recency(int minDays, int maxDays) {
    }

    private static final Recency RECENT = new Recency(1, 30);
    private static final Recency WARM = new Recency(31, 90);
    private static final Recency COOLING = new Recency(91, 180);
    private static final Recency LAPSED = new Recency(181, 365);
    private static final Recency GONE = new Recency(366, WINDOW_DAYS - 1);

    private static final Weighted<Recency> ONE_TIME_RECENCY = Weighted.of(RECENT, 20).or(WARM, 20).or(COOLING, 15)
            .or(LAPSED, 20).or(GONE, 25);
    private static final Weighted<Recency> REGULAR_RECENCY = Weighted.of(RECENT, 35).or(WARM, 25).or(COOLING, 15)
            .or(LAPSED, 15).or(GONE, 10);
    private static final Weighted<Recency> HEAVY_RECENCY = Weighted.of(RECENT, 70).or(WARM, 20).or(COOLING, 7)
            .or(LAPSED, 3);

    /** Shares of customers by order count; the shares add up to 1. */
    private record Tier(double share, int minOrders, int maxOrders) {
    }

    private static final List<Tier> TIERS = List.of(
            new Tier(0.08, 0, 0), new Tier(0.40, 1, 1), new Tier(0.24, 2, 4), new Tier(0.17, 5, 12),
            new Tier(0.08, 13, MOST_REGULAR), new Tier(0.03, HEAVY_BUYER, 45));

    private final DemoRandom random;
    private final LocalDate today;
    private final LocalDate start;

    PurchasePlanner(DemoRandom random, LocalDate today) {
        this.random = random;
        this.today = today;
        this.start = today.minusDays(WINDOW_DAYS);
    }

    List<Placement> plan(int customers, int orders) {
        int[] counts = orderCounts(customers);
        reachTarget(counts, orders);
        List<Placement> placements = new ArrayList<>(orders);
        for (int customer = 0; customer < customers; customer++) {
            for (LocalDate day : days(counts[customer])) {
                placements.add(new Placement(customer, day.atTime(random.timeBetween(7, 24)).atOffset(ZoneOffset.UTC)));
            }
        }
        placements.sort(Comparator.comparing(Placement::at).thenComparingInt(Placement::customer));
        return placements;
    }

    /** Tiers go to customers by shuffled position, so each tier gets its exact share. */
    private int[] orderCounts(int customers) {
        List<Integer> order = random.shuffled(IntStream.range(0, customers).boxed().toList());
        int[] counts = new int[customers];
        double reached = 0;
        int position = 0;
        for (Tier tier : TIERS) {
            reached += tier.share();
            for (; position < Math.round(reached * customers); position++) {
                counts[order.get(position)] = random.between(tier.minOrders(), tier.maxOrders());
            }
        }
        return counts;
    }

    /**
     * Tiers only give about the wanted number of orders; regular buyers absorb the difference, so
     * one-time, zero-order and heavy buyers keep their counts.
     */
    private void reachTarget(int[] counts, int target) {
        int total = IntStream.of(counts).sum();
        int step = total < target ? 1 : -1;
        int limit = step > 0 ? MOST_REGULAR : 2;
        List<Integer> open = new ArrayList<>(IntStream.range(0, counts.length)
                .filter(i -> counts[i] >= 2 && counts[i] <= MOST_REGULAR && counts[i] != limit).boxed().toList());
        while (total != target && !open.isEmpty()) {
            int slot = random.between(0, open.size() - 1);
            int customer = open.get(slot);
            counts[customer] += step;
            total += step;
            if (counts[customer] == limit) {
                open.set(slot, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
        }
    }

    /** Purchase days of one customer: the last, the first, and the rest in between. */
    private List<LocalDate> days(int count) {
        if (count == 0) {
            return List.of();
        }
        Weighted<Recency> recencies = count == 1 ? ONE_TIME_RECENCY : count >= HEAVY_BUYER ? HEAVY_RECENCY : REGULAR_RECENCY;
        Recency recency = recencies.draw(random);
        LocalDate last = seasonalDay(today.minusDays(recency.maxDays()), today.minusDays(recency.minDays()));
        List<LocalDate> days = new ArrayList<>(count);
        days.add(last);
        if (count > 1) {
            int room = (int) ChronoUnit.DAYS.between(start, last);
            // A weekly rhythm at most: a heavy buyer needs a long history, a two-time buyer may be new.
            LocalDate first = last.minusDays(random.between(Math.min(count * 7, room), room));
            days.add(first);
            for (int i = 2; i < count; i++) {
                days.add(seasonalDay(first, last));
            }
        }
        return days;
    }

    /** A day between {@code from} and {@code to}: holiday months sell twice as much as most, January and February least. */
    private LocalDate seasonalDay(LocalDate from, LocalDate to) {
        int span = (int) ChronoUnit.DAYS.between(from, to);
        while (true) {
            LocalDate day = from.plusDays(random.between(0, span));
            if (random.unit() < seasonWeight(day.getMonth())) {
                return day;
            }
        }
    }

    private static double seasonWeight(Month month) {
        return switch (month) {
            case NOVEMBER, DECEMBER -> 1.0;
            case JANUARY, FEBRUARY -> 0.4;
            default -> 0.5;
        };
    }
}
