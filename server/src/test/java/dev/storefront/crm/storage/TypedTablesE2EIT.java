package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Objects are plain typed DuckDB tables, so hand-written SQL over them just works. */
class TypedTablesE2EIT extends E2ESupport {

    @Autowired
    private DuckDb db;

    private Map<String, String> columnTypes(String table) {
        Map<String, String> types = new HashMap<>();
        db.read(tx -> tx.query(new SqlBuilder().sql("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ")
                .bind(table).build(), row -> types.put(row.getString(1), row.getString(2))));
        return types;
    }

    @Test
    void everyFieldIsATypedColumn() {
        assertThat(columnTypes("customers"))
                .containsEntry("id", "BIGINT").containsEntry("created_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("full_name", "VARCHAR").containsEntry("email", "VARCHAR")
                .containsEntry("company_id", "BIGINT").containsEntry("accepts_marketing", "BOOLEAN")
                .containsEntry("tags", "VARCHAR[]").containsEntry("total_orders", "BIGINT")
                .containsEntry("lifetime_value", "DECIMAL(18,2)").containsEntry("first_purchase_date", "DATE")
                .containsEntry("customer_segment", "VARCHAR");
        assertThat(columnTypes("orders")).containsEntry("order_date", "TIMESTAMP WITH TIME ZONE").containsEntry("customer_id", "BIGINT");
    }

    @Test
    void plainSqlQueriesTheTables() {
        // The shared server holds other tests' customers: count only the ones this test wrote. Lifetime
        // value is a rollup of the customer's orders, so each customer gets one order.
        String name = unique("Big Spender");
        for (String total : new String[] {"900.5", "400"}) {
            String id = run("mutation { createCustomer(input: { fullName: \"" + name + "\", tags: [\"vip\"] }) { id } }")
                    .path("createCustomer.id").entity(String.class).get();
            run("mutation { createOrder(input: { orderNumber: \"" + unique("BIG") + "\", customerId: \"" + id + "\", totalAmount: "
                    + total + " }) { id } }");
        }
        long rich = db.read(tx -> tx.query(new SqlBuilder().sql("SELECT count(*) FROM customers WHERE full_name = ").bind(name)
                .sql(" AND lifetime_value > 500 AND list_contains(tags, 'vip')").build(), row -> row.getLong(1)).get(0));
        assertThat(rich).isEqualTo(1);
    }
}
