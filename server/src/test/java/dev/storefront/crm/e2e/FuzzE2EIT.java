package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * 10,000 random and malformed requests (broken bodies and content types, mangled documents,
 * random values of every type for filters and mutation inputs): none answers 500, none shows a
 * stack trace or a class name, and the server still answers afterwards.
 */
class FuzzE2EIT extends E2ESupport {

    private static final int REQUESTS = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.[a-z]|(java|javax|jakarta|graphql|org\\.springframework"
            + "|tools\\.jackson|org\\.duckdb|dev\\.storefront)\\.[a-z]+\\.|(String|Int|Float|Boolean|Enum|Object|Array|Null)Value\\{"
            + "|<html|<!doctype", Pattern.CASE_INSENSITIVE);
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "application/json", "*/*",
            "text/plain", "application/graphql", "multipart/form-data", "application/json; charset=latin1", "", "application/x-www-form-urlencoded");
    private static final List<String> FIELDS = List.of("fullName", "email", "phone", "lifetimeValue", "totalOrders", "acceptsMarketing",
            "firstPurchaseDate", "lastPurchaseDate", "customerSegment", "tags", "notes", "companyId", "website", "nope", "id", "createdAt");
    private static final List<String> OPERATORS = List.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "notIn", "contains", "startsWith",
            "between", "isNull", "containsAny", "withinLastDays", "and", "or", "not", "some", "bogus");
    private static final String PUNCTUATION = "{}()[]:$!@\"\\ ,.#";
    private static final List<String> SEEDS = List.of(
            "{ customers(first: 5) { totalCount nodes { id fullName orders(first: 2) { nodes { orderNumber } } } } }",
            "mutation { createCustomer(input: { fullName: \"Fuzz\", email: \"fuzz@example.com\" }) { id } }",
            "{ customersAggregate { count sum { lifetimeValue } } }",
            "{ objects { apiName fields { apiName type } } }",
            "query($w: CustomerFilter) { customers(where: $w, first: 3) { totalCount } }",
            "{ sql(query: \"SELECT 1\") { rows } }",
            "{ jobs(limit: 5) { id } }");

    private final Random random = new Random(20261126);

    private String value(int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 12)) {
            case 0 -> "null";
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> List.of("1e400", "-1e400", "0.000000000000000000001", "123456789012345678901234567890", "NaN", "-0", "1.5").get(random.nextInt(7));
            case 3 -> "\"" + List.of("", "x", "not-an-email", "+999999999-01-01", "-0005-12-31", "2025-02-30", "2025-03-03T14:22:07Z",
                    "\\u0000", "' OR 1=1 --", "\\\"", "\u00e9\u4e2d\ud83d\ude00", "VIP", "a".repeat(random.nextInt(3000))).get(random.nextInt(13)) + "\"";
            case 4 -> random.nextBoolean() ? "true" : "false";
            case 5 -> List.of("VIP", "AT_RISK", "ASC", "NOPE").get(random.nextInt(4));
            case 6 -> "$" + List.of("w", "x", "input").get(random.nextInt(3));
            case 7, 8 -> "\"" + random.nextInt(100) + "\"";
            default -> random.nextBoolean() ? "[" + value(depth + 1) + ", " + value(depth + 1) + "]" : object(depth + 1);
        };
    }

    private String object(int depth) {
        StringBuilder object = new StringBuilder("{");
        for (int i = random.nextInt(4); i > 0; i--) {
            String key = random.nextBoolean() ? FIELDS.get(random.nextInt(FIELDS.size())) : OPERATORS.get(random.nextInt(OPERATORS.size()));
            object.append(' ').append(key).append(": ").append(value(depth + 1));
        }
        return object.append(" }").toString();
    }

    private String mangled(String document) {
        StringBuilder text = new StringBuilder(document);
        for (int i = random.nextInt(4); i > 0 && text.length() > 0; i--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                default -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(20))));
            }
        }
        return text.toString();
    }

    private String body() {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return List.of("null", "[]", "\"q\"", "42", "{", "{\"query\": null}", "{\"query\": 1}", "{\"query\": \"{ __typename }\", \"variables\": 5}",
                    "", "{\"query\": \"{ __typename }\", \"variables\": {\"w\": {\"id\": {\"eq\": []}}}}", "\u0000\u0001").get(random.nextInt(11));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        if (kind < 4) {
            request.put("query", mangled(SEEDS.get(random.nextInt(SEEDS.size()))));
        } else if (kind < 7) {
            request.put("query", "query($w: CustomerFilter) { customers(where: $w, first: " + (random.nextInt(2000) - 500)
                    + ", orderBy: [{ field: " + List.of("LIFETIME_VALUE", "EMAIL", "NOPE").get(random.nextInt(3)) + " }]) { totalCount nodes { id } } }");
            request.put("variables", Map.of("w", JSON.readValue(jsonish(), Object.class)));
        } else {
            String mutation = List.of("createCustomer(input: ", "updateCustomer(id: " + value(2) + ", input: ", "upsertCustomer(onConflict: EMAIL, input: ",
                    "createOrder(input: ", "createCustomers(inputs: [").get(random.nextInt(5));
            request.put("query", "mutation { " + mutation + object(0) + (mutation.endsWith("[") ? "]" : "") + ") { id } }");
        }
        return JSON.writeValueAsString(request);
    }

    /** A random filter as JSON (variables), valid JSON whatever its shape. */
    private String jsonish() {
        Map<String, Object> filter = new LinkedHashMap<>();
        for (int i = random.nextInt(3) + 1; i > 0; i--) {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put(OPERATORS.get(random.nextInt(OPERATORS.size())), List.of(random.nextInt(), "x", 1.5e300, List.of(), Map.of(), "2025-01-01")
                    .get(random.nextInt(6)));
            filter.put(FIELDS.get(random.nextInt(FIELDS.size())), random.nextInt(5) == 0 ? "scalar" : condition);
        }
        return JSON.writeValueAsString(filter);
    }

    @Test
    void randomAndMalformedRequestsNeverBreakTheServer() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String[]> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(new String[] {CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())), body()});
        }
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < requests.size(); i += 4) {
                    String[] request = requests.get(i);
                    HttpRequest.Builder builder = authorized(URI.create(baseUrl() + "/graphql")).timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(request[1]));
                    if (!request[0].isEmpty()) {
                        builder.header("Content-Type", request[0]);
                    }
                    try {
                        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() >= 500 || LEAK.matcher(response.body()).find()) {
                            problems.add(response.statusCode() + " for " + request[0] + " " + abbreviated(request[1]) + " -> " + abbreviated(response.body()));
                        }
                    } catch (Exception e) {
                        problems.add(e + " for " + abbreviated(request[1]));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        assertThat(problems).as("%d problems, first ones: %s", problems.size(), problems.stream().limit(15).toList()).isEmpty();
        run("{ __typename }").path("__typename").entity(String.class).isEqualTo("Query");
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
