package dev.storefront.crm.clv;

import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;

/**
 * The plugin's read-only SQL over the typed tables ({@code orders}, {@code customers}); values are
 * always bound. Every query starts from the same purchase histories as of a date, so the fit and
 * the scores see the same customers.
 */
final class ClvQueries {

    /**
     * One row per customer with counted orders on or before the as-of day: x = purchase days after the
     * first (same-day orders are one purchase, their values added, an order without a total adding 0,
     * as in the customer's Counted Order Total), the days from the first purchase day to the last and
     * to the as-of day, the mean value of the repeat purchase days, and the last purchase day. Counted
     * orders are those the customer's Total Orders counts (the host's condition). The repeat days' value
     * is all days' minus the first day's: an aggregate, where numbering the days would sort every
     * purchase day. The parameters are those of the order's day, those of the counted condition, then
     * twice the as-of day as a day number (days since 1970-01-01).
     */
    private static final String HISTORIES = """
            orders_by_day AS (
              SELECT customer_id, {order_day} AS day, total_amount
              FROM orders
              WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND ({counted})
            ), purchase_days AS (
              SELECT customer_id, day, coalesce(sum(total_amount), 0) AS value
              FROM orders_by_day
              WHERE day <= ?
              GROUP BY customer_id, day
            ), histories AS (
              SELECT customer_id, count(*) - 1 AS x, max(day) - min(day) AS tx_days, ? - min(day) AS t_days,
                     CAST(sum(value) - arg_min(value, day) AS DOUBLE) / nullif(count(*) - 1, 0) AS m,
                     max(day) AS last_day
              FROM purchase_days
              GROUP BY customer_id
            )""";

    /**
     * Both models' statistics in one pass: rows with {@code spend = 0} are the BG/NBD sufficient
     * statistics, distinct (x, t_x days, T days) with their customer counts; rows with {@code spend = 1}
     * are the Gamma-Gamma data, distinct (x, m) (the plugin keeps those of repeat buyers with a
     * positive mean value, the model's spend per order being positive).
     */
    private static final String STATISTICS = "WITH " + HISTORIES + """

            SELECT GROUPING(tx_days, t_days) > 0 AS spend, x, tx_days, t_days, m, count(*) AS n
            FROM histories
            GROUP BY GROUPING SETS ((x, tx_days, t_days), (x, m))""";

    /**
     * Every customer's scores as of a day: first the parameters of the histories, then r, alpha, a, b,
     * p, q, v, then four arrays (as text) giving, for each distinct (x, T days), the 2F1 survival term
     * of the 90- and 365-day forecasts (computed in Java: SQL has no 2F1). Customers without counted
     * orders get empty scores. Expected order value is Gamma-Gamma's p (v + x m) / (p x + q - 1), as
     * {@code lifetimes} predicts it for every customer (the fit keeps those with m > 0): x = 0 gives the
     * store's mean p v / (q - 1); a negative m (credit notes) counts as 0, a customer spending nothing
     * per order. Tiers: High is the top 20% by predicted CLV (cumulative share of
     * customers with orders, ties together), Medium the next 40%, Low the rest.
     */
    private static final String SCORES = "WITH " + HISTORIES + """
            , model AS (
              SELECT CAST(? AS DOUBLE) AS r, CAST(? AS DOUBLE) AS alpha, CAST(? AS DOUBLE) AS a, CAST(? AS DOUBLE) AS b,
                     CAST(? AS DOUBLE) AS p, CAST(? AS DOUBLE) AS q, CAST(? AS DOUBLE) AS v
            ), survival AS (
              SELECT CAST(unnest(?) AS BIGINT) AS x, CAST(unnest(?) AS BIGINT) AS t_days,
                     CAST(unnest(?) AS DOUBLE) AS g90, CAST(unnest(?) AS DOUBLE) AS g365
            ), dropout AS (
              SELECT h.*, s.g90, s.g365, model.*,
                     CASE WHEN h.x = 0 THEN NULL
                          ELSE ln(model.a / (model.b + h.x - 1))
                               + (model.r + h.x) * ln((model.alpha + h.t_days / 7.0) / (model.alpha + h.tx_days / 7.0)) END AS odds
              FROM histories h CROSS JOIN model JOIN survival s ON s.x = h.x AND s.t_days = h.t_days
            ), alive AS (
              SELECT *, CASE WHEN odds IS NULL THEN 1.0 WHEN odds > 700 THEN 0.0 ELSE 1.0 / (1.0 + exp(odds)) END AS p_alive,
                     p * (v + x * greatest(coalesce(m, 0), 0)) / (p * x + q - 1) AS order_value
              FROM dropout
            ), forecast AS (
              SELECT *, (a + b + x - 1) / (a - 1) * (1 - g90) * p_alive AS orders_90,
                        (a + b + x - 1) / (a - 1) * (1 - g365) * p_alive AS orders_365,
                        CASE WHEN x > 0 THEN tx_days / CAST(x AS DOUBLE) END AS gap_days
              FROM alive
            ), ranked AS (
              SELECT *, orders_365 * order_value AS clv,
                     cume_dist() OVER (ORDER BY orders_365 * order_value DESC) AS share
              FROM forecast
            )
            SELECT c.id,
                   f.p_alive AS probability_alive,
                   1 - f.p_alive AS churn_probability,
                   f.orders_90 AS expected_orders_90_days,
                   f.orders_365 AS expected_orders_365_days,
                   f.order_value AS expected_order_value,
                   f.clv AS predicted_clv_365_days,
                   f.gap_days AS average_days_between_orders,
                   CAST(DATE '1970-01-01' + CAST(f.last_day + round(f.gap_days) AS INTEGER) AS DATE) AS expected_next_order_date,
                   CASE WHEN f.share IS NULL THEN NULL WHEN f.share <= 0.2 THEN 'High'
                        WHEN f.share <= 0.6 THEN 'Medium' ELSE 'Low' END AS predicted_spend_tier
            FROM customers c LEFT JOIN ranked f ON f.customer_id = c.id""";

    /** Every customer with empty scores. */
    static final String NO_SCORES = """
            SELECT id, CAST(NULL AS DOUBLE) AS probability_alive, CAST(NULL AS DOUBLE) AS churn_probability,
                   CAST(NULL AS DOUBLE) AS expected_orders_90_days, CAST(NULL AS DOUBLE) AS expected_orders_365_days,
                   CAST(NULL AS DOUBLE) AS expected_order_value, CAST(NULL AS DOUBLE) AS predicted_clv_365_days,
                   CAST(NULL AS DOUBLE) AS average_days_between_orders, CAST(NULL AS DATE) AS expected_next_order_date,
                   CAST(NULL AS VARCHAR) AS predicted_spend_tier
            FROM customers""";

    /** The instant of the first order, in microseconds since 1970: where a time zone's offsets must begin. */
    static String firstOrder(SqlDialect dialect) {
        return "SELECT " + dialect.epochMicros("min(order_date)") + " AS first_order FROM orders";
    }

    static String statistics(Selection day, Selection counted) {
        return histories(STATISTICS, day, counted);
    }

    static String scores(Selection day, Selection counted) {
        return histories(SCORES, day, counted);
    }

    private static String histories(String query, Selection day, Selection counted) {
        return query.replace("{order_day}", day.sql()).replace("{counted}", counted.sql());
    }

    private ClvQueries() {
    }
}
