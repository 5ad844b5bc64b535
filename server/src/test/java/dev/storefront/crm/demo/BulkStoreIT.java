package dev.storefront.crm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.ReadOnlySql;
import dev.storefront.crm.storage.SchemaStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo store from {@link DemoStore#BULK_FROM} customers up, generated inside DuckDB: sizes and totals agree. */
@SpringBootTest(properties = {"crm.demo=true", "crm.schema-dir=../schema", "crm.demo-store.customers=20000",
        "crm.demo-store.orders=150000"})
class BulkStoreIT {

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", () -> folder.resolve("bulk.duckdb").toString());
    }

    @Autowired
    ReadOnlySql sql;
    @Autowired
    DuckDb db;
    @Autowired
    SchemaStore tables;

    @Test
    void writesExactlyTheWantedCustomersAndOrders() {
        assertThat(value("SELECT count(*) FROM customers")).isEqualTo(20_000L);
        assertThat(value("SELECT count(*) FROM orders")).isEqualTo(150_000L);
        assertThat(value("SELECT count(DISTINCT id) FROM orders")).isEqualTo(150_000L);
        assertThat(value("SELECT count(DISTINCT email) FROM customers")).isEqualTo(20_000L);
    }

    @Test
    void theTablesHaveTheirIndexesAgainOnceWritten() {
        // Written without them (a 100M-order store's index entries outgrew memory in the one transaction), then rebuilt.
        assertThat(indexes("orders")).containsExactlyInAnyOrder("crm_ix_6_orders_id", "crm_ix_6_orders_customer_id");
        assertThat(indexes("order_items")).containsExactlyInAnyOrder("crm_ix_11_order_items_id",
                "crm_ix_11_order_items_order_id", "crm_ix_11_order_items_product_id");
    }

    @Test
    void customerTotalsAndOrderTotalsAddUp() {
        // The README's definitions: counted orders are not Cancelled; refunded returns lower the lifetime value.
        assertThat(value("SELECT count(*) FROM customers c LEFT JOIN (SELECT customer_id, count(*) AS n,"
                + " sum(total_amount) AS v FROM orders WHERE status IS DISTINCT FROM 'Cancelled' GROUP BY customer_id) o"
                + " ON o.customer_id = c.id LEFT JOIN (SELECT customer_id, sum(amount) AS r FROM returns"
                + " WHERE resolution = 'Refund' GROUP BY customer_id) r ON r.customer_id = c.id"
                + " WHERE c.total_orders <> coalesce(o.n, 0) OR c.lifetime_value <> coalesce(o.v, 0) - coalesce(r.r, 0)")).isEqualTo(0L);
        assertThat(value("SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) AS t"
                + " FROM order_items GROUP BY order_id) i ON i.order_id = o.id WHERE i.t <> o.total_amount")).isEqualTo(0L);
        assertThat(value("SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_id"
                + " WHERE r.customer_id <> o.customer_id OR r.return_date <= o.delivered_at::DATE")).isEqualTo(0L);
        assertThat(value("SELECT count(*) FROM support_tickets t JOIN orders o ON o.id = t.order_id"
                + " WHERE t.opened_at::DATE <= o.order_date::DATE OR t.customer_id <> o.customer_id")).isEqualTo(0L);
    }

    @Test
    void skewedLikeARealStore() {
        double oneTime = value("SELECT count(*) FROM customers WHERE total_orders = 1") / 20_000.0;
        assertThat(oneTime).isBetween(0.35, 0.45);
        long heavy = value("SELECT count(*) FROM customers WHERE total_orders >= 40");
        long heavyOrders = value("SELECT coalesce(sum(total_orders), 0) FROM customers WHERE total_orders >= 40");
        assertThat(heavy).isLessThan(20_000 / 20);
        assertThat(heavyOrders).isGreaterThan(150_000 / 10);
        long december = value("SELECT count(*) FROM orders WHERE month(order_date) = 12");
        long march = value("SELECT count(*) FROM orders WHERE month(order_date) = 3");
        assertThat(december).isGreaterThan(march);
        assertThat(value("SELECT count(DISTINCT customer_segment) FROM customers")).isGreaterThanOrEqualTo(7L);
    }

    private List<String> indexes(String table) {
        return db.read(tx -> tables.indexesOf(tx, table));
    }

    private long value(String query) {
        List<List<Object>> rows = sql.run(query, new ReadOnlySql.Limits(Duration.ofSeconds(30), 1, 1000, 1000)).rows();
        return ((Number) rows.get(0).get(0)).longValue();
    }
}
