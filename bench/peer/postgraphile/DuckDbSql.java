import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * {@code java -cp duckdb_jdbc.jar DuckDbSql.java STORE FILE}: runs the statements of FILE (split at
 * a semicolon that ends a line) on the DuckDB database STORE, printing the first column of every row
 * a statement returns. The machine has no DuckDB command line; the JDBC driver is in the bench jar.
 */
public class DuckDbSql {

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
             Statement statement = connection.createStatement()) {
            for (String sql : Files.readString(Path.of(args[1])).split(";\\s*\\n")) {
                if (sql.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                    continue;
                }
                if (statement.execute(sql)) {
                    try (ResultSet rows = statement.getResultSet()) {
                        while (rows.next()) {
                            System.out.println(rows.getString(1));
                        }
                    }
                }
            }
        }
    }
}
