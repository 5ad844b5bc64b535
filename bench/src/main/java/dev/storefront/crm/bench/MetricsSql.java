package dev.storefront.crm.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The customer metrics and segmentation rows by hand: the README's definitions of the metrics, the
 * recency-value rule set and Shopify's RFM scores as the DuckDB SQL a developer would write against
 * the file, each change guarded so unchanged rows are not rewritten (as the CRM does).
 */
final class MetricsSql {

    /**
     * Every metric of every customer from its orders and returns; quotients carried to 10 places and
     * stored to 4 (the columns' scale), as the README defines them.
     */
    private static final String METRICS = """
            WITH o AS (SELECT customer_id, count(*) AS n, sum(total_amount) AS total, min(order_date)::DATE AS first_day,
                              max(order_date)::DATE AS last_day,
                              count(*) FILTER (WHERE id IN (SELECT order_id FROM returns %3$s)) AS returned
                       FROM orders WHERE status IS DISTINCT FROM 'Cancelled' AND customer_id IS NOT NULL %1$s GROUP BY 1),
                 r AS (SELECT customer_id, sum(amount) AS refunded FROM returns WHERE resolution = 'Refund'
                       AND customer_id IS NOT NULL %1$s GROUP BY 1),
                 m AS (SELECT c.id, coalesce(o.n, 0) AS total_orders, coalesce(o.total, 0) AS counted_order_total,
                              coalesce(r.refunded, 0) AS refunded_amount, o.first_day, o.last_day, coalesce(o.returned, 0) AS returned_orders
                       FROM customers c LEFT JOIN o ON o.customer_id = c.id LEFT JOIN r ON r.customer_id = c.id %2$s)
            SELECT id, total_orders, counted_order_total, refunded_amount, counted_order_total - refunded_amount AS lifetime_value,
                   round((counted_order_total / nullif(total_orders, 0))::DECIMAL(38,10), 2)::DECIMAL(18,4) AS average_order_value,
                   first_day, last_day, returned_orders,
                   (returned_orders / nullif(total_orders, 0))::DECIMAL(38,10)::DECIMAL(18,4) AS return_rate FROM m""";

    private static final String SET_METRICS = "UPDATE customers c SET total_orders = m.total_orders, counted_order_total = m.counted_order_total,"
            + " refunded_amount = m.refunded_amount, lifetime_value = m.lifetime_value, average_order_value = m.average_order_value,"
            + " first_purchase_date = m.first_day, last_purchase_date = m.last_day, returned_orders = m.returned_orders,"
            + " return_rate = m.return_rate, updated_at = now() FROM (" + METRICS + ") m WHERE c.id = m.id AND ("
            + "c.total_orders IS DISTINCT FROM m.total_orders OR c.counted_order_total IS DISTINCT FROM m.counted_order_total"
            + " OR c.refunded_amount IS DISTINCT FROM m.refunded_amount OR c.lifetime_value IS DISTINCT FROM m.lifetime_value"
            + " OR c.average_order_value IS DISTINCT FROM m.average_order_value OR c.first_purchase_date IS DISTINCT FROM m.first_day"
            + " OR c.last_purchase_date IS DISTINCT FROM m.last_day OR c.returned_orders IS DISTINCT FROM m.returned_orders"
            + " OR c.return_rate IS DISTINCT FROM m.return_rate)";

    /**
     * The metrics a customer without orders holds, each 0 (the others, averages, rates and dates, stay empty),
     * as the CRM stores them for a new customer: a full recompute then changes nothing for it on either side.
     */
    static final String ZERO_METRICS = "total_orders, counted_order_total, refunded_amount, lifetime_value, returned_orders";

    /** recency-value: the first matching segment, as the rule set's YAML orders them. */
    private static final String CLASSIFY = "SELECT id, customer_segment AS old_segment, CASE"
            + " WHEN lifetime_value > 500 AND total_orders > 3 THEN 'VIP' WHEN total_orders > 1 AND d < 30 THEN 'Loyal'"
            + " WHEN d >= 30 AND d <= 90 THEN 'At Risk' WHEN d > 90 THEN 'Churned' WHEN d_first < 30 THEN 'New' END AS segment"
            + " FROM (SELECT *, date_diff('day', last_purchase_date, ?::DATE) AS d, date_diff('day', first_purchase_date, ?::DATE)"
            + " AS d_first FROM customers)";

