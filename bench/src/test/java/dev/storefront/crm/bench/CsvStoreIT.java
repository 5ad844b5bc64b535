package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store given as CSV files goes through the real server's generic importers, relations by unique field. */
class CsvStoreIT {

    @TempDir
    Path dir;

    private Options options() {
        return Options.parse(new String[] {"--jar", "../server/target/storefront-crm.jar", "--schema", "../schema",
                "--csv", dir.toString(), "--data", dir.resolve("data").toString()});
    }

    private void write(String customers, String orders, String tickets) throws Exception {
        Files.writeString(dir.resolve("customers.csv"), customers);
        Files.writeString(dir.resolve("orders.csv"), orders);
        Files.writeString(dir.resolve("support_tickets.csv"), tickets);
    }

    @Test
    void loadsTheFilesThroughTheImportersAndComputesTotals() throws Exception {
        write("""
                id,full_name,email,customer_segment,tags
                7,Ann Lee,ann@example.com,Potential Loyal,"[""vip"",""b2b""]"
                8,Bo Chan,bo@example.com,New,[]
                """, """
                id,order_number,customer.email,order_date,total_amount,status
                1,A-1,ann@example.com,2025-03-03 19:22:07+00,100.5,Delivered
                2,A-2,ann@example.com,2025-05-01 08:00:00.25+00,49.5,Shipped
                3,B-1,bo@example.com,2025-04-02T10:00:00Z,20,Pending
                """, """
                customer.email,order.order_number,subject,priority,status,opened_at
                bo@example.com,B-1,Where is my parcel?,High,Open,2025-04-05 09:00:00+00
                """);
        Path base = dir.resolve("store/crm.duckdb");

        CsvStore.load(options(), base);

        assertThat(CsvStore.counts(base)).containsEntry("customers", 2L).containsEntry("orders", 3L).containsEntry("support_tickets", 1L);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            assertThat(rows(statement, "SELECT c.email, c.total_orders, c.lifetime_value, c.first_purchase_date, c.tags, c.customer_segment"
                    + " FROM customers c ORDER BY c.email")).containsExactly(
                    "ann@example.com|2|150.00|2025-03-03|[vip, b2b]|Potential Loyal",
                    "bo@example.com|1|20.00|2025-04-02|[]|New");
            assertThat(rows(statement, "SELECT o.order_number, c.email FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY 1"))
                    .containsExactly("A-1|ann@example.com", "A-2|ann@example.com", "B-1|bo@example.com");
            assertThat(rows(statement, "SELECT c.email, o.order_number, t.priority FROM support_tickets t"
                    + " JOIN customers c ON c.id = t.customer_id JOIN orders o ON o.id = t.order_id"))
                    .containsExactly("bo@example.com|B-1|High");
        }
    }

    @Test
    void aBadRowFailsTheLoadNamingIt() throws Exception {
        write("full_name,email\nAnn,not-an-email\n", "order_number\nA-1\n", "subject\nHi\n");

        assertThatThrownBy(() -> CsvStore.load(options(), dir.resolve("bad/crm.duckdb")))
                .hasMessageContaining("csv:customers").hasMessageContaining("not-an-email");
    }

    private static List<String> rows(Statement statement, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(result.getObject(i)));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
