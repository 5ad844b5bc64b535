package dev.storefront.crm.dashboard;

import dev.storefront.crm.dashboard.StoreData.Order;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every widget's answer computed in plain Java from {@link StoreData}, from the definitions in the
 * README, with no SQL: what the GraphQL answers are compared with. Answers are written in the shape
 * of the GraphQL JSON, numbers normalised by {@link #norm}.
 */
final class Expected {

    private final ZoneId zone;
    private final LocalDate from;
    private final LocalDate to;
    private final Predicate<String> admitted;

    /** Customers of the given segments only; none given: every customer. */
    Expected(ZoneId zone, LocalDate from, LocalDate to, Set<String> segments) {
        this(zone, from, to, customer -> {
            String segment = StoreData.customer(customer).segment();
            return segments.isEmpty() || segment != null && segments.contains(segment);
        });
    }

    /** @param admitted which customers (by key) the widgets look at */
    Expected(ZoneId zone, LocalDate from, LocalDate to, Predicate<String> admitted) {
        this.zone = zone;
        this.from = from;
        this.to = to;
        this.admitted = admitted;
    }

    /** A number as plain decimal text without trailing zeros; lists and maps recursively; the rest as is. */
    static Object norm(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Expected::norm).collect(Collectors.toList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, norm(v)));
            return copy;
        }
        return value;
    }

    LocalDate local(Order order) {
        return order.at().atZoneSameInstant(zone).toLocalDate();
    }

    /** An order without a customer passes only when every customer does. */
    private boolean admitted(String customer) {
        return customer == null ? StoreData.CUSTOMERS.stream().allMatch(c -> admitted.test(c.key())) : admitted.test(customer);
    }

    /** Counted orders of admitted customers placed before the period's end. */
    private List<Order> countedUntilEnd() {
        return StoreData.ORDERS.stream().filter(Order::counted).filter(o -> admitted(o.customer()))
                .filter(o -> !local(o).isAfter(to)).toList();
    }

    private List<Order> countedIn(LocalDate first, LocalDate last) {
        return countedUntilEnd().stream().filter(o -> !local(o).isBefore(first) && !local(o).isAfter(last)).toList();
    }

    private List<YearMonth> months() {
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }

    private static BigDecimal sum(List<Order> orders) {
        return orders.stream().map(Order::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal perEach(BigDecimal amount, long count) {
        return count == 0 ? null : amount.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }

    private static Double share(double part, double whole) {
        return whole == 0 ? null : part / whole;
    }

    private BigDecimal refunds(LocalDate first, LocalDate last) {
        return StoreData.RETURNS.stream().filter(r -> r.resolution().equals("Refund")).filter(r -> admitted(r.customer()))
                .filter(r -> !r.date().isBefore(first) && !r.date().isAfter(last))
                .map(StoreData.Return::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static Map<String, Object> series(List<String> labels, Map<String, List<?>> lines) {
        List<Map<String, Object>> list = new ArrayList<>();
        lines.forEach((name, values) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("name", name);
            line.put("values", values);
            list.add(line);
        });
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("__typename", "Series");
        series.put("labels", labels);
        series.put("lines", list);
        return (Map<String, Object>) norm(series);
    }

    Map<String, Object> revenueTrend() {
        List<String> labels = new ArrayList<>();
        List<Object> revenue = new ArrayList<>();
        List<Object> refunds = new ArrayList<>();
        List<Object> net = new ArrayList<>();
        List<Object> orders = new ArrayList<>();
        List<Object> average = new ArrayList<>();
        for (YearMonth month : months()) {
            LocalDate first = month.atDay(1).isBefore(from) ? from : month.atDay(1);
            LocalDate last = month.atEndOfMonth().isAfter(to) ? to : month.atEndOfMonth();
            List<Order> in = countedIn(first, last);
            labels.add(month.toString());
            revenue.add(sum(in));
            refunds.add(refunds(first, last));
            net.add(sum(in).subtract(refunds(first, last)));
            orders.add(in.size());
            average.add(perEach(sum(in), in.size()));
        }
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("revenue", revenue);
        lines.put("refunds", refunds);
        lines.put("netRevenue", net);
        lines.put("orders", orders);
        lines.put("averageOrderValue", average);
        return series(labels, lines);
    }

    /** value and previous of a KPI: [this period, the one before]. */
    Object[] kpi(String metric) {
        long days = java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
        LocalDate[][] periods = {{from, to}, {from.minusDays(days), from.minusDays(1)}};
        Object[] values = new Object[2];
        for (int i = 0; i < 2; i++) {
            LocalDate first = periods[i][0];
            LocalDate last = periods[i][1];
            List<Order> in = countedIn(first, last);
            values[i] = switch (metric) {
                case "REVENUE" -> sum(in);
                case "NET_REVENUE" -> sum(in).subtract(refunds(first, last));
                case "ORDERS" -> in.size();
                case "AVERAGE_ORDER_VALUE" -> perEach(sum(in), in.size());
                case "NEW_CUSTOMERS" -> firstOrders().values().stream()
                        .filter(o -> !local(o).isBefore(first) && !local(o).isAfter(last)).count();
                default -> throw new IllegalArgumentException(metric);
            };
        }
        return values;
    }

    /** Each admitted customer's first counted order before the period's end (ties by writing order). */
    private Map<String, Order> firstOrders() {
        Map<String, Order> firsts = new LinkedHashMap<>();
        countedUntilEnd().stream().filter(o -> o.customer() != null).sorted(Comparator.comparing(Order::at))
                .forEach(o -> firsts.putIfAbsent(o.customer(), o));
        return firsts;
    }

    private Map<String, Order> secondOrders() {
        Map<String, Order> firsts = firstOrders();
        Map<String, Order> seconds = new LinkedHashMap<>();
        countedUntilEnd().stream().filter(o -> o.customer() != null).sorted(Comparator.comparing(Order::at))
                .filter(o -> o != firsts.get(o.customer())).forEach(o -> seconds.putIfAbsent(o.customer(), o));
        return seconds;
    }

    Map<String, Object> customersBySegment() {
        Map<String, Long> counts = StoreData.CUSTOMERS.stream().filter(c -> admitted(c.key()))
                .collect(Collectors.groupingBy(c -> Objects.requireNonNullElse(c.segment(), "No segment"), Collectors.counting()));
        List<String> labels = counts.keySet().stream().sorted(Comparator.comparing((String s) -> -counts.get(s)).thenComparing(s -> s)).toList();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("customers", labels.stream().map(counts::get).toList());
        lines.put("share", labels.stream().map(s -> share(counts.get(s), total)).toList());
        return series(labels, lines);
    }

    Map<String, Object> revenueBySegment() {
        Map<String, List<Order>> bySegment = countedIn(from, to).stream().collect(Collectors.groupingBy(o -> o.customer() == null
                ? "No segment" : Objects.requireNonNullElse(StoreData.customer(o.customer()).segment(), "No segment")));
        List<String> labels = bySegment.keySet().stream()
                .sorted(Comparator.comparing((String s) -> sum(bySegment.get(s))).reversed().thenComparing(s -> s)).toList();
        BigDecimal total = sum(countedIn(from, to));
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("revenue", labels.stream().map(s -> sum(bySegment.get(s))).toList());
        lines.put("orders", labels.stream().map(s -> bySegment.get(s).size()).toList());
        lines.put("share", labels.stream().map(s -> share(sum(bySegment.get(s)).doubleValue(), total.doubleValue())).toList());
        return series(labels, lines);
    }

    /** Lifetime value as of the period's end, by customer key, of customers with a counted order by then. */
    Map<String, BigDecimal> lifetimeValues() {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        for (Order order : countedUntilEnd()) {
            if (order.customer() != null) {
                values.merge(order.customer(), order.total(), BigDecimal::add);
            }
        }
        for (StoreData.Return r : StoreData.RETURNS) {
            if (r.resolution().equals("Refund") && !r.date().isAfter(to) && values.containsKey(r.customer())) {
                values.merge(r.customer(), r.amount().negate(), BigDecimal::add);
            }
        }
        return values;
    }

    long ordersOf(String customer) {
        return countedUntilEnd().stream().filter(o -> customer.equals(o.customer())).count();
    }

    Map<String, Object> lifetimeValueDistribution(List<BigDecimal> edges) {
        long[] counts = new long[edges.size() + 1];
        for (BigDecimal value : lifetimeValues().values()) {
            int bucket = 0;
            while (bucket < edges.size() && value.compareTo(edges.get(bucket)) >= 0) {
                bucket++;
            }
            counts[bucket]++;
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i <= edges.size(); i++) {
            labels.add(i == 0 ? "under " + plain(edges.get(0)) : i == edges.size() ? plain(edges.get(i - 1)) + " and more"
                    : plain(edges.get(i - 1)) + " to " + plain(edges.get(i)));
        }
        return series(labels, Map.of("customers", java.util.Arrays.stream(counts).boxed().toList()));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    Map<String, Object> returnRateTrend() {
        Set<String> returned = StoreData.RETURNS.stream().map(StoreData.Return::order).collect(Collectors.toSet());
        List<String> labels = new ArrayList<>();
        List<Object> rates = new ArrayList<>();
        List<Object> orders = new ArrayList<>();
        List<Object> returnedOrders = new ArrayList<>();
        for (YearMonth month : months()) {
            List<Order> in = countedIn(month.atDay(1), month.atEndOfMonth());
            long withReturn = in.stream().filter(o -> returned.contains(o.number())).count();
            labels.add(month.toString());
            rates.add(share(withReturn, in.size()));
            orders.add(in.size());
            returnedOrders.add(withReturn);
        }
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("returnRate", rates);
        lines.put("orders", orders);
        lines.put("returnedOrders", returnedOrders);
        return series(labels, lines);
    }

    Map<String, Object> repeatPurchaseRate() {
        List<String> labels = new ArrayList<>();
        List<Object> rates = new ArrayList<>();
        List<Object> buyers = new ArrayList<>();
        List<Object> repeaters = new ArrayList<>();
        for (YearMonth month : months()) {
            Predicate<Order> byMonthEnd = o -> !local(o).isAfter(month.atEndOfMonth());
            long first = firstOrders().values().stream().filter(byMonthEnd).count();
            long second = secondOrders().values().stream().filter(byMonthEnd).count();
            labels.add(month.toString());
            rates.add(share(second, first));
            buyers.add(first);
            repeaters.add(second);
        }
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("repeatRate", rates);
        lines.put("customers", buyers);
        lines.put("repeatCustomers", repeaters);
        return series(labels, lines);
    }

    Map<String, Object> newVsReturningRevenue() {
        Map<String, Order> firsts = firstOrders();
        List<String> labels = new ArrayList<>();
        List<Object> fresh = new ArrayList<>();
        List<Object> returning = new ArrayList<>();
        for (YearMonth month : months()) {
            List<Order> in = countedIn(month.atDay(1), month.atEndOfMonth()).stream().filter(o -> o.customer() != null).toList();
            labels.add(month.toString());
            fresh.add(sum(in.stream().filter(o -> YearMonth.from(local(firsts.get(o.customer()))).equals(month)).toList()));
            returning.add(sum(in.stream().filter(o -> !YearMonth.from(local(firsts.get(o.customer()))).equals(month)).toList()));
        }
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("newCustomers", fresh);
        lines.put("returningCustomers", returning);
        return series(labels, lines);
    }

    Map<String, Object> cohortRetention() {
        Map<String, Order> firsts = firstOrders();
        List<YearMonth> months = months();
        List<List<Object>> customers = new ArrayList<>();
        List<List<Object>> retention = new ArrayList<>();
        List<List<Object>> revenue = new ArrayList<>();
        for (YearMonth cohort : months) {
            Set<String> members = firsts.entrySet().stream().filter(e -> YearMonth.from(local(e.getValue())).equals(cohort))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            List<Object> counts = new ArrayList<>();
            List<Object> shares = new ArrayList<>();
            List<Object> perMember = new ArrayList<>();
            for (int k = 0; k < months.size(); k++) {
                YearMonth month = cohort.plusMonths(k);
                if (month.isAfter(months.get(months.size() - 1))) {
                    counts.add(null);
                    shares.add(null);
                    perMember.add(null);
                    continue;
                }
                List<Order> in = countedUntilEnd().stream().filter(o -> members.contains(o.customer()))
                        .filter(o -> YearMonth.from(local(o)).equals(month)).toList();
                long active = in.stream().map(Order::customer).distinct().count();
                counts.add(active);
                shares.add(share(active, members.size()));
                perMember.add(perEach(sum(in), members.size()));
            }
            customers.add(counts);
            retention.add(shares);
            revenue.add(perMember);
        }
        List<String> columns = new ArrayList<>();
        for (int k = 0; k < months.size(); k++) {
            columns.add("Month " + k);
        }
        return matrix(months.stream().map(YearMonth::toString).toList(), columns,
                Map.of("customers", customers, "retention", retention, "revenuePerMember", revenue),
                List.of("customers", "retention", "revenuePerMember"));
    }

    static Map<String, Object> matrix(List<String> rows, List<String> columns, Map<String, ?> layers, List<String> order) {
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("__typename", "Matrix");
        matrix.put("rowLabels", rows);
        matrix.put("columnLabels", columns);
        matrix.put("layers", order.stream().map(name -> Map.of("name", name, "values", layers.get(name))).toList());
        return (Map<String, Object>) norm(matrix);
    }

    /** The RFM grid of the customers given scores: R5..R1 by FM1..FM5, FM = floor((F + M + 1) / 2). */
    Map<String, Object> rfmGrid() {
        List<List<Object>> customers = new ArrayList<>();
        List<List<Object>> revenue = new ArrayList<>();
        for (int r = 5; r >= 1; r--) {
            List<Object> counts = new ArrayList<>();
            List<Object> sums = new ArrayList<>();
            for (int fm = 1; fm <= 5; fm++) {
                int row = r;
                int column = fm;
                List<StoreData.Scores> cell = StoreData.SCORES.stream().filter(s -> admitted(s.customer()))
                        .filter(s -> s.r() == row && Math.floorDiv(s.f() + s.m() + 1, 2) == column).toList();
                counts.add(cell.size());
                sums.add(sum(countedIn(from, to).stream().filter(o -> cell.stream().anyMatch(s -> s.customer().equals(o.customer()))).toList()));
            }
            customers.add(counts);
            revenue.add(sums);
        }
        return matrix(List.of("R5", "R4", "R3", "R2", "R1"), List.of("FM1", "FM2", "FM3", "FM4", "FM5"),
                Map.of("customers", customers, "revenue", revenue), List.of("customers", "revenue"));
    }

    Map<String, Object> predictedClvBySource() {
        Map<String, List<StoreData.Scores>> bySource = StoreData.SCORES.stream().filter(s -> admitted(s.customer()))
                .collect(Collectors.groupingBy(s -> StoreData.customer(s.customer()).source()));
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        bySource.forEach((source, scores) -> totals.put(source,
                scores.stream().map(StoreData.Scores::predictedClv).reduce(BigDecimal.ZERO, BigDecimal::add)));
        List<String> labels = totals.keySet().stream()
                .sorted(Comparator.comparing((String s) -> totals.get(s)).reversed().thenComparing(s -> s)).toList();
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("customers", labels.stream().map(s -> bySource.get(s).size()).toList());
        lines.put("averagePredictedClv", labels.stream().map(s -> perEach(totals.get(s), bySource.get(s).size())).toList());
        lines.put("totalPredictedClv", labels.stream().map(totals::get).toList());
        return series(labels, lines);
    }

    /** The campaign rows: name, channel, launch, targeted, open rate (4 places), revenue, revenue per recipient. */
    List<List<String>> campaignRows(Map<String, String> campaignIds) {
        List<List<String>> rows = new ArrayList<>();
        StoreData.CAMPAIGNS.stream().filter(c -> !c.launch().isBefore(from) && !c.launch().isAfter(to))
                .sorted(Comparator.comparing(StoreData.Campaign::launch)).forEach(c -> {
                    List<StoreData.Receipt> receipts = StoreData.RECEIPTS.stream().filter(r -> r.campaign().equals(c.name()))
                            .filter(r -> admitted(r.customer())).toList();
                    long opened = receipts.stream().filter(StoreData.Receipt::opened).count();
                    BigDecimal revenue = receipts.stream().map(StoreData.Receipt::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
                    List<String> row = new ArrayList<>();
                    row.add(campaignIds.get(c.name()));
                    row.add(c.name());
                    row.add(c.channel());
                    row.add(c.launch().toString());
                    row.add(Integer.toString(receipts.size()));
                    row.add(receipts.isEmpty() ? null
                            : BigDecimal.valueOf((double) opened / receipts.size()).setScale(4, RoundingMode.HALF_UP).toPlainString());
                    row.add(revenue.setScale(2, RoundingMode.HALF_UP).toPlainString());
                    BigDecimal per = perEach(revenue, receipts.size());
                    row.add(per == null ? null : per.toPlainString());
                    rows.add(row);
                });
        return rows;
    }

    /** The YAML-only widget of the test board: sum of order totals in the period by status, all statuses. */
    Map<String, Object> ordersByStatus() {
        Map<String, List<Order>> byStatus = StoreData.ORDERS.stream()
                .filter(o -> !local(o).isBefore(from) && !local(o).isAfter(to)).collect(Collectors.groupingBy(Order::status));
        List<String> labels = byStatus.keySet().stream().sorted().toList();
        Map<String, List<?>> lines = new LinkedHashMap<>();
        lines.put("value", labels.stream().map(s -> sum(byStatus.get(s))).toList());
        lines.put("entries", labels.stream().map(s -> byStatus.get(s).size()).toList());
        return series(labels, lines);
    }
}