    private static final String RFM = """
            WITH s AS (SELECT id, date_diff('day', last_purchase_date, ?::DATE) AS days, total_orders, lifetime_value
                       FROM customers WHERE total_orders > 0),
                 n AS (SELECT count(*) AS n FROM s),
                 scored AS (SELECT s.id, (1 + floor(5 * (rank() OVER (ORDER BY days DESC) - 1) / n.n))::BIGINT AS r,
                                   (1 + floor(5 * (rank() OVER (ORDER BY total_orders) - 1) / n.n))::BIGINT AS f,
                                   (1 + floor(5 * (rank() OVER (ORDER BY lifetime_value) - 1) / n.n))::BIGINT AS m FROM s, n),
                 g (r, fm, name) AS (VALUES (5, 1, 'New'), (5, 2, 'Promising'), (5, 3, 'Active'), (5, 4, 'Champions'), (5, 5, 'Champions'),
                   (4, 1, 'Promising'), (4, 2, 'Promising'), (4, 3, 'Active'), (4, 4, 'Loyal'), (4, 5, 'Champions'),
                   (3, 1, 'Needs Attention'), (3, 2, 'Needs Attention'), (3, 3, 'Needs Attention'), (3, 4, 'Loyal'), (3, 5, 'Loyal'),
                   (2, 1, 'Almost Lost'), (2, 2, 'Almost Lost'), (2, 3, 'At Risk'), (2, 4, 'At Risk'), (2, 5, 'Previously Loyal'),
                   (1, 1, 'Dormant'), (1, 2, 'Dormant'), (1, 3, 'Almost Lost'), (1, 4, 'Previously Loyal'), (1, 5, 'Previously Loyal'))
            UPDATE customers c SET r_score = x.r, f_score = x.f, m_score = x.m, rfm_group = x.name, updated_at = now()
            FROM (SELECT c.id, scored.r, scored.f, scored.m, coalesce(g.name, 'Prospects') AS name FROM customers c
                  LEFT JOIN scored ON scored.id = c.id LEFT JOIN g ON g.r = scored.r AND g.fm = floor((scored.f + scored.m + 1) / 2)) x
            WHERE c.id = x.id AND (c.r_score IS DISTINCT FROM x.r OR c.f_score IS DISTINCT FROM x.f OR c.m_score IS DISTINCT FROM x.m
                  OR c.rfm_group IS DISTINCT FROM x.name)""";

    /** Order ids continue from the largest, read once: this side is the only writer. */
    private final AtomicLong nextOrderId = new AtomicLong();

    /** Recomputes every customer's metrics in one statement; returns the customers changed. */
    String recompute(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SET_METRICS.formatted("", "", ""))) {
            return Fingerprints.changed(update.executeUpdate());
        }
    }

    /** Records the moves and sets the segments in one transaction; answers the moves and the counts after. */
    String reclassify(Connection connection, LocalDate asOf) throws SQLException {
        int moved = SqlStore.inTransaction(connection, () -> {
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO segment_changes (id, created_at, updated_at,"
                    + " customer_id, rule_set, from_segment, to_segment, changed_at, as_of) SELECT (SELECT coalesce(max(id), 0) FROM"
                    + " segment_changes) + row_number() OVER (), now(), now(), id, 'recency-value', old_segment, segment, now(), ?::DATE"
                    + " FROM (" + CLASSIFY + ") WHERE old_segment IS DISTINCT FROM segment");
                 PreparedStatement set = connection.prepareStatement("UPDATE customers c SET customer_segment = k.segment,"
                         + " updated_at = now() FROM (" + CLASSIFY + ") k WHERE c.id = k.id AND k.old_segment IS DISTINCT FROM k.segment")) {
                for (int i = 1; i <= 3; i++) {
                    record.setObject(i, asOf);
                }
                int recorded = record.executeUpdate();
                set.setObject(1, asOf);
                set.setObject(2, asOf);
                set.executeUpdate();
                return recorded;
            }
        });
        return Fingerprints.segments(moved, counts(connection, "customer_segment"));
    }

    String scoreRfm(Connection connection, LocalDate asOf) throws SQLException {
        int changed;
        try (PreparedStatement update = connection.prepareStatement(RFM)) {
            update.setObject(1, asOf);
            changed = update.executeUpdate();
        }
        return Fingerprints.segments(changed, counts(connection, "rfm_group"));
    }

    /**
     * One order, and with a customer that customer's metrics (one guarded UPDATE from its orders and
     * returns), in one transaction. The returns looked up are those of the customer's orders, as the
     * CRM's statement for a single write asks: all of them would build a hash table of every return.
     */
    void createOrder(Connection connection, String number, Long customer) throws SQLException {
        SqlStore.inTransaction(connection, () -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, created_at, updated_at, order_number,"
                    + " customer_id, order_date, total_amount, currency, status) VALUES (?, now(), now(), ?, ?, ?, 25.00, 'USD', 'Delivered')")) {
                insert.setLong(1, nextOrderId(connection));
                insert.setString(2, number);
                insert.setObject(3, customer);
                insert.setObject(4, OffsetDateTime.now());
                insert.executeUpdate();
            }
            if (customer != null) {
                try (PreparedStatement update = connection.prepareStatement(
                        SET_METRICS.formatted("AND customer_id IN (?)", "WHERE c.id IN (?)",
                                "WHERE order_id IN (SELECT id FROM orders WHERE customer_id IN (?))"))) {
                    for (int i = 1; i <= 4; i++) {
                        update.setLong(i, customer);
                    }
                    update.executeUpdate();
                }
            }
            return null;
        });
    }

    private static Map<String, Long> counts(Connection connection, String column) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + column + ", count(*) FROM customers WHERE "
                + column + " IS NOT NULL GROUP BY 1");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    private long nextOrderId(Connection connection) throws SQLException {
        if (nextOrderId.get() == 0) {
            try (PreparedStatement max = connection.prepareStatement("SELECT coalesce(max(id), 0) + 1 FROM orders");
                 ResultSet rows = max.executeQuery()) {
                rows.next();
                nextOrderId.compareAndSet(0, rows.getLong(1));
            }
        }
        return nextOrderId.getAndIncrement();
    }
}
