package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.graphql.ResponseError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The read-only SQL console reads the CRM's tables and refuses everything else, over GraphQL and POST /sql. */
class SqlConsoleE2EIT extends E2ESupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpResponse<String> post(String query) throws Exception {
        return HttpClient.newHttpClient().send(authorized(URI.create(baseUrl() + "/sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsTheCrmsTables() throws Exception {
        String sally = run("mutation { createCustomer(input: { fullName: \"Sql Sally\", tags: [\"a\", \"b\"] }) { id } }")
                .path("createCustomer.id").entity(String.class).get();
        run("mutation { createOrder(input: { orderNumber: \"" + unique("sql") + "\", customerId: \"" + sally + "\", totalAmount: 777.5 }) { id } }");
        String query = "SELECT full_name, lifetime_value, tags, created_at IS NOT NULL AS stamped FROM customers WHERE full_name = 'Sql Sally'";
        run("query($q: String!) { sql(query: $q) { columns { name type } rows truncated } }", Map.of("q", query))
                .path("sql.columns[*].name").entityList(String.class).containsExactly("full_name", "lifetime_value", "tags", "stamped")
                .path("sql.rows[0]").entity(List.class).isEqualTo(List.of("Sql Sally", 777.5, List.of("a", "b"), true))
                .path("sql.truncated").entity(Boolean.class).isEqualTo(false);

        HttpResponse<String> response = post("SELECT count(*) AS n FROM customers WHERE full_name = 'Sql Sally'");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("rows").get(0).get(0).asInt()).isEqualTo(1);
        assertThat(body.path("columns").get(0).path("name").asString()).isEqualTo("n");
    }

    @Test
    void aQueryThatDoesNotBindIsTheCallersMistakeNotAServerError() throws Exception {
        HttpResponse<String> response = post("SELECT full_name, count(*) FROM customers");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("VALIDATION");
        assertThat(error.path("message").asString()).isEqualTo("The query failed: The column \"full_name\" is neither grouped"
                + " nor aggregated: add it to GROUP BY, or use an aggregate such as any_value(full_name)");
        assertThat(error("{ sql(query: \"SELECT no_such_column FROM customers\") { rows } }").getMessage())
                .isEqualTo("The query failed: There is no column \"no_such_column\" in the tables this query reads");
    }

    /** DuckDB's binder and catalog wording ("Binder Error: ... not found in FROM clause!") never reaches the store owner. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "SELECT full_nam FROM customers | There is no column \"full_nam\" in the tables this query reads; did you mean full_name?",
            "SELECT * FROM no_such_table | There is no table named \"no_such_table\"",
            "SELECT x.id FROM customers | \"x\" is not a table or alias of this query's FROM clause",
            "SELECT c.id FROM customers AS cc | \"c\" is not a table or alias of this query's FROM clause; did you mean cc?",
            "SELECT no_such_function(1) | There is no function named no_such_function",
            "SELECT lower(1, 2) | The function lower does not take arguments of these types (INTEGER, INTEGER)",
            "SELECT 'a' + 1 | The values given to + do not fit together (VARCHAR, INTEGER); convert one with CAST(value AS type)"})
    void bindingErrorsNameWhatIsUnknownInPlainWords(String query, String words) throws Exception {
        HttpResponse<String> response = post(query);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asString()).isEqualTo("The query failed: " + words);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM customers",
            "INSERT INTO customers (id) VALUES (999999)",
            "UPDATE customers SET full_name = 'x'",
            "DROP TABLE customers",
            "CREATE TABLE evil (x INT)",
            "ALTER TABLE customers ADD COLUMN evil INT",
            "ATTACH '/tmp/other.duckdb' AS other",
            "COPY customers TO '/tmp/leak.csv'",
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('/etc/hostname')",
            "SELECT * FROM glob('/etc/*')",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET enable_external_access = true",
            "PRAGMA database_list",
            "EXPORT DATABASE '/tmp/dump'",
            "SELECT 1; DELETE FROM customers",
            "CALL pragma_version()",
            "WITH u AS (UPDATE customers SET full_name = 'x' RETURNING id) SELECT * FROM u",
            "WITH d AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM d",
            "SELECT * FROM read_blob('staging/*')",
            "SELECT size FROM read_blob(current_setting('allowed_directories')[1] || '/*')",
            "SELECT * FROM read_text(current_setting('allowed_directories')[1] || '/../crm.duckdb')",
            "SELECT * FROM checkpoint()",
            "SELECT * FROM force_checkpoint()",
            "SELECT * FROM query('SELECT 1')",
            "SELECT * FROM '/etc/hostname.csv'"})
    void refusesAnythingButReadingTheCrmsTables(String attack) throws Exception {
        long before = run("{ customers { totalCount } }").path("customers.totalCount").entity(Long.class).get();

        ResponseError error = error("query($q: String!) { sql(query: $q) { rows } }", Map.of("q", attack));
        assertThat(error.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(error.getMessage()).containsAnyOf("Only a single SELECT statement", "Refused");

        HttpResponse<String> response = post(attack);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asString()).isEqualTo("VALIDATION");

        run("{ customers { totalCount } }").path("customers.totalCount").entity(Long.class).isEqualTo(before);
        run("{ objects { apiName } }").path("objects[*].apiName").entityList(String.class).contains("customers");
    }

    @Test
    void runsWithTheConfiguredMemoryLimitAndThreads() {
        run("{ sql(query: \"SELECT current_setting('memory_limit'), current_setting('threads')\") { rows } }")
                .path("sql.rows[0]").entity(List.class).isEqualTo(List.of("244.1 MiB", 2));
    }

    @Test
    void capsTheSizeOfRowsAndOfTheWholeResult() {
        // Rows too long fail inside DuckDB, before the driver copies a chunk of them into the heap.
        ResponseError tooLong = error("{ sql(query: \"SELECT repeat('x', 100000) FROM range(60)\") { rows } }");
        assertThat(tooLong.getMessage()).isEqualTo("A row of the result is longer than 1000 characters (crm.sql.max-row-chars); "
                + "select fewer or shorter values");
        // The probe's query, 60 rows of 100 MB: refused for its size, or cancelled at the deadline on a busy machine.
        ResponseError huge = error("{ sql(query: \"SELECT repeat('x', 100000000) FROM range(60)\") { rows } }");
        assertThat(huge.getExtensions()).containsEntry("code", "VALIDATION");
        run("{ sql(query: \"SELECT 1 AS one\") { rows } }").path("sql.rows[0][0]").entity(Integer.class).isEqualTo(1);
        // 900 characters a row ("[" + 900 + "]" as text is 902), 5,000 in all: five rows fit, the sixth would not.
        run("{ sql(query: \"SELECT repeat('y', 900) AS y FROM range(20)\") { rows truncated } }")
                .path("sql.rows").entityList(Object.class).hasSize(5)
                .path("sql.truncated").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void aliasesShareOneDeadline() {
        String slow = "count(*) FROM range(100000000000) a, range(10) b";
        long started = System.nanoTime();
        run("{ a: sql(query: \"SELECT " + slow + "\") { rows } b: sql(query: \"SELECT " + slow + "\") { rows } "
                + "c: sql(query: \"SELECT " + slow + "\") { rows } d: sql(query: \"SELECT " + slow + "\") { rows } }")
                .errors().satisfy(errors -> assertThat(errors).extracting(ResponseError::getMessage)
                        .containsOnly("The query was cancelled after 2 s").hasSize(4));
        // A timeout per alias would take 4 x 2 s; one deadline for the request ends them all at 2 s.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(6));
    }

    @Test
    void cancelsAQueryThatRunsTooLong() {
        ResponseError error = error("{ sql(query: \"SELECT count(*) FROM range(100000000000) a, range(10) b\") { rows } }");
        assertThat(error.getMessage()).isEqualTo("The query was cancelled after 2 s");
    }
}
