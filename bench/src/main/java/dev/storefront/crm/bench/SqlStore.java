package dev.storefront.crm.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.duckdb.DuckDBConnection;

/**
 * The same rows as hand-written SQL over JDBC on the same tables: what a developer would write
 * against the DuckDB file directly, one fresh statement per call, a connection per thread.
 */
final class SqlStore implements Store {

    static final String FILTER = "lifetime_value > 500 AND total_orders > 3 AND customer_segment IN ('VIP', 'Loyal')";

    private final DuckDBConnection root;
    private final Path exportFile;
    private final ThreadLocal<Connection> connections;
    private final List<Connection> opened = new ArrayList<>();
    private final MetricsSql metrics = new MetricsSql();

    SqlStore(Path database, Path exportFile) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        settings.setProperty("memory_limit", memoryLimit());
        this.root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath(), settings);
        try (Statement statement = root.createStatement()) {
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
            statement.execute("CREATE TABLE IF NOT EXISTS bench_webhooks (webhook_id VARCHAR UNIQUE, topic VARCHAR, shop VARCHAR,"
                    + " triggered_at TIMESTAMPTZ, body VARCHAR, state VARCHAR)");
        }
        this.exportFile = exportFile;
        this.connections = ThreadLocal.withInitial(() -> {
            try {
                Connection connection = root.duplicate();
                synchronized (opened) {
                    opened.add(connection);
                }
                return connection;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A quarter of the machine. DuckDB's own default, 80% of it, beside the server's share (half of what
     * its heap leaves) asks for more memory than the machine has once the tables outgrow it (the --huge
     * store): the two processes would be killed, not spill to disk.
     */
    private static String memoryLimit() {
        long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return machine / 4 / (1024 * 1024) + "MB";
    }

    /** Opening the file and answering a first query: the SQL side of "server start". */
    static double openMillis(Path database) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM customers")) {
            rows.next();
            return (System.nanoTime() - started) / 1e6;
        }
    }

    private Connection connection() {
        return connections.get();
    }

    @Override
    public String widget(DashboardWidget widget, LocalDate[] range) throws SQLException {
        return DashboardSql.answer(connection(), widget, range);
    }

    /**
     * The default board's questions one after another on one connection: each widget query once, the
     * four stats (revenue, orders and average order value share one statement), and the ticket count.
     */
    @Override
    public String board(LocalDate[] range) throws SQLException {
        int answered = 0;
        for (DashboardWidget widget : DashboardWidget.values()) {
            DashboardSql.answer(connection(), widget, range);
            answered++;
        }
        DashboardSql.answer(connection(), DashboardWidget.REVENUE, range);
        DashboardSql.answer(connection(), DashboardWidget.REVENUE, range);
        try (PreparedStatement statement = connection().prepareStatement("SELECT priority, count(*) FROM support_tickets "
                + "WHERE opened_at >= ? AND opened_at < ? GROUP BY 1")) {
            statement.setObject(1, range[0].atStartOfDay().atOffset(ZoneOffset.UTC));
            statement.setObject(2, range[1].plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            statement.executeQuery().close();
        }
        return (answered + 3) + " widgets";
    }

    @Override
    public String customerById(long id) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(
                "SELECT id, full_name, email, lifetime_value, customer_segment FROM customers WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(2) : null;
            }
        }
    }

    @Override
    public String filteredPage() throws SQLException {
        List<String> ids = longs("SELECT id, full_name, lifetime_value FROM customers WHERE " + FILTER
                + " ORDER BY lifetime_value DESC, last_purchase_date ASC, id LIMIT 50");
        return count("SELECT count(*) FROM customers WHERE " + FILTER) + " " + String.join(",", ids);
    }

    @Override
    public String pageWithLastOrders() throws SQLException {
        List<String> customers = longs("SELECT id, full_name FROM customers WHERE total_orders > 0 ORDER BY id LIMIT 50");
        if (customers.isEmpty()) {
            return "";
        }
        Map<Long, List<String>> orders = new TreeMap<>();
        try (Statement statement = connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT customer_id, id, order_number, order_date, total_amount, status"
                     + " FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY order_date DESC, id) AS rn"
                     + " FROM orders WHERE customer_id IN (" + String.join(",", customers) + ")) WHERE rn <= 5"
                     + " ORDER BY customer_id, rn")) {
            while (rows.next()) {
                orders.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(Long.toString(rows.getLong(2)));
                rows.getString(3);
                rows.getObject(4, OffsetDateTime.class);
                rows.getBigDecimal(5);
                rows.getString(6);
            }
        }
        List<String> parts = new ArrayList<>();
        for (String id : customers) {
            parts.add(id + ":" + String.join(",", orders.getOrDefault(Long.parseLong(id), List.of())));
        }
        return String.join(" ", parts);
    }

    @Override
    public String ticketCountFilter() throws SQLException {
        String busy = "SELECT customer_id FROM support_tickets WHERE customer_id IS NOT NULL AND opened_at >= ?"
                + " GROUP BY customer_id HAVING count(*) > 2";
        OffsetDateTime since = LocalDate.now(ZoneOffset.UTC).minusDays(180).atStartOfDay().atOffset(ZoneOffset.UTC);
        List<String> ids = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(
                "SELECT id FROM customers WHERE id IN (" + busy + ") ORDER BY id LIMIT 50")) {
            statement.setObject(1, since);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(Long.toString(rows.getLong(1)));
                }
            }
        }
        long total;
        try (PreparedStatement statement = connection().prepareStatement("SELECT count(*) FROM (" + busy + ")")) {
            statement.setObject(1, since);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                total = rows.getLong(1);
            }
        }
        return total + " " + String.join(",", ids);
    }

    @Override
    public String revenueByMonth() throws SQLException {
        int months = 0;
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        try (Statement statement = connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT date_trunc('month', order_date) AS month, sum(total_amount),"
                     + " count(*) FROM orders GROUP BY month ORDER BY month")) {
            while (rows.next()) {
                months++;
                rows.getObject(1);
                revenue = rows.getBigDecimal(2) == null ? revenue : revenue.add(rows.getBigDecimal(2));
                orders += rows.getLong(3);
            }
        }
        return Fingerprints.revenue(months, orders, revenue);
    }

    @Override
    public String customersBySegment() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement statement = connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT customer_segment, count(*) FROM customers GROUP BY customer_segment")) {
            while (rows.next()) {
                counts.put(Fingerprints.enumName(rows.getString(1)), rows.getLong(2));
            }
        }
        return counts.toString();
    }

    @Override
    public String recomputeCustomerMetrics() throws SQLException {
        return metrics.recompute(connection());
    }

    @Override
    public String reclassify(LocalDate asOf) throws SQLException {
        return metrics.reclassify(connection(), asOf);
    }

    @Override
    public String scoreRfm(LocalDate asOf) throws SQLException {
        return metrics.scoreRfm(connection(), asOf);
    }

    @Override
    public void createOrder(String number, Long customer) throws SQLException {
        metrics.createOrder(connection(), number, customer);
    }

    /** One transaction: the emails checked for duplicates, then one INSERT of unnested arrays. */
    @Override
    public int createCustomers(String tag, int count) throws SQLException {
        Connection connection = connection();
        String[] emails = new String[count];
        String[] names = new String[count];
        String[] lastNames = new String[count];
        Boolean[] marketing = new Boolean[count];
        for (int i = 0; i < count; i++) {
            emails[i] = Fingerprints.benchEmail(tag, i);
            names[i] = "Bench Buyer " + i;
            lastNames[i] = "Buyer " + i;
            marketing[i] = i % 2 == 0;
        }
        return inTransaction(connection, () -> {
            try (PreparedStatement check = connection.prepareStatement(
                    "SELECT count(*) FROM customers WHERE email IN (SELECT unnest(?::VARCHAR[]))")) {
                check.setArray(1, connection.createArrayOf("VARCHAR", emails));
                try (ResultSet rows = check.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        throw new IllegalStateException("Duplicate emails");
                    }
                }
            }
            long first;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM customers")) {
                rows.next();
                first = rows.getLong(1);
            }
            int inserted;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO customers (id, created_at, updated_at,"
                    + " full_name, first_name, last_name, email, accepts_marketing, tags, " + MetricsSql.ZERO_METRICS + ")"
                    + " SELECT ? + i - 1, now(), now(), names[i], 'Bench', last_names[i], emails[i], marketing[i], ['bench'], 0, 0, 0, 0, 0"
                    + " FROM (SELECT ?::VARCHAR[] AS names, ?::VARCHAR[] AS last_names, ?::VARCHAR[] AS emails,"
                    + " ?::BOOLEAN[] AS marketing), range(1, ? + 1) r(i)")) {
                insert.setLong(1, first);
                insert.setArray(2, connection.createArrayOf("VARCHAR", names));
                insert.setArray(3, connection.createArrayOf("VARCHAR", lastNames));
                insert.setArray(4, connection.createArrayOf("VARCHAR", emails));
                insert.setArray(5, connection.createArrayOf("BOOLEAN", marketing));
                insert.setInt(6, count);
                inserted = insert.executeUpdate();
            }
            return inserted;
        });
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /** {@code work} in one transaction on the connection, rolled back if it throws. */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void updateCustomer(long id, String notes) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(
                "UPDATE customers SET notes = ?, updated_at = now() WHERE id = ?")) {
            statement.setString(1, notes);
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    @Override
    public String addFieldAndRead(String label) throws SQLException {
        String column = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        try (Statement statement = connection().createStatement()) {
            statement.execute("ALTER TABLE customers ADD COLUMN " + column + " BIGINT");
            try (ResultSet rows = statement.executeQuery("SELECT id, " + column + " FROM customers LIMIT 1")) {
                rows.next();
            }
        }
        return column;
    }

    /** Per customer as of today: repeat purchase days x, days to the last and to today, mean repeat value. */
    private static final String CLV_HISTORIES = """
            WITH days AS (
              SELECT customer_id, CAST(order_date AS DATE) AS day, sum(total_amount) AS value FROM orders
              WHERE customer_id IS NOT NULL AND status <> 'Cancelled' AND CAST(order_date AS DATE) <= current_date
              GROUP BY ALL)
            SELECT customer_id, count(*) - 1 AS x, max(day) - min(day) AS tx_days, current_date - min(day) AS t_days,
                   (sum(value) - arg_min(value, day))::DOUBLE / nullif(count(*) - 1, 0) AS m, max(day) AS last_day
            FROM days GROUP BY customer_id""";

    /**
     * The CLV row by hand: the fit's statistics (distinct (x, t_x, T) and (x, m) with counts), then one
     * UPDATE of the nine scores, with 2F1 summed here once per distinct (x, T) and joined in as
     * arrays. Parameters are fixed (the published CDNOW ones): maximum likelihood is not SQL, and the
     * cost does not depend on their values.
     */
    @Override
    public String fitAndScoreClv() throws SQLException {
        double r = 0.2426;
        double alpha = 4.4135;
        double a = 0.7929;
        double b = 2.4258;
        long customers = 0;
        long repeat = 0;
        List<String> xs = new ArrayList<>();
        List<String> days = new ArrayList<>();
        List<String> g90 = new ArrayList<>();
        List<String> g365 = new ArrayList<>();
        try (Statement statement = connection().createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT x, tx_days, t_days, count(*) FROM (" + CLV_HISTORIES + ") GROUP BY ALL")) {
                Set<String> pairs = new HashSet<>();
                while (rows.next()) {
                    long x = rows.getLong(1);
                    long t = rows.getLong(3);
                    customers += rows.getLong(4);
                    repeat += x > 0 ? rows.getLong(4) : 0;
                    if (pairs.add(x + "/" + t)) {
                        xs.add(Long.toString(x));
                        days.add(Long.toString(t));
                        g90.add(Double.toString(survival(r, alpha, a, b, x, t / 7.0, 90 / 7.0)));
                        g365.add(Double.toString(survival(r, alpha, a, b, x, t / 7.0, 365 / 7.0)));
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT x, m, count(*) FROM (" + CLV_HISTORIES + ") WHERE x > 0 AND m > 0 GROUP BY ALL")) {
                while (rows.next()) {
                    rows.getDouble(2);
                }
            }
            for (String column : List.of("probability_alive", "churn_probability", "expected_orders_90_days", "expected_orders_365_days",
                    "expected_order_value", "predicted_clv_365_days", "average_days_between_orders")) {
                statement.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS " + column + " DECIMAL(18,4)");
            }
            statement.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS expected_next_order_date DATE");
            statement.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS predicted_spend_tier VARCHAR");
        }
        String update = "UPDATE customers SET probability_alive = s.alive, churn_probability = 1 - s.alive,"
                + " expected_orders_90_days = s.e90, expected_orders_365_days = s.e365, expected_order_value = s.value,"
                + " predicted_clv_365_days = s.e365 * s.value, average_days_between_orders = s.gap,"
                + " expected_next_order_date = s.last_day + CAST(round(s.gap) AS INTEGER),"
                + " predicted_spend_tier = CASE WHEN s.share <= 0.2 THEN 'High' WHEN s.share <= 0.6 THEN 'Medium' ELSE 'Low' END,"
                + " updated_at = now()"
                + " FROM (SELECT *, cume_dist() OVER (ORDER BY e365 * value DESC) AS share FROM ("
                + "   SELECT h.customer_id, h.last_day, alive, (? + ? + h.x - 1) / (? - 1) * (1 - g.g90) * alive AS e90,"
                + "          (? + ? + h.x - 1) / (? - 1) * (1 - g.g365) * alive AS e365,"
                + "          6.25 * (15.45 + coalesce(h.x * h.m, 0)) / (6.25 * CASE WHEN h.m IS NULL THEN 0 ELSE h.x END + 3.74 - 1) AS value,"
                + "          CASE WHEN h.x > 0 THEN h.tx_days / h.x END AS gap"
                + "   FROM (SELECT *, CASE WHEN x = 0 THEN 1.0 ELSE 1.0 / (1.0 + exp(least(700, ln(? / (? + x - 1))"
                + "                 + (? + x) * ln((? + t_days / 7.0) / (? + tx_days / 7.0))))) END AS alive FROM (" + CLV_HISTORIES + ")) h"
                + "   JOIN (SELECT unnest(?::BIGINT[]) AS x, unnest(?::BIGINT[]) AS t_days, unnest(?::DOUBLE[]) AS g90,"
                + "                unnest(?::DOUBLE[]) AS g365) g ON g.x = h.x AND g.t_days = h.t_days)) s"
                + " WHERE customers.id = s.customer_id";
        Connection connection = connection();
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            Object[] binds = {a, b, a, a, b, a, a, b, r, alpha, alpha};
            for (int i = 0; i < binds.length; i++) {
                statement.setObject(i + 1, binds[i]);
            }
            statement.setArray(12, connection.createArrayOf("VARCHAR", xs.toArray()));
            statement.setArray(13, connection.createArrayOf("VARCHAR", days.toArray()));
            statement.setArray(14, connection.createArrayOf("VARCHAR", g90.toArray()));
            statement.setArray(15, connection.createArrayOf("VARCHAR", g365.toArray()));
            statement.executeUpdate();
        }
        return Fingerprints.clv(customers, repeat);
    }

    /** ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) in Euler's form, summed term by term. */
    private static double survival(double r, double alpha, double a, double b, long x, double t, double h) {
        double z = h / (alpha + t + h);
        double sum = 1;
        double term = 1;
        for (int k = 0; k < 100_000 && Math.abs(term) > 1e-16 * Math.abs(sum); k++) {
            term *= (a + b - 1 - r + k) * (a - 1 + k) / ((a + b + x - 1 + k) * (k + 1)) * z;
            sum += term;
        }
        return Math.pow(1 - z, a - 1) * sum;
    }

    /** DuckDB's own COPY, which is what one would write by hand to export a table. */
    @Override
    public long exportCustomers() throws Exception {
        Files.deleteIfExists(exportFile);
        try (Statement statement = connection().createStatement()) {
            statement.execute("COPY customers TO '" + exportFile.toAbsolutePath().toString().replace("'", "''") + "' (HEADER)");
        }
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT count(*) FROM customers")) {
            rows.next();
            return rows.getLong(1);
        } finally {
            Files.deleteIfExists(exportFile);
        }
    }

    @Override
    public void settle() throws SQLException {
        try (Statement statement = connection().createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }

    /** What one would write by hand: one {@code INSERT ... SELECT FROM read_csv}, ids after the largest. */
    @Override
    public long importCustomers(Path file) throws SQLException {
        return insertFromCsv("INSERT INTO customers (id, created_at, updated_at, " + ImportFiles.CUSTOMER_COLUMNS + ")"
                + " SELECT m.id + row_number() OVER (), now(), now(), " + ImportFiles.CUSTOMER_COLUMNS
                + " FROM read_csv(?), (SELECT coalesce(max(id), 0) AS id FROM customers) m", file);
    }

    /** The same, with each order's customer found by email in one join. */
    @Override
    public long importOrders(Path file) throws SQLException {
        return insertFromCsv("INSERT INTO orders (id, created_at, updated_at, order_number, customer_id, order_date, total_amount,"
                + " currency, status, shipping_address) SELECT m.id + row_number() OVER (), now(), now(), r.order_number, c.id,"
                + " r.order_date, r.total_amount, r.currency, r.status, r.shipping_address FROM read_csv(?) r"
                + " LEFT JOIN customers c ON c.email = r.\"customer.email\", (SELECT coalesce(max(id), 0) AS id FROM orders) m", file);
    }

    /**
     * The same by hand for the WooCommerce export of one row per item: each order once (its first row), its customer by
     * billing email, its status from the slug; then every row an item of its order, found by number; one transaction.
     */
    @Override
    public long importWooPerItem(Path file) throws SQLException {
        Connection connection = connection();
        connection.setAutoCommit(false);
        try {
            insertFromCsv("INSERT INTO orders (id, created_at, updated_at, order_number, customer_id, order_date, total_amount, currency, status,"
                    + " shipping_address) SELECT m.id + row_number() OVER (), now(), now(), 'WC-' || r.order_id, c.id, r.date, r.order_total,"
                    + " r.order_currency, CASE r.status WHEN 'completed' THEN 'Fulfilled' WHEN 'cancelled' THEN 'Cancelled' WHEN 'failed'"
                    + " THEN 'Cancelled' WHEN 'refunded' THEN 'Refunded' ELSE 'Pending' END, concat_ws(' ', r.shipping_address_1,"
                    + " r.shipping_city, r.shipping_country) FROM (SELECT DISTINCT ON (order_id) * FROM read_csv(?) ORDER BY order_id) r"
                    + " LEFT JOIN customers c ON c.email = r.billing_email, (SELECT coalesce(max(id), 0) AS id FROM orders) m", file);
            long items = insertFromCsv("INSERT INTO order_items (id, created_at, updated_at, order_id, quantity, unit_price)"
                    + " SELECT m.id + row_number() OVER (), now(), now(), o.id, r.item_quantity, round(r.item_total / r.item_quantity, 2)"
                    + " FROM read_csv(?) r JOIN orders o ON o.order_number = 'WC-' || r.order_id,"
                    + " (SELECT coalesce(max(id), 0) AS id FROM order_items) m", file);
            connection.commit();
            return items;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * The files into tables as a developer would load them: DuckDB's read_json, customers, orders
     * (the lines without a parent) and line items (those with one), in one transaction.
     */
    @Override
    public long ingestShopifyBulk(BulkJsonl files) throws SQLException {
        String customers = files.customers().toAbsolutePath().toString().replace("'", "''");
        String orders = files.orders().toAbsolutePath().toString().replace("'", "''");
        Connection connection = connection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TABLE bench_shopify_customers AS SELECT id, firstName AS first_name,"
                    + " lastName AS last_name, defaultEmailAddress.emailAddress AS email, updatedAt::TIMESTAMPTZ AS updated_at, tags"
                    + " FROM read_json('" + customers + "')");
            statement.execute("CREATE OR REPLACE TABLE bench_shopify_orders AS SELECT id, name, createdAt::TIMESTAMPTZ AS order_date,"
                    + " totalPriceSet.shopMoney.amount::DECIMAL(18, 2) AS total_amount, currencyCode AS currency,"
                    + " customer.defaultEmailAddress.emailAddress AS customer_email FROM read_json('" + orders + "') WHERE __parentId IS NULL");
            statement.execute("CREATE OR REPLACE TABLE bench_shopify_items AS SELECT id, __parentId AS order_id, sku, quantity,"
                    + " originalUnitPriceSet.shopMoney.amount::DECIMAL(18, 2) AS unit_price FROM read_json('" + orders + "') WHERE __parentId IS NOT NULL");
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        return count("SELECT (SELECT count(*) FROM bench_shopify_customers) + (SELECT count(*) FROM bench_shopify_orders)"
                + " + (SELECT count(*) FROM bench_shopify_items)");
    }

    /** One autocommitted INSERT per delivery, skipped when its id is stored: what the plugin does before it answers. */
    @Override
    public void storeWebhook(WebhookIngest.Delivery delivery) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement("INSERT INTO bench_webhooks SELECT ?, 'customers/update', ?,"
                + " now(), ?, 'Received' WHERE NOT EXISTS (SELECT 1 FROM bench_webhooks WHERE webhook_id = ?)")) {
            statement.setString(1, delivery.webhookId());
            statement.setString(2, WebhookIngest.SHOP);
            statement.setString(3, delivery.body());
            statement.setString(4, delivery.webhookId());
            statement.executeUpdate();
        }
    }

    private long insertFromCsv(String sql, Path file) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, file.toAbsolutePath().toString());
            return statement.executeUpdate();
        }
    }

    private List<String> longs(String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                ids.add(Long.toString(rows.getLong(1)));
                for (int c = 2; c <= columns; c++) {
                    rows.getObject(c);
                }
            }
        }
        return ids;
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public double workflowRunsPerSecond(int count) throws SQLException {
        Connection connection = connection();
        try (Statement setup = connection.createStatement()) {
            setup.execute("CREATE OR REPLACE TEMP TABLE bench_moves AS SELECT id, id AS customer_id, 'Bench' AS to_segment,"
                    + " now() + INTERVAL 1 DAY AS changed_at FROM customers ORDER BY id LIMIT " + count);
            setup.execute("CREATE OR REPLACE TEMP TABLE bench_runs (run_key VARCHAR PRIMARY KEY, workflow VARCHAR, entry_object VARCHAR,"
                    + " entry_id BIGINT, trigger_event VARCHAR, state VARCHAR, next_step BIGINT, due_at TIMESTAMPTZ, attempts BIGINT,"
                    + " depth BIGINT, started_at TIMESTAMPTZ)");
        }
        long started = System.nanoTime();
        try (Statement insert = connection.createStatement()) {
            int runs = insert.executeUpdate("INSERT INTO bench_runs SELECT 'bench:segment_changes:' || m.id, 'bench', 'customers',"
                    + " m.customer_id, 'segment_changes:' || m.id, 'PENDING', 0, now(), 0, 0, now() FROM bench_moves m"
                    + " WHERE m.customer_id IS NOT NULL AND m.to_segment = 'Bench' AND m.changed_at >= now()"
                    + " AND NOT EXISTS (SELECT 1 FROM bench_runs r WHERE r.run_key = 'bench:segment_changes:' || m.id)");
            return runs / ((System.nanoTime() - started) / 1e9);
        }
    }

    @Override
    public void close() throws SQLException {
        synchronized (opened) {
            for (Connection connection : opened) {
                connection.close();
            }
        }
        root.close();
    }
}
