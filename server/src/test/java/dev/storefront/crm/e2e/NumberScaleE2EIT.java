package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.CrmApplication;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.ResponseError;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A number field's declared scale (money: 2) on its own database: values are stored with it and
 * answered with exactly that many decimals through GraphQL, aggregates, CSV export and CSV import;
 * changing it rounds what is stored; and a database made before scales existed is migrated when
 * the shipped model (money fields with scale 2) is applied at start.
 */
class NumberScaleE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
    }

    @Test
    void moneyKeepsItsScaleThroughGraphQlAggregatesExportAndImport() throws Exception {
        createObject("gauges", List.of(field("Name", "TEXT", "unique", true), field("Price", "NUMBER", "scale", 2),
                field("Weight", "NUMBER")));
        assertThat(scales("gauges")).containsExactly("name=null", "price=2", "weight=null");

        // The largest money value, a half cent either way (rounded away from zero, as DuckDB casts), a number literal.
        ok("mutation { createGauges(inputs: [{ name: \"max\", price: \"99999999999999.99\" },"
                + " { name: \"half\", price: \"0.005\", weight: 1.50 }, { name: \"minus\", price: \"-1.005\" },"
                + " { name: \"literal\", price: 129.9, weight: 2 }]) { id } }");
        assertThat(nodeLines("{ gauges(first: 10, orderBy: [{ field: ID }]) { nodes { name price weight } } }"))
                .containsExactly("max 99999999999999.99 null", "half 0.01 1.5", "minus -1.01 null", "literal 129.90 2");

        BigDecimal sum = new BigDecimal("99999999999999.99").add(new BigDecimal("0.01")).add(new BigDecimal("-1.01"))
                .add(new BigDecimal("129.90"));
        Map<String, Object> aggregate = first(ok("{ gaugesAggregate { count sum { price weight } avg { price weight }"
                + " min { price } max { price } } }"), "gaugesAggregate");
        assertThat(aggregate.get("sum")).isEqualTo(Map.of("price", sum.toPlainString(), "weight", "3.5"));
        assertThat(aggregate.get("avg")).isEqualTo(Map.of("price", sum.divide(BigDecimal.valueOf(4), 2, RoundingMode.HALF_EVEN)
                .toPlainString(), "weight", "1.75"));
        assertThat(aggregate.get("min")).isEqualTo(Map.of("price", "-1.01"));
        assertThat(aggregate.get("max")).isEqualTo(Map.of("price", "99999999999999.99"));

        HttpResponse<String> export = HTTP.send(authorized(URI.create(baseUrl() + "/export/gauges.csv?orderBy="
                + java.net.URLEncoder.encode("[{\"field\":\"ID\"}]", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(export.body().lines().skip(1).map(line -> String.join(",", List.of(line.split(",", -1)).subList(1, 4))))
                .containsExactly("max,99999999999999.99,", "half,0.01,1.5", "minus,-1.01,", "literal,129.90,2");

        HttpResponse<String> upload = HTTP.send(authorized(URI.create(baseUrl() + "/imports/csv:gauges"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("Name,Price\ncsv-round,12.345\ncsv-whole,7\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        awaitJob((String) JSON.readValue(upload.body(), Map.class).get("jobId"));
        assertThat(nodeLines("{ gauges(where: { name: { startsWith: \"csv-\" } }, orderBy: [{ field: ID }]) { nodes { name price weight } } }"))
                .containsExactly("csv-round 12.35 null", "csv-whole 7.00 null");
    }

    @Test
    void aNewScaleRoundsStoredValuesAndBadScalesAreRefused() {
        createObject("meters", List.of(field("Name", "TEXT"), field("Reading", "NUMBER")));
        ok("mutation { createMetersItem(input: { name: \"a\", reading: \"2.3456\" }) { id } }");
        assertThat(nodeLines("{ meters(first: 5) { nodes { name reading } } }")).containsExactly("a 2.3456");

        ok("mutation { updateField(object: \"meters\", field: \"reading\", input: { scale: 2 }) { apiName } }");
        assertThat(scales("meters")).containsExactly("name=null", "reading=2");
        assertThat(nodeLines("{ meters(first: 5) { nodes { name reading } } }")).containsExactly("a 2.35");

        ResponseError tooFine = error("mutation { updateField(object: \"meters\", field: \"reading\", input: { scale: 5 }) { apiName } }");
        assertThat(tooFine.getMessage()).isEqualTo("meters.reading: scale must be 0 to 4 decimal places, not 5");
        assertThat(tooFine.getExtensions()).containsEntry("code", "VALIDATION");
        ResponseError onText = error("mutation { updateField(object: \"meters\", field: \"name\", input: { scale: 2 }) { apiName } }");
        assertThat(onText.getMessage()).isEqualTo("meters.name: scale only number fields take a scale");
        assertThat(scales("meters")).containsExactly("name=null", "reading=2");
    }

    /** The shipped model declares money with scale 2: a database made without scales is converted at start. */
    @Test
    void aDatabaseFromBeforeScalesIsMigratedAtStart() throws Exception {
        Path database = newDatabaseFile();
        Path oldSchema = TestFolders.create("crm-schema-without-scale");
        try (Stream<Path> files = Files.list(Path.of("../schema"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String yaml = Files.readString(file).replace(", scale: 2}", "}").replace("    scale: 2\n", "");
                Files.writeString(oldSchema.resolve(file.getFileName()), yaml);
            }
        }
        String customer;
        try (ConfigurableApplicationContext first = start(database, oldSchema)) {
            URI endpoint = endpoint(first);
            customer = (String) first(post(endpoint, "mutation { createCustomer(input: { email: \"old@example.com\" }) { id } }"),
                    "createCustomer").get("id");
            post(endpoint, "mutation { createOrder(input: { orderNumber: \"OLD-1\", customerId: \"" + customer
                    + "\", totalAmount: \"42.5\", status: DELIVERED }) { id } }");
            assertThat(first(post(endpoint, "{ customer(id: \"" + customer + "\") { lifetimeValue orders { nodes { totalAmount } } } }"),
                    "customer")).isEqualTo(Map.of("lifetimeValue", "42.5", "orders", Map.of("nodes", List.of(Map.of("totalAmount", "42.5")))));
        }
        try (ConfigurableApplicationContext second = start(database, Path.of("../schema"))) {
            URI endpoint = endpoint(second);
            assertThat(first(post(endpoint, "{ customer(id: \"" + customer + "\") { lifetimeValue orders { nodes { totalAmount } } } }"),
                    "customer")).isEqualTo(Map.of("lifetimeValue", "42.50", "orders", Map.of("nodes", List.of(Map.of("totalAmount", "42.50")))));
            assertThat(first(post(endpoint, "{ sql(query: \"SELECT typeof(total_amount) AS t FROM orders\") { rows } }"), "sql"))
                    .isEqualTo(Map.of("rows", List.of(List.of("DECIMAL(18,2)"))));
        }
    }

    private List<String> scales(String object) {
        List<Map<String, Object>> fields = run("{ object(apiName: \"" + object + "\") { fields { apiName scale } } }")
                .path("object.fields").entityList(Map.class).get().stream().map(f -> (Map<String, Object>) f).toList();
        return fields.stream().map(f -> f.get("apiName") + "=" + f.get("scale")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> data, String key) {
        Object value = data.get(key);
        return (Map<String, Object>) (value instanceof List<?> list ? list.get(0) : value);
    }

    private void awaitJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            String state = run("query($id: ID!) { job(id: $id) { state } }", Map.of("id", id)).path("job.state").entity(String.class).get();
            if (state.equals("SUCCEEDED")) {
                return;
            }
            assertThat(state).as("job %s", id).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job %s still %s", id, state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static ConfigurableApplicationContext start(Path database, Path schema) {
        return new SpringApplicationBuilder(CrmApplication.class).run("--server.port=0", "--crm.database=" + database,
                "--crm.schema-dir=" + schema, "--crm.security.admin-key=" + ADMIN_KEY);
    }

    private static URI endpoint(ConfigurableApplicationContext context) {
        return URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/graphql");
    }

    /** The data of a POST that must answer without errors. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> post(URI endpoint, String query) throws Exception {
        HttpResponse<String> response = HTTP.send(authorized(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = JSON.readValue(response.body(), Map.class);
        assertThat(json.get("errors")).as("errors of %s", query).isNull();
        return (Map<String, Object>) json.get("data");
    }
}
