package dev.storefront.crm.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard widgets' questions as a developer would write them for DuckDB by hand (date_trunc,
 * FILTER, LIMIT), in UTC like the bench server, with the same definitions as the plugin: counted
 * orders are not Cancelled, refunds are returns resolved as Refund, lifetime value is counted
 * totals minus refunds as of the range's end. Empty months are filled in Java, as a chart would.
 * They do the plugin's work: all-time figures from the customers' stored metrics (first purchase
 * date, total orders, lifetime value) corrected by what came after the range, and days as whole
 * days of epoch microseconds rather than a time zone conversion per order.
 */
final class DashboardSql {

    private static final String COUNTED = "status IS DISTINCT FROM 'Cancelled'";
    private static final String DAY = "epoch_us(order_date) // 86400000000";

    private DashboardSql() {
    }

    static String answer(Connection db, DashboardWidget widget, LocalDate[] range) throws SQLException {
        LocalDate from = range[0];
        LocalDate to = range[1];
        OffsetDateTime start = from.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime previousStart = start.minusDays(java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1);
        return switch (widget) {
            case REVENUE -> stat(query(db, "SELECT sum(total_amount) FILTER (WHERE order_date >= ?), sum(total_amount) FILTER "
                    + "(WHERE order_date < ?), count(*) FROM orders WHERE " + COUNTED + " AND order_date >= ? AND order_date < ?",
                    start, start, previousStart, end));
            case NEW_CUSTOMERS -> stat(query(db, "SELECT count(*) FILTER (WHERE first_purchase_date >= ?), count(*) FILTER "
                    + "(WHERE first_purchase_date < ?) FROM customers WHERE first_purchase_date BETWEEN ? AND ?",
                    from, from, previousStart.toLocalDate(), to));
            case REVENUE_TREND -> {
                List<Object[]> rows = query(db, "SELECT " + month("d") + ", sum(n), sum(r) FROM (SELECT " + DAY + " AS d, count(*) AS n, "
                        + "sum(total_amount) AS r FROM orders WHERE " + COUNTED + " AND order_date >= ? AND order_date < ? GROUP BY 1) GROUP BY 1",
                        start, end);
                query(db, "SELECT date_trunc('month', return_date)::DATE, sum(amount) FROM returns WHERE resolution = 'Refund' "
                        + "AND return_date BETWEEN ? AND ? GROUP BY 1", from, to);
                yield months(from, to, rows, 2);
            }
            case CUSTOMERS_BY_SEGMENT -> labelled(query(db, "SELECT coalesce(customer_segment, 'No segment') AS s, count(*) AS n "
                    + "FROM customers GROUP BY 1 ORDER BY n DESC, s"));
            case REVENUE_BY_SEGMENT -> labelled(query(db, "SELECT coalesce(c.customer_segment, 'No segment') AS s, "
                    + "sum(o.total_amount) AS r, count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o."
                    + COUNTED + " AND o.order_date >= ? AND o.order_date < ? GROUP BY 1 ORDER BY r DESC, s", start, end));
            case TOP_CUSTOMERS -> labelled(query(db, lifetimeValues() + " SELECT c.id, v.ltv, c.full_name, c.email, c.customer_segment, "
                    + "v.n FROM v JOIN customers c ON c.id = v.customer_id ORDER BY v.ltv DESC, c.id LIMIT 10", end, to));
            case LIFETIME_VALUE_DISTRIBUTION -> {
                Object top = query(db, lifetimeValues() + " SELECT max(ltv) FROM v", end, to).get(0)[0];
                BigDecimal width = roundWidth(top == null ? 0 : ((Number) top).doubleValue() / 10);
                List<Object[]> rows = query(db, lifetimeValues() + " SELECT greatest(least(floor(ltv / ?), 9), 0)::INTEGER AS b, "
                        + "count(*) FROM v GROUP BY 1", end, to, width);
                Map<Integer, Double> counts = new HashMap<>();
                rows.forEach(r -> counts.put(((Number) r[0]).intValue(), ((Number) r[1]).doubleValue()));
                List<String> labels = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String low = width.multiply(BigDecimal.valueOf(i)).stripTrailingZeros().toPlainString();
                    String high = width.multiply(BigDecimal.valueOf(i + 1)).stripTrailingZeros().toPlainString();
                    labels.add(i == 0 ? "under " + high : i == 9 ? low + " and more" : low + " to " + high);
                    values.add(counts.getOrDefault(i, 0.0));
                }
                yield DashboardWidget.fingerprint(labels, values);
            }
            case RETURN_RATE -> months(from, to, query(db, "SELECT " + month("d") + ", sum(n), sum(r) FROM (SELECT " + DAY
                    + " AS d, count(*) AS n, count(*) FILTER (WHERE id IN (SELECT order_id FROM returns)) AS r FROM orders WHERE " + COUNTED
                    + " AND order_date >= ? AND order_date < ? GROUP BY 1) GROUP BY 1", start, end), 2);
            case REPEAT_PURCHASE_RATE -> {
                // Customers by the month of their second counted order: before the range when they had two before it.
                List<Object[]> rows = query(db, "WITH s AS (SELECT customer_id, count(*) AS since, min(" + DAY + ", 2) FILTER "
                        + "(WHERE order_date < ?) AS days FROM orders WHERE " + COUNTED + " AND customer_id IS NOT NULL AND (order_date >= ? "
                        + "OR order_date IS NULL) GROUP BY 1), t AS (SELECT c.total_orders - coalesce(s.since, 0) AS b, s.days FROM customers c "
                        + "LEFT JOIN s ON s.customer_id = c.id WHERE c.total_orders >= 2) SELECT CASE WHEN b >= 2 THEN ? ELSE "
                        + month("days[CASE WHEN b = 1 THEN 1 ELSE 2 END]") + " END, 0, count(*) FROM t WHERE b >= 2 OR len(days) >= 2 - b "
                        + "GROUP BY 1", end, start, from.withDayOfMonth(1));
                yield cumulative(from, to, rows);
            }
            case NEW_VS_RETURNING -> {
                // New: orders in the customer's first month; returning: the rest of the month's orders with a customer.
                List<Object[]> rows = query(db, customerMonths() + " SELECT o.m, sum(a) FROM o JOIN f USING (customer_id) "
                        + "WHERE o.m = f.fm GROUP BY 1", monthStart(from), end, from.withDayOfMonth(1), to);
                query(db, "SELECT " + DAY + ", sum(total_amount) FROM orders WHERE " + COUNTED + " AND customer_id IS NOT NULL "
                        + "AND order_date >= ? AND order_date < ? GROUP BY 1", monthStart(from), end);
                yield months(from, to, rows, 1);
            }
            case COHORT_RETENTION -> cohorts(from, to, query(db, customerMonths() + " SELECT f.fm, datediff('month', f.fm, o.m), "
                    + "count(DISTINCT customer_id), sum(a) FROM o JOIN f USING (customer_id) GROUP BY 1, 2",
                    monthStart(from), end, from.withDayOfMonth(1), to));
            case CAMPAIGN_RESULTS -> labelled(query(db, "SELECT c.id, count(r.id), c.campaign_name, c.channel, c.launch_date, "
                    + "count(*) FILTER (WHERE r.opened), sum(r.revenue) FROM campaigns c LEFT JOIN campaign_recipients r "
                    + "ON r.campaign_id = c.id WHERE c.launch_date BETWEEN ? AND ? GROUP BY ALL ORDER BY c.launch_date, c.id", from, to));
        };
    }

    /** The stored totals less the orders after the range's end and plus the refunds after its last day. */
    private static String lifetimeValues() {
        return "WITH s AS (SELECT customer_id, count(*) AS n, sum(total_amount) AS g FROM orders WHERE " + COUNTED
                + " AND customer_id IS NOT NULL AND (order_date >= ? OR order_date IS NULL) GROUP BY 1), r AS (SELECT customer_id, "
                + "sum(amount) AS refunds FROM returns WHERE resolution = 'Refund' AND (return_date > ? OR return_date IS NULL) GROUP BY 1), "
                + "v AS (SELECT c.id AS customer_id, c.total_orders - coalesce(s.n, 0) AS n, c.lifetime_value - coalesce(s.g, 0) "
                + "+ coalesce(r.refunds, 0) AS ltv FROM customers c LEFT JOIN s ON s.customer_id = c.id LEFT JOIN r ON r.customer_id = c.id "
                + "WHERE c.total_orders - coalesce(s.n, 0) > 0)";
    }

    /** Orders from the range's first month on, and the customers whose first purchase is in the range's months. */
    private static String customerMonths() {
        return "WITH o AS (SELECT customer_id, " + month(DAY) + " AS m, total_amount AS a FROM orders WHERE " + COUNTED
                + " AND customer_id IS NOT NULL AND order_date >= ? AND order_date < ?), f AS (SELECT id AS customer_id, "
                + "date_trunc('month', first_purchase_date)::DATE AS fm FROM customers WHERE first_purchase_date BETWEEN ? AND ?)";
    }

    /** The first day of the month of a day number (days since 1970-01-01). */
    private static String month(String day) {
        return "date_trunc('month', DATE '1970-01-01' + CAST(" + day + " AS INTEGER))::DATE";
    }

    private static OffsetDateTime monthStart(LocalDate day) {
        return day.withDayOfMonth(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code raw}: the plugin's chosen bucket width. */
    private static BigDecimal roundWidth(double raw) {
        if (raw <= 0) {
            return BigDecimal.ONE;
        }
        BigDecimal power = BigDecimal.ONE.movePointRight((int) Math.floor(Math.log10(raw)));
        for (String step : List.of("1", "2", "2.5", "5", "10")) {
            BigDecimal width = power.multiply(new BigDecimal(step));
            if (width.doubleValue() >= raw) {
                // 1E+2 has a negative scale, which DuckDB's JDBC driver refuses as a parameter.
                return width.scale() < 0 ? width.setScale(0) : width;
            }
        }
        throw new IllegalStateException("no width for " + raw);
    }

    private static String stat(List<Object[]> rows) {
        Object[] row = rows.get(0);
        return DashboardWidget.fingerprint(List.of(), java.util.Arrays.asList(number(row[0]), number(row[1])));
    }

    private static String labelled(List<Object[]> rows) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Object[] row : rows) {
            labels.add(String.valueOf(row[0]));
            values.add(number(row[1]));
        }
        return DashboardWidget.fingerprint(labels, values);
    }

    /** Monthly values of column {@code column}, every month of the range, 0 where none. */
    private static String months(LocalDate from, LocalDate to, List<Object[]> rows, int column) {
        Map<LocalDate, Double> byMonth = new HashMap<>();
        rows.forEach(r -> byMonth.put((LocalDate) r[0], number(r[column])));
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            labels.add(m.toString());
            values.add(byMonth.getOrDefault(m.atDay(1), 0.0));
        }
        return DashboardWidget.fingerprint(labels, values);
    }

    /** Customers with a second counted order by each month's end. */
    private static String cumulative(LocalDate from, LocalDate to, List<Object[]> rows) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            double seconds = 0;
            for (Object[] row : rows) {
                if (!((LocalDate) row[0]).isAfter(m.atDay(1))) {
                    seconds += ((Number) row[2]).doubleValue();
                }
            }
            labels.add(m.toString());
            values.add(seconds);
        }
        return DashboardWidget.fingerprint(labels, values);
    }

    /** Active customers per cohort month and months since; null after the range's last month. */
    private static String cohorts(LocalDate from, LocalDate to, List<Object[]> rows) {
        Map<String, Double> cells = new HashMap<>();
        rows.forEach(r -> cells.put(r[0] + "/" + ((Number) r[1]).intValue(), number(r[2])));
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            months.add(m);
        }
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (YearMonth cohort : months) {
            labels.add(cohort.toString());
            for (int k = 0; k < months.size(); k++) {
                values.add(cohort.plusMonths(k).isAfter(months.get(months.size() - 1)) ? null
                        : cells.getOrDefault(cohort.atDay(1) + "/" + k, 0.0));
            }
        }
        return DashboardWidget.fingerprint(labels, values);
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static List<Object[]> query(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = result.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
