package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import dev.storefront.crm.plugins.TestPlugins;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API contract a typed client relies on (issue 9), against the real server on its own database
 * (the demo store plus objects this class creates) with the real plugin jars: exact numbers at the
 * edges through GraphQL, CSV import, export and aggregates; global ids and node(id:) for every object
 * type; cursors bound to their list; an error code on every error path, matching the README's table;
 * persisted queries; GET; @defer not advertised; health and metrics; CORS; the loopback address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiContractE2EIT {

    private static final Path DATABASE = E2EClient.newDatabaseFile();
    private static final Path PLUGINS = pluginsFolder();
    private static final String ALLOWED_ORIGIN = "https://admin.example.test";
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", PLUGINS::toString);
        registry.add("crm.demo", () -> "true");
        registry.add("crm.cors.allowed-origins", () -> ALLOWED_ORIGIN);
        registry.add("crm.security.admin-key", () -> E2EClient.ADMIN_KEY);
        // Low enough that one key's burst is refused however slow the machine, high enough for every test here.
        registry.add("crm.rate-limit.requests-per-second", () -> "20");
        registry.add("crm.rate-limit.burst", () -> "300");
    }

    // ---------------------------------------------------------------- numbers

    @Test
    void integersAndDecimalsAtTheEdgesStayExactThroughGraphQlImportExportAndAggregates() throws Exception {
        createLedger("ledger");
        List<String> counts = List.of("9223372036854775807", "-9223372036854775807", "9007199254740991",
                "9007199254740992", "3000000000");
        List<String> amounts = List.of("99999999999999.9999", "-99999999999999.9999", "12345678901234.5678", "0.0001",
                "4023.41");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            Map<String, Object> created = data("mutation($input: LedgerItemCreateInput!) { createLedgerItem(input: $input) { id count amount } }",
                    Map.of("input", Map.of("count", counts.get(i), "amount", amounts.get(i))), "createLedgerItem");
            ids.add((String) created.get("id"));
            assertThat(created.get("amount")).isEqualTo(amounts.get(i));
        }
        // JSON numbers up to 2^53 - 1, strings beyond: no client reads a wrong digit.
        Map<String, Object> read = data("query($id: ID!) { ledgerItem(id: $id) { count amount } }", Map.of("id", ids.get(0)), "ledgerItem");
        assertThat(read).containsEntry("count", "9223372036854775807").containsEntry("amount", "99999999999999.9999");
        assertThat(rawBody("{ a: ledgerItem(id: \"" + ids.get(2) + "\") { count } b: ledgerItem(id: \"" + ids.get(4) + "\") { count } "
                + "c: ledgerItem(id: \"" + ids.get(3) + "\") { count } }"))
                .contains("\"a\":{\"count\":9007199254740991}").contains("\"b\":{\"count\":3000000000}")
                .contains("\"c\":{\"count\":\"9007199254740992\"}");

        // Literals and JSON numbers as input are read exactly too.
        Map<String, Object> literal = data("mutation { createLedgerItem(input: { count: 4000000000, amount: 12345678901234.5678 }) { id count amount } }",
                Map.of(), "createLedgerItem");
        assertThat(literal).containsEntry("count", 4000000000L).containsEntry("amount", "12345678901234.5678");
        Map<String, Object> jsonNumber = postJson(Map.of("query", "mutation($a: Decimal) { createLedgerItem(input: { amount: $a }) { id amount } }",
                "variables", Map.of("a", new BigDecimal("12345678901234.5678"))));
        assertThat(at(jsonNumber, "data", "createLedgerItem", "amount")).isEqualTo("12345678901234.5678");
        ids.add((String) literal.get("id"));
        ids.add((String) at(jsonNumber, "data", "createLedgerItem", "id"));

        // Beyond BIGINT or DECIMAL(18,4): refused naming the field, nothing written.
        Map<String, Object> tooBig = error("mutation { createLedgerItem(input: { count: 9223372036854775808 }) { id } }");
        assertThat(at(tooBig, "extensions", "code")).isEqualTo("VALIDATION");
        assertThat(at(tooBig, "extensions", "field")).isEqualTo("count");
        assertThat((String) tooBig.get("message")).contains("out of range");
        Map<String, Object> tooLarge = error("mutation { createLedgerItem(input: { amount: \"100000000000000\" }) { id } }");
        assertThat(at(tooLarge, "extensions", "field")).isEqualTo("amount");
        assertThat(data("{ ledger { totalCount } }", Map.of(), "ledger")).containsEntry("totalCount", 7);

        // Sorting and filtering by values beyond 32 bits, paged with cursors.
        Map<String, Object> first = data("{ ledger(first: 2, orderBy: [{ field: COUNT, direction: DESC }], where: { count: { gt: \"3000000000\" } }) "
                + "{ nodes { count } pageInfo { endCursor hasNextPage } } }", Map.of(), "ledger");
        assertThat(nodes(first, "count")).containsExactly("9223372036854775807", "9007199254740992");
        Map<String, Object> second = data("query($after: String) { ledger(first: 2, after: $after, orderBy: [{ field: COUNT, direction: DESC }], "
                + "where: { count: { gt: \"3000000000\" } }) { nodes { count } pageInfo { hasNextPage } } }",
                Map.of("after", at(first, "pageInfo", "endCursor")), "ledger");
        assertThat(nodes(second, "count")).containsExactly(9007199254740991L, 4000000000L);
        assertThat(at(second, "pageInfo", "hasNextPage")).isEqualTo(false);

        // Aggregates: exact sums (beyond 64 bits for the counts), averages to 4 places.
        List<BigInteger> allCounts = new ArrayList<>(counts.stream().map(BigInteger::new).toList());
        allCounts.add(BigInteger.valueOf(4000000000L));
        List<BigDecimal> allAmounts = new ArrayList<>(amounts.stream().map(BigDecimal::new).toList());
        allAmounts.add(new BigDecimal("12345678901234.5678"));
        allAmounts.add(new BigDecimal("12345678901234.5678"));
        BigInteger countSum = allCounts.stream().reduce(BigInteger.ZERO, BigInteger::add);
        BigDecimal amountSum = allAmounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Object> aggregate = data("{ ledgerAggregate { count sum { count amount } avg { count amount } "
                + "min { count amount } max { count amount } } }", Map.of(), "ledgerAggregate.0");
        assertThat(aggregate.get("count")).isEqualTo(7);
        assertThat(at(aggregate, "sum", "count")).isEqualTo(countSum.toString());
        assertThat(at(aggregate, "sum", "amount")).isEqualTo(amountSum.stripTrailingZeros().toPlainString());
        assertThat(at(aggregate, "avg", "amount")).isEqualTo(amountSum.divide(BigDecimal.valueOf(7), 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString());
        assertThat(at(aggregate, "avg", "count")).isEqualTo(new BigDecimal(countSum).divide(BigDecimal.valueOf(6), 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString());
        assertThat(at(aggregate, "max", "count")).isEqualTo("9223372036854775807");
        assertThat(at(aggregate, "min", "amount")).isEqualTo("-99999999999999.9999");

        // CSV import and export keep every digit.
        String jobId = (String) JSON.readValue(send(E2EClient.authorized(uri("/imports/csv:ledger"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
                        "Count,Amount\n9223372036854775806,99999999999999.9998\n-3000000000,-0.0001\n")).build()).body(), Map.class).get("jobId");
        assertThat(awaitJob(jobId)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2);
        Map<String, Object> imported = data("{ ledger(where: { count: { in: [\"9223372036854775806\", \"-3000000000\"] } }, "
                + "orderBy: [{ field: COUNT }]) { nodes { count amount } } }", Map.of(), "ledger");
        assertThat(nodes(imported, "count")).containsExactly(-3000000000L, "9223372036854775806");
        assertThat(nodes(imported, "amount")).containsExactly("-0.0001", "99999999999999.9998");
        String csv = send(E2EClient.authorized(uri("/export/ledger.csv")).build()).body();
        for (int i = 0; i < counts.size(); i++) {
            assertThat(csv).contains("," + counts.get(i) + "," + amounts.get(i));
        }
        assertThat(csv).contains(",9223372036854775806,99999999999999.9998").contains(",-3000000000,-0.0001");
    }

    // ---------------------------------------------------------------- ids

    @Test
    @SuppressWarnings("unchecked")
    void everyObjectTypeIsANodeFoundByItsGlobalIdAndOldNumericIdsStillWork() throws Exception {
        List<Map<String, Object>> objects = (List<Map<String, Object>>) at(postJson(Map.of("query",
                "{ objects { apiName singularApiName } }")), "data", "objects");
        assertThat(objects).hasSizeGreaterThanOrEqualTo(9);
        for (Map<String, Object> object : objects) {
            String plural = camel((String) object.get("apiName"));
            String singular = camel((String) object.get("singularApiName"));
            String type = Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
            Map<String, Object> page = data("{ " + plural + "(first: 1, orderBy: [{ field: ID }]) { nodes { id } } }", Map.of(), plural);
            List<Object> ids = nodes(page, "id");
            if (ids.isEmpty()) {
                continue; // objects this class created and emptied have no entry to look up
            }
            String id = (String) ids.get(0);
            String decoded = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            assertThat(decoded).startsWith(object.get("apiName") + ":");
            String number = decoded.substring(decoded.indexOf(':') + 1);

            Map<String, Object> node = data("query($id: ID!) { node(id: $id) { __typename id } }", Map.of("id", id), "node");
            assertThat(node).containsEntry("__typename", type).containsEntry("id", id);
            // The old numeric id still finds it where the object is known from the field.
            assertThat(data("query($id: ID!) { " + singular + "(id: $id) { id } }", Map.of("id", number), singular))
                    .containsEntry("id", id);
        }

        // nodes: in order, null for none; relation ids are global ids of their target.
        Map<String, Object> order = (Map<String, Object>) nodes(data("{ orders(first: 1, orderBy: [{ field: ID }]) { nodes { id customerId customer { id } } } }",
                Map.of(), "orders"), null).get(0);
        assertThat(order.get("customerId")).isEqualTo(at(order, "customer", "id"));
        String missing = Base64.getUrlEncoder().withoutPadding().encodeToString("customers:999999999".getBytes(StandardCharsets.UTF_8));
        List<Object> found = (List<Object>) at(postJson(Map.of("query", "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                "variables", Map.of("ids", List.of(order.get("customerId"), missing, order.get("id"))))), "data", "nodes");
        assertThat(found).containsExactly(Map.of("id", order.get("customerId")), null, Map.of("id", order.get("id")));

        // An order's id given where a customer is expected, and a bare number to node(): refused, not misread.
        Map<String, Object> wrongType = error("query($id: ID!) { customer(id: $id) { id } }", Map.of("id", order.get("id")));
        assertThat(at(wrongType, "extensions", "code")).isEqualTo("VALIDATION");
        assertThat((String) wrongType.get("message")).contains("is the id of a orders entry, not of a customers entry");
        Map<String, Object> ambiguous = error("{ node(id: \"17\") { id } }");
        assertThat(at(ambiguous, "extensions", "code")).isEqualTo("VALIDATION");
        assertThat((String) ambiguous.get("message")).contains("plain number");
    }

    // ---------------------------------------------------------------- cursors

    @Test
    void cursorsAreOpaqueAndRefusedByAnyOtherListSortOrFilter() throws Exception {
        String query = "query($after: String) { customers(first: 3, after: $after, orderBy: [{ field: LIFETIME_VALUE, direction: DESC }]) "
                + "{ nodes { id email } pageInfo { endCursor } } }";
        Map<String, Object> all = data("{ customers(first: 6, orderBy: [{ field: LIFETIME_VALUE, direction: DESC }]) { nodes { id email } } }",
                Map.of(), "customers");
        Map<String, Object> first = data(query, singletonVariables("after", null), "customers");
        String cursor = (String) at(first, "pageInfo", "endCursor");
        String readable = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
        assertThat(readable).doesNotContain("lifetime").doesNotContain("id").doesNotContain((String) ((Map<?, ?>) nodes(first, null).get(2)).get("email"));

        Map<String, Object> second = data(query, Map.of("after", cursor), "customers");
        assertThat(nodes(second, "id")).containsExactlyElementsOf(nodes(all, "id").subList(3, 6));

        Map<String, String> refusals = Map.of(
                "query($after: String) { orders(first: 3, after: $after) { nodes { id } } }",
                "'after' is a cursor of another list or filter; a cursor only pages the list it came from",
                "query($after: String) { customers(first: 3, after: $after, orderBy: [{ field: LIFETIME_VALUE, direction: DESC }], "
                        + "where: { totalOrders: { gt: 1 } }) { nodes { id } } }",
                "'after' is a cursor of another list or filter; a cursor only pages the list it came from",
                "query($after: String) { customers(first: 3, after: $after, orderBy: [{ field: LIFETIME_VALUE, direction: ASC }]) { nodes { id } } }",
                "'after' is a cursor of a different ordering");
        for (Map.Entry<String, String> refused : refusals.entrySet()) {
            Map<String, Object> error = error(refused.getKey(), Map.of("after", cursor));
            assertThat(at(error, "extensions", "code")).isEqualTo("VALIDATION");
            assertThat((String) error.get("message")).isEqualTo(refused.getValue());
        }
        String tampered = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("AA") ? "BB" : "AA");
        Map<String, Object> stale = error(query, Map.of("after", tampered));
        assertThat(at(stale, "extensions", "code")).isEqualTo("VALIDATION");
        assertThat((String) stale.get("message")).startsWith("'after' is not a cursor this API gave out");
    }

    // ---------------------------------------------------------------- errors

    /** Every code of the README's table, each produced by a request that should produce it. */
    @Test
    void everyErrorCarriesACodeAndTheReadmeTableListsExactlyTheCodesSent() throws Exception {
        String email = "dup-" + System.nanoTime() + "@example.com";
        data("mutation($e: String!) { createCustomer(input: { email: $e, fullName: \"Dup\" }) { id } }", Map.of("e", email), "createCustomer");
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("GRAPHQL_PARSE_FAILED", code(postJson(Map.of("query", "{ customers(first: "))));
        sent.put("GRAPHQL_VALIDATION_FAILED", code(postJson(Map.of("query", "{ customers { noSuchField } }"))));
        sent.put("BAD_USER_INPUT", code(postJson(Map.of("query", "{ customers(where: { customerSegment: { eq: NOT_A_SEGMENT } }) { totalCount } }"))));
        assertThat(code(postJson(Map.of("query", "query($n: Int) { customers(first: $n) { totalCount } }", "variables", Map.of("n", "many")))))
                .isEqualTo("BAD_USER_INPUT");
        sent.put("PERSISTED_QUERY_NOT_FOUND", code(postJson(Map.of("extensions", persisted("f".repeat(64))))));
        sent.put("METHOD_NOT_ALLOWED", code(JSON.readValue(get("mutation { deleteCustomer(id: \"1\") { id } }", null).body(), Map.class)));
        sent.put("VALIDATION", code(postJson(Map.of("query", "mutation { createCustomer(input: { email: \"not-an-email\" }) { id } }"))));
        sent.put("NOT_FOUND", code(postJson(Map.of("query", "mutation { updateCustomer(id: \"999999999\", input: { fullName: \"x\" }) { id } }"))));
        sent.put("CONFLICT", code(postJson(Map.of("query", "mutation($e: String!) { createCustomer(input: { email: $e }) { id } }",
                "variables", Map.of("e", email)))));
        sent.put("INTERNAL", code(postJson(Map.of("query", "{ flakyBoom }"))));
        sent.put("UNAUTHENTICATED", code(postAs(null, "{ customers(first: 1) { totalCount } }")));
        sent.put("FORBIDDEN", code(postAs(viewerKey("forbidden"), "mutation { createCustomer(input: { fullName: \"x\" }) { id } }")));
        sent.put("RATE_LIMITED", rateLimitedCode(viewerKey("burst")));
        sent.forEach((expected, actual) -> assertThat(actual).as("code for the %s request", expected).isEqualTo(expected));

        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("| `extensions.code` |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Set<String> documented = new LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|").matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(sent.keySet());
    }

    /**
     * Every operation in the README's graphql blocks runs on the demo store without an error, but
     * the one that shows an error; those with a placeholder ("…") for an id only a real run gives out
     * are left out.
     */
    @Test
    void theReadmeExamplesRun() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("```graphql\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int ran = 0;
        while (block.find()) {
            for (String operation : operations(block.group(1))) {
                if (operation.contains("…")) {
                    continue;
                }
                Map<String, Object> response = postJson(Map.of("query", operation));
                if (operation.contains("not-an-email")) {
                    assertThat(code(response)).isEqualTo("VALIDATION");
                } else {
                    assertThat(response.get("errors")).as(operation).isNull();
                }
                if (operation.contains("runJob")) {
                    awaitJob((String) at(response, "data", "runJob", "id")); // no job left running into other tests
                }
                ran++;
            }
        }
        assertThat(ran).isEqualTo(33);
    }

    /** The top-level operations of a block: text up to each point where the braces balance again. */
    private static List<String> operations(String block) {
        List<String> operations = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            String code = line.replaceAll("\\s# .*", "");
            current.append(line).append('\n');
            for (char c : code.toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            if (depth == 0 && !current.toString().isBlank()) {
                operations.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return operations;
    }

    // ---------------------------------------------------------------- persisted queries, GET, @defer

    @Test
    void persistedQueriesAreRegisteredOnceThenSentByHashAlone() throws Exception {
        String query = "{ customersAggregate { count } }";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8)));
        Object count = at(postJson(Map.of("query", query)), "data", "customersAggregate", "0", "count");

        assertThat(code(postJson(Map.of("extensions", persisted(hash))))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        assertThat(at(postJson(Map.of("query", query, "extensions", persisted(hash))), "data", "customersAggregate", "0", "count")).isEqualTo(count);
        assertThat(at(postJson(Map.of("extensions", persisted(hash))), "data", "customersAggregate", "0", "count")).isEqualTo(count);
        // By GET too, so a CDN can cache it.
        HttpResponse<String> byGet = get(null, JSON.writeValueAsString(persisted(hash)));
        assertThat(byGet.statusCode()).isEqualTo(200);
        assertThat(at(JSON.readValue(byGet.body(), Map.class), "data", "customersAggregate", "0", "count")).isEqualTo(count);
        // A hash that is not its query's is refused.
        assertThat(code(postJson(Map.of("query", "{ customersAggregate { count } } ", "extensions", persisted(hash))))).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void getAnswersQueriesAndRefusesMutations() throws Exception {
        String query = "{ customers(first: 2, orderBy: [{ field: ID }]) { nodes { id email } } }";
        HttpResponse<String> byGet = get(query, null);
        assertThat(byGet.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(byGet.body(), Map.class)).isEqualTo(postJson(Map.of("query", query)));

        String email = "get-" + System.nanoTime() + "@example.com";
        HttpResponse<String> mutation = get("mutation { createCustomer(input: { email: \"" + email + "\" }) { id } }", null);
        assertThat(mutation.statusCode()).isEqualTo(405);
        assertThat(mutation.headers().firstValue("Allow")).hasValue("POST");
        assertThat(data("query($e: String) { customers(where: { email: { eq: $e } }) { totalCount } }", singletonVariables("e", email), "customers"))
                .containsEntry("totalCount", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void deferIsNotAdvertised() throws Exception {
        List<Map<String, Object>> directives = (List<Map<String, Object>>) at(postJson(Map.of("query",
                "{ __schema { directives { name } } }")), "data", "__schema", "directives");
        assertThat(directives.stream().map(d -> d.get("name")).toList()).doesNotContain("defer")
                .contains("include", "skip", "deprecated");
    }

    @Test
    void deferAndStreamAreRefusedBeforeAnythingRuns() throws Exception {
        String deferred = "{ customersAggregate { count } ... @defer { customers(first: 1) { nodes { id } } } }";
        assertThat(postJson(Map.of("query", deferred))).doesNotContainKey("data");
        assertThat(error(deferred)).containsEntry("message", "@defer is not supported: this server sends every answer whole."
                + " Remove @defer from the query").extractingByKey("extensions").asInstanceOf(MAP)
                .containsEntry("code", "GRAPHQL_VALIDATION_FAILED");
        assertThat(error("{ customers(first: 2) { nodes @stream { id } } }"))
                .containsEntry("message", "@stream is not supported: this server sends every answer whole. Remove @stream from the query")
                .extractingByKey("extensions").asInstanceOf(MAP).containsEntry("code", "GRAPHQL_VALIDATION_FAILED");
    }

    /** The schema as graphql-js reads it: buildClientSchema over introspection, then validateSchema. */
    @Test
    @SuppressWarnings("unchecked")
    void graphQlJsBuildsAndValidatesTheSchema() throws Exception {
        Path script = Path.of("src", "test", "resources", "graphql-js", "check-schema.cjs").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", script.toString(), uri("/graphql").toString(), E2EClient.ADMIN_KEY).redirectErrorStream(true);
        // Installed by the build (exec-maven-plugin, npm) before the integration tests.
        node.environment().put("NODE_PATH", Path.of("target", "graphql-js", "node_modules").toAbsolutePath().toString());
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        Map<String, Object> result = JSON.readValue(output.substring(output.lastIndexOf('\n') + 1), Map.class);
        assertThat(result).as(output).isEqualTo(Map.of("errors", List.of(), "customerIsNode", true, "nodeField", "Node",
                "longScalar", "Long", "decimalScalar", "Decimal", "defer", false));
    }

    // ---------------------------------------------------------------- operations

    @Test
    @SuppressWarnings("unchecked")
    void healthReportsLivenessAndReadinessWithDatabaseAndPlugins() throws Exception {
        Map<String, Object> health = JSON.readValue(send(E2EClient.authorized(uri("/actuator/health")).build()).body(), Map.class);
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(at(health, "components", "database", "status")).isEqualTo("UP");
        Map<String, Object> plugins = (Map<String, Object>) at(health, "components", "plugins");
        assertThat(plugins.get("status")).isEqualTo("UP");
        assertThat((Map<String, Object>) plugins.get("details"))
                .containsOnlyKeys("woocommerce", "clv", "dashboard", "segmentation", "flaky", "crash-on-start", "bad-sdl", "garbage.jar", "workflows")
                .containsEntry("woocommerce", "STARTED").containsEntry("clv", "STARTED").containsEntry("segmentation", "STARTED")
                .containsEntry("flaky", "STARTED");
        // The dashboard starts but reports a problem describing its model-dependent fields (its own matter).
        assertThat((String) at(plugins, "details", "dashboard")).startsWith("STARTED");
        assertThat((String) at(plugins, "details", "crash-on-start")).startsWith("FAILED: ");

        Map<String, Object> liveness = JSON.readValue(send(E2EClient.authorized(uri("/actuator/health/liveness")).build()).body(), Map.class);
        assertThat(liveness.get("status")).isEqualTo("UP");
        Map<String, Object> readiness = JSON.readValue(send(E2EClient.authorized(uri("/actuator/health/readiness")).build()).body(), Map.class);
        assertThat(readiness.get("status")).isEqualTo("UP");
        assertThat((Map<String, Object>) readiness.get("components")).containsOnlyKeys("readinessState", "database", "plugins");
    }

    @Test
    void metricsCountSqlStatementsRequestsAndJobs() throws Exception {
        // A page and its count: two statements. Plugins' background tasks and jobs run SQL at any moment,
        // so the request's own count is the least difference seen over a few tries.
        double least = Double.MAX_VALUE;
        for (int attempt = 0; attempt < 10 && least != 2.0; attempt++) {
            double before = statementCount();
            data("{ customers(first: 1) { totalCount nodes { id } } }", Map.of(), "customers");
            least = Math.min(least, statementCount() - before);
        }
        assertThat(least).isEqualTo(2.0);

        String jobId = (String) JSON.readValue(send(E2EClient.authorized(uri("/imports/csv:customers"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("Email\nmetrics-test@example.com\n")).build()).body(), Map.class)
                .get("jobId");
        assertThat(awaitJob(jobId)).containsEntry("state", "SUCCEEDED");
        String prometheus = send(E2EClient.authorized(uri("/actuator/prometheus")).build()).body();
        assertThat(prometheus).contains("crm_jobs_seconds_count{job=\"import:csv:customers\",plugin=\"core\",state=\"SUCCEEDED\"} 1")
                .containsPattern("crm_sql_seconds_count\\{kind=\"query\"\\} [0-9]+")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/graphql\"[^}]*\\} [0-9]+")
                .containsPattern("graphql_request_seconds_count\\{[^}]*\\} [0-9]+")
                .doesNotContain("graphql_datafetcher");
    }

    @Test
    void corsAnswersAllowedOriginsOnlyAndTheServerListensOnLoopback() throws Exception {
        HttpResponse<String> allowed = preflight(ALLOWED_ORIGIN);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,POST");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type");

        HttpResponse<String> refused = preflight("https://evil.example.test");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> post = send(E2EClient.authorized(uri("/graphql")).header("Origin", ALLOWED_ORIGIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")).build());
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);

        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        assertThat(server.getTomcat().getConnector().getProperty("address")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    // ---------------------------------------------------------------- helpers

    /** Every bundled plugin (the README's examples use them) beside the test plugins that break on purpose. */
    private static Path pluginsFolder() {
        Path folder = TestPlugins.pluginsFolder();
        try {
            for (String id : List.of("clv", "dashboard", "segmentation", "workflows")) {
                Files.copy(TestPlugins.bundledJar(id), folder.resolve(TestPlugins.bundledJar(id).getFileName()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return folder;
    }

    private void createLedger(String apiName) throws Exception {
        Map<String, Object> input = Map.of("apiName", apiName, "singularLabel", apiName + " item", "pluralLabel", apiName,
                "fields", List.of(Map.of("label", "Count", "type", "INTEGER"), Map.of("label", "Amount", "type", "NUMBER")));
        data("mutation($input: CreateObjectInput!) { createObject(input: $input) { apiName } }", Map.of("input", input), "createObject");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitJob(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Object> job = data("query($id: ID!) { job(id: $id) { state processed errorCount message } }", Map.of("id", id), "job");
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, job.get("state")).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("unchecked")
    private double statementCount() throws Exception {
        Map<String, Object> metric = JSON.readValue(send(E2EClient.authorized(uri("/actuator/metrics/crm.sql")).build()).body(), Map.class);
        return ((List<Map<String, Object>>) metric.get("measurements")).stream().filter(m -> m.get("statistic").equals("COUNT"))
                .map(m -> ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow();
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return send(E2EClient.authorized(uri("/graphql")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Content-Type").build());
    }

    private HttpResponse<String> get(String query, String extensions) throws Exception {
        StringBuilder url = new StringBuilder("/graphql?");
        if (query != null) {
            url.append("query=").append(URLEncoder.encode(query, StandardCharsets.UTF_8)).append('&');
        }
        if (extensions != null) {
            url.append("extensions=").append(URLEncoder.encode(extensions, StandardCharsets.UTF_8));
        }
        return send(E2EClient.authorized(uri(url.toString())).header("Accept", "application/graphql-response+json").build());
    }

    private static Map<String, Object> persisted(String hash) {
        return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
    }

    private Map<String, Object> data(String query, Map<String, Object> variables, String path) throws Exception {
        Map<String, Object> response = postJson(Map.of("query", query, "variables", variables));
        assertThat(response.get("errors")).as("errors of %s", query).isNull();
        return asMap(at(response, ("data." + path).split("\\.")));
    }

    private Map<String, Object> error(String query) throws Exception {
        return error(query, Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> error(String query, Map<String, Object> variables) throws Exception {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) postJson(Map.of("query", query, "variables", variables)).get("errors");
        assertThat(errors).as("errors of %s", query).hasSize(1);
        return errors.get(0);
    }

    @SuppressWarnings("unchecked")
    private static String code(Map<?, ?> response) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).as("errors of %s", response).hasSize(1);
        return (String) at(errors.get(0), "extensions", "code");
    }

    @SuppressWarnings("unchecked")
    /** A new key of the viewer role, created through the admin API. */
    private String viewerKey(String name) throws Exception {
        return (String) data("mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { secret } }",
                Map.of("n", name + "-" + System.nanoTime()), "createApiKey").get("secret");
    }

    /** The code of the first refusal a key gets while it sends cheap queries as fast as it can (bounded). */
    private String rateLimitedCode(String key) throws Exception {
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> response = postAs(key, "{ __typename }");
            if (response.get("errors") != null) {
                return code(response);
            }
        }
        return "no refusal in 1,000 requests";
    }

    /** A POST of {@code query} with {@code key} as its bearer key, or with no key. */
    private Map<String, Object> postAs(String key, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return JSON.readValue(send(request.build()).body(), Map.class);
    }

    private Map<String, Object> postJson(Map<String, Object> body) throws Exception {
        return JSON.readValue(rawPost(JSON.writeValueAsString(body)), Map.class);
    }

    private String rawBody(String query) throws Exception {
        return rawPost(JSON.writeValueAsString(Map.of("query", query)));
    }

    private String rawPost(String json) throws Exception {
        return send(E2EClient.authorized(uri("/graphql")).header("Content-Type", "application/json")
                .header("Accept", "application/graphql-response+json").POST(HttpRequest.BodyPublishers.ofString(json)).build()).body();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> nodes(Map<String, Object> connection, String field) {
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) connection.get("nodes");
        return field == null ? new ArrayList<>(nodes) : nodes.stream().map(n -> n.get(field)).toList();
    }

    private static Object at(Map<?, ?> root, String... path) {
        Object current = root;
        for (String step : path) {
            current = current instanceof List<?> list ? list.get(Integer.parseInt(step)) : ((Map<?, ?>) current).get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> singletonVariables(String name, Object value) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(name, value);
        return variables;
    }

    private static String camel(String apiName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : apiName.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
