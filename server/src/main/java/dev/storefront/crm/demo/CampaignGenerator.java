package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Campaign;
import dev.storefront.crm.demo.DemoData.Customer;
import dev.storefront.crm.demo.DemoData.Order;
import dev.storefront.crm.demo.DemoData.PurchaseStats;
import dev.storefront.crm.demo.DemoData.Recipient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Campaigns spread over the two years. Each goes to the customers who, on its launch day, had
 * bought, accepted marketing and (for a targeted campaign) were in its segment; its open rate and
 * revenue add up from those recipients.
 */
final class CampaignGenerator {

    private static final int CAMPAIGNS = 20;
    /** An order this soon after an opened send is credited to the campaign. */
    private static final Duration ATTRIBUTION = Duration.ofDays(7);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);
    private static final Map<String, Double> UNTARGETED_REACH = Map.of("Email", 0.6, "SMS", 0.35, "Ads", 0.25, "Social", 0.25);

    private record Theme(String name, String segment, String channel, String offer) {
    }

    private static final Map<Month, Theme> SEASONAL = Map.of(
            Month.NOVEMBER, new Theme("Black Friday", null, "Email", "25% off sitewide"),
            Month.DECEMBER, new Theme("Holiday Gift Guide", null, "Email", "Free gift wrapping on orders over $50"),
            Month.JANUARY, new Theme("New Year Clearance", null, "Email", "Up to 50% off last season"),
            Month.JUNE, new Theme("Summer Sale", null, "Ads", "20% off summer essentials"));

    private static final List<Theme> EVERGREEN = List.of(
            new Theme("Welcome Series", "New", "Email", "10% off your second order"),
            new Theme("VIP Early Access", "VIP", "Email", "48-hour early access to new arrivals"),
            new Theme("We Miss You", "At Risk", "Email", "15% off your next order"),
            new Theme("New Arrivals", null, "Social", "15% off new arrivals this week"),
            new Theme("Come Back", "Lapsed", "SMS", "$20 off orders over $80"),
            new Theme("Loyalty Thank You", "Loyal", "Email", "Double points on every order"),
            new Theme("Last Chance", "Churned", "Email", "30% off, this week only"),
            new Theme("Next Step", "Potential Loyal", "SMS", "Free shipping on your next order"),
            new Theme("Flash Sale", "Active", "SMS", "24-hour flash sale: 20% off"));

    /** What the campaigns produced: the campaigns, and every send they made. */
    record Sends(List<Campaign> campaigns, List<Recipient> recipients) {
    }

    private final DemoRandom random;
    private final LocalDate today;
    private int nextEvergreen;

    CampaignGenerator(DemoRandom random, LocalDate today) {
        this.random = random;
        this.today = today;
    }

    Sends generate(List<Customer> customers, OrderBook book) {
        List<Campaign> campaigns = new ArrayList<>(CAMPAIGNS);
        List<Recipient> recipients = new ArrayList<>();
        Set<YearMonth> seasonsUsed = new HashSet<>();
        for (int index = 0; index < CAMPAIGNS; index++) {
            LocalDate launch = launchDay(index);
            Targeting targeting = target(launch, seasonsUsed, customers, book);
            List<Recipient> sent = send(index, targeting, launch, book);
            recipients.addAll(sent);
            campaigns.add(campaign(targeting.theme(), launch, sent));
        }
        return new Sends(campaigns, recipients);
    }

    /** Evenly spaced over the window, oldest first, give or take a week. */
    private LocalDate launchDay(int index) {
        int spacing = PurchasePlanner.WINDOW_DAYS / CAMPAIGNS;
        int daysAgo = PurchasePlanner.WINDOW_DAYS - spacing * index - spacing / 2 + random.between(-7, 7);
        return today.minusDays(Math.max(1, daysAgo));
    }

    private record Targeting(Theme theme, List<Integer> audience) {
    }

    /**
     * The launch month's seasonal theme if this season has none yet, else the next evergreen theme
     * in turn that has anyone to send to: in the first months nobody can be lapsed or churned yet.
     */
    private Targeting target(LocalDate launch, Set<YearMonth> seasonsUsed, List<Customer> customers, OrderBook book) {
        Theme seasonal = SEASONAL.get(launch.getMonth());
        if (seasonal != null && seasonsUsed.add(YearMonth.from(launch))) {
            return new Targeting(seasonal, audience(seasonal, launch, customers, book));
        }
        for (int tried = 0; tried < EVERGREEN.size(); tried++) {
            Theme theme = EVERGREEN.get(nextEvergreen++ % EVERGREEN.size());
            List<Integer> audience = audience(theme, launch, customers, book);
            if (!audience.isEmpty()) {
                return new Targeting(theme, audience);
            }
        }
        return new Targeting(EVERGREEN.get(nextEvergreen++ % EVERGREEN.size()), List.of());
    }

    /** Customers who accept marketing, had bought before launch day, and were then in the targeted segment. */
    private static List<Integer> audience(Theme theme, LocalDate launch, List<Customer> customers, OrderBook book) {
        List<Integer> audience = new ArrayList<>();
        for (int customer = 0; customer < customers.size(); customer++) {
            if (!customers.get(customer).person().acceptsMarketing()) {
                continue;
            }
            PurchaseStats before = book.statsBefore(customer, launch);
            if (before.orders() > 0 && (theme.segment() == null || theme.segment().equals(Segments.of(before, launch)))) {
                audience.add(customer);
            }
        }
        return audience;
    }

    private List<Recipient> send(int campaign, Targeting targeting, LocalDate launch, OrderBook book) {
        Theme theme = targeting.theme();
        double reach = theme.segment() != null ? 0.9 : UNTARGETED_REACH.get(theme.channel());
        double opens = openChance(theme.channel());
        List<Recipient> sent = new ArrayList<>();
        for (int customer : targeting.audience()) {
            if (!random.chance(reach)) {
                continue;
            }
            OffsetDateTime sentAt = launch.atTime(random.timeBetween(8, 20)).atOffset(ZoneOffset.UTC);
            boolean opened = random.chance(opens);
            BigDecimal revenue = !opened ? BigDecimal.ZERO : book.firstOrderBetween(customer, sentAt, sentAt.plus(ATTRIBUTION))
                    .map(Order::total).orElse(BigDecimal.ZERO);
            sent.add(new Recipient(campaign, customer, sentAt, opened, revenue));
        }
        return sent;
    }

    /** Texts get read, emails sometimes, ads rarely clicked. */
    private double openChance(String channel) {
        return switch (channel) {
            case "SMS" -> random.between(55, 85) / 100.0;
            case "Email" -> random.between(20, 45) / 100.0;
            default -> random.between(3, 12) / 100.0;
        };
    }

    private static Campaign campaign(Theme theme, LocalDate launch, List<Recipient> sent) {
        long opened = sent.stream().filter(Recipient::opened).count();
        BigDecimal openRate = sent.isEmpty() ? null
                : BigDecimal.valueOf(opened).divide(BigDecimal.valueOf(sent.size()), 4, RoundingMode.HALF_UP);
        BigDecimal revenue = sent.stream().map(Recipient::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Campaign(theme.name() + " (" + MONTH.format(launch) + ")", theme.segment(), theme.channel(), launch,
                theme.offer(), sent.size(), openRate, revenue);
    }
}
