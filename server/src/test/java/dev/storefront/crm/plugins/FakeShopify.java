package dev.storefront.crm.plugins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Shopify Admin GraphQL API on 127.0.0.1 serving the customers of the real-format samples
 * ({@code shopify_graphql_customers_page1/2.json}), and the products and orders a test puts, as
 * Shopify does: {@code X-Shopify-Access-Token}, {@code customers|products|orders(first:, after:,
 * query: "updated_at:>'…'", sortKey: UPDATED_AT)} with edge cursors and {@code pageInfo}, and a
 * leaky bucket of {@link #MAXIMUM} points restored at {@link #RESTORE} per second, as Shopify keeps it:
 * each query's requested cost is reckoned from its document ({@link #requestedCost}), a query above
 * {@link #maxCost} is refused with MAX_COST_EXCEEDED, one the bucket does not hold is answered
 * THROTTLED (the sample error), and one that runs takes its requested cost and gives back what its
 * answer did not cost ({@link #actualCost}); both figures are reported in {@code extensions.cost}.
 * An order's {@code lineItems(first:, after:)} and {@code refunds(first:)} are cut as asked, and
 * {@code order(id:)} reads one order. Bulk operations run one at a time per app before API version 2026-01 (the version is
 * read from the request's path) and up to five from then on; a poll reads one by id ({@code node(id:)}, and
 * {@code bulkOperation(id:)}, which versions before 2026-01 refuse as an unknown field) or as {@code currentBulkOperation},
 * the newest. Tests can queue faults for the next requests.
 */
public final class FakeShopify implements AutoCloseable {

    public static final String TOKEN = "shpat_test_0123456789";
    /** Shopify's bucket of a standard plan holds 1,000 points (as much as one query may request)... */
    public static final double MAXIMUM = 1_000;
    /** ...restored here ten times faster than its 50 a second, so a test waits seconds, not minutes. */
    public static final double RESTORE = 500;
    /** Shopify refuses any single query whose requested cost is above this. */
    public static final int MAX_COST = 1_000;
    /** What one mutation costs (shopify.dev, GraphQL Admin API rate limits: "Mutation: 10 points"). */
    public static final int MUTATION_COST = 10;
    /** The most requested cost this store accepts in one query (a test lowers it to see the refusal). */
    public volatile int maxCost = MAX_COST;
    /** The requested cost of every query answered or refused for its cost, in order. */
    public final List<Long> requestedCosts = new CopyOnWriteArrayList<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What the next request gets instead of an answer (DROP_CONNECTION: the connection closed
     * before any answer); the bulk faults apply to the next bulk operation instead: it ends FAILED,
     * its file's link has expired (403 on download), or its file's second line is cut short (not JSON).
     */
    public enum Fault {
        THROTTLED, TOO_MANY_REQUESTS, ERROR_500, DROP_CONNECTION, BULK_FAILED, BULK_LINK_EXPIRED, BULK_MALFORMED_LINE,
        /** The answers Shopify gives a frozen shop (402), an app without a scope (403), an unknown shop (404), a locked shop (423). */
        FROZEN, FORBIDDEN, NOT_FOUND, LOCKED,
        /** The query reads a field the app has no access scope for: GraphQL error ACCESS_DENIED, as Shopify words it since 2020-07. */
        ACCESS_DENIED,
        /** The next bulk operation ends FAILED with errorCode ACCESS_DENIED. */
        BULK_ACCESS_DENIED,
        /**
         * The next bulk operation ends FAILED with errorCode TIMEOUT, its {@code partialDataUrl} serving its file's first
         * {@link #partialLines} lines (Shopify: "the operation resulted in partial or incomplete data due to query timeouts").
         */
        BULK_TIMEOUT;

        boolean bulk() {
            return name().startsWith("BULK_");
        }
    }

    /** Each HTTP refusal fault's status and body, as Shopify answers them. */
    private static final Map<Fault, Map.Entry<Integer, String>> REFUSALS = Map.of(
            Fault.FROZEN, Map.entry(402, "{\"errors\":\"Unavailable Shop\"}"),
            Fault.FORBIDDEN, Map.entry(403, "{\"errors\":\"[API] This action requires merchant approval for read_orders scope.\"}"),
            Fault.NOT_FOUND, Map.entry(404, "{\"errors\":\"Not Found\"}"),
            Fault.LOCKED, Map.entry(423, "{\"errors\":\"Locked\"}"));
    /**
     * Whether a connection's last page says a next page follows (Shopify does so at times), and the page asked for after it
     * holds no edges, says so again and names no endCursor.
     */
    public volatile boolean phantomNextPage;

    /** Polls of {@code currentBulkOperation} that find an operation RUNNING before it is COMPLETED (or FAILED). */
    public static final int RUNNING_POLLS = 2;
    /** Polls that find an operation RUNNING before it ends. */
    public volatile int runningPolls = RUNNING_POLLS;
    /** When the next bulk operation starts, on Shopify's clock. */
    public volatile String bulkCreatedAt = "2025-04-01T12:00:00Z";
    /**
     * Puts the lines of the next bulk operations' files in another order (each line with its {@code \n}):
     * Shopify does not promise a parent before its children.
     */
    public volatile java.util.function.UnaryOperator<List<String>> bulkLineOrder = java.util.function.UnaryOperator.identity();

    /** The lines a {@link Fault#BULK_TIMEOUT} operation's partial file holds: the first of its file. */
    public volatile int partialLines = 2;
    /** The connection whose next bulk operations the bulk faults apply to; null: whichever starts next. */
    public volatile String bulkFaultConnection;
    /** The API version from which an app runs up to {@link #MOST_RUNNING} bulk queries of a shop at once, and reads one by {@code bulkOperation(id:)}. */
    public static final String SEVERAL_AT_ONCE = "2026-01";
    /** The most bulk queries of an app that run at once from {@link #SEVERAL_AT_ONCE} on (one before). */
    public static final int MOST_RUNNING = 5;

    /**
     * A bulk operation: its JSONL, written when it starts (what the store held then), how it ends, its polls, and whether
     * it was found ended (for good: a test that raises {@link #runningPolls} later runs no ended operation again).
     */
    private record BulkOperation(String id, String query, String createdAt, byte[] jsonl, long objects, Fault fault, AtomicInteger polls,
                                 java.util.concurrent.atomic.AtomicBoolean ended) {
    }

    private final List<BulkOperation> operations = new CopyOnWriteArrayList<>();
    /** The connection of each bulk operation started, in order. */
    public final List<String> bulkQueries = new CopyOnWriteArrayList<>();
    /** The query of each bulk operation started, as its client sent it, in order. */
    public final List<String> bulkDocuments = new CopyOnWriteArrayList<>();
    /** Polls of a bulk operation answered (by id or as the current one). */
    public final AtomicInteger bulkPolls = new AtomicInteger();

    private final HttpServer server;
    private static final Pattern CONNECTION = Pattern.compile("\\{\\s*(customers|products|orders)\\(");
    /** The edges of each connection, in updatedAt order. */
    private final Map<String, List<Map<String, Object>>> edges = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    /** The variables of every query, in order. */
    public final List<Map<String, Object>> queries = new CopyOnWriteArrayList<>();
    /** Queries answered THROTTLED because the client did not wait for the bucket. */
    public final AtomicInteger unpaced = new AtomicInteger();
    /**
     * Runs before a page of data is answered, with the connection and the query's variables, and before a bulk operation's poll
     * (by id or as the current one), with {@code bulkOperation} (a test holds an answer here).
     */
    public volatile java.util.function.BiConsumer<String, Map<String, Object>> beforeAnswer = (connection, variables) -> { };
    private double available = MAXIMUM;
    private long restoredAt = System.nanoTime();

    public FakeShopify() {
        this(true);
    }

    /** @param sampleCustomers whether the store holds the sample customers, or starts empty */
    @SuppressWarnings("unchecked")
    public FakeShopify(boolean sampleCustomers) {
        try {
            for (String page : sampleCustomers ? List.of("shopify_graphql_customers_page1.json", "shopify_graphql_customers_page2.json")
                    : List.<String>of()) {
                Map<String, Object> body = JSON.readValue(Files.readString(Fixtures.shopify(page)), new TypeReference<Map<String, Object>>() { });
                edges.computeIfAbsent("customers", c -> new ArrayList<>()).addAll((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) body.get("data")).get("customers")).get("edges"));
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every customer node the store holds, in updated_at order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> customers() {
        return nodes("customers");
    }

    @SuppressWarnings("unchecked")
    public synchronized List<Map<String, Object>> nodes(String connection) {
        return edges.getOrDefault(connection, List.of()).stream().map(e -> (Map<String, Object>) e.get("node")).toList();
    }

    /**
     * Adds a node to {@code connection} (products, orders), or replaces the one with its id, with a
     * cursor shaped as Shopify's (base64 of the last id and sort value).
     */
    public synchronized void put(String connection, Map<String, Object> node) {
        List<Map<String, Object>> list = edges.computeIfAbsent(connection, c -> new ArrayList<>());
        list.removeIf(e -> ((Map<?, ?>) e.get("node")).get("id").equals(node.get("id")));
        String id = node.get("id").toString().replaceFirst(".*/", "");
        String cursor = Base64.getEncoder().encodeToString(("{\"last_id\":" + id + ",\"last_value\":\"" + node.get("updatedAt") + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        list.add(Map.of("cursor", cursor, "node", node));
        list.sort(Comparator.comparing(e -> (String) ((Map<?, ?>) e.get("node")).get("updatedAt")));
    }

    public void fail(Fault... next) {
        faults.addAll(List.of(next));
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().startsWith("/bulk/")) {
            download(exchange);
            return;
        }
        if (exchange.getRequestURI().getPath().startsWith("/bad/") || !TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
            send(exchange, 401, Map.of(), "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
            return;
        }
        Map<String, Object> request = JSON.readValue(exchange.getRequestBody().readAllBytes(), new TypeReference<Map<String, Object>>() { });
        Map<String, Object> variables = (Map<String, Object>) request.get("variables");
        queries.add(variables);
        Fault fault = faults.peek() != null && faults.peek().bulk() ? null : faults.poll();
        if (fault == Fault.TOO_MANY_REQUESTS) {
            send(exchange, 429, Map.of("Retry-After", "0.2"), "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}");
            return;
        }
        if (fault == Fault.ERROR_500) {
            send(exchange, 500, Map.of(), "{\"errors\":\"Internal Server Error\"}");
            return;
        }
        if (fault != null && REFUSALS.containsKey(fault)) {
            send(exchange, REFUSALS.get(fault).getKey(), Map.of(), REFUSALS.get(fault).getValue());
            return;
        }
        if (fault == Fault.DROP_CONNECTION) {
            // Closed before the answer's headers are sent: the server drops the connection unanswered.
            exchange.close();
            return;
        }
        String document = (String) request.get("query");
        Document parsed = Parser.parse(document);
        long requested = requestedCost(parsed, variables);
        requestedCosts.add(requested);
        if (requested > maxCost) {
            send(exchange, 200, Map.of(), JSON.writeValueAsString(Map.of("errors", List.of(Map.of("message", "Query cost is " + requested
                    + ", which exceeds the single query max cost limit (" + maxCost + ").", "extensions", Map.of("code", "MAX_COST_EXCEEDED",
                    "cost", requested, "maxCost", maxCost))))));
            return;
        }
        if (fault == Fault.ACCESS_DENIED) {
            Field denied = (Field) parsed.getDefinitionsOfType(OperationDefinition.class).get(0).getSelectionSet().getSelections().get(0);
            send(exchange, 200, Map.of(), JSON.writeValueAsString(Map.of("errors", List.of(Map.of("message", "Access denied for "
                    + denied.getName() + " field. Required access: `read_" + denied.getName() + "` access scope.", "path", List.of(denied.getName()),
                    "extensions", Map.of("code", "ACCESS_DENIED", "documentation", "https://shopify.dev/api/usage/access-scopes",
                            "requiredAccess", "`read_" + denied.getName() + "` access scope."))), "extensions", cost(requested, requested))));
            return;
        }
        boolean room = take(requested);
        if (fault == Fault.THROTTLED || !room) {
            if (fault != Fault.THROTTLED) {
                unpaced.incrementAndGet();
            }
            send(exchange, 200, Map.of(), JSON.writeValueAsString(Map.of("errors", List.of(Map.of("message", "Throttled",
                    "extensions", Map.of("code", "THROTTLED"))), "extensions", cost(requested, null))));
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Field root = (Field) parsed.getDefinitionsOfType(OperationDefinition.class).get(0).getSelectionSet().getSelections().get(0);
        Matcher connection = CONNECTION.matcher(document);
        String version = exchange.getRequestURI().getPath().replaceFirst("^/admin/api/([^/]+)/graphql\\.json$", "$1");
        boolean severalAtOnce = version.compareTo(SEVERAL_AT_ONCE) >= 0;
        if (document.contains("bulkOperationRunQuery")) {
            data.put("bulkOperationRunQuery", runBulk((String) variables.get("query"), severalAtOnce));
        } else if (root.getName().equals("bulkOperation") && !severalAtOnce) {
            refund(requested, 0);
            send(exchange, 200, Map.of(), JSON.writeValueAsString(Map.of("errors", List.of(Map.of("message",
                    "Field 'bulkOperation' doesn't exist on type 'QueryRoot'", "path", List.of("query Operation", "bulkOperation"),
                    "extensions", Map.of("code", "undefinedField", "typeName", "QueryRoot", "fieldName", "bulkOperation"))))));
            return;
        } else if (document.contains("currentBulkOperation") || root.getName().equals("bulkOperation") || root.getName().equals("node")) {
            beforeAnswer.accept("bulkOperation", variables);
            data.put(root.getName(), polled(root.getName().equals("currentBulkOperation") ? operations.get(operations.size() - 1)
                    : operations.stream().filter(o -> o.id().equals(variables.get("id"))).findFirst().orElse(null)));
        } else if (root.getName().equals("order")) {
            data.put("order", order(root, variables));
        } else if (connection.find()) {
            beforeAnswer.accept(connection.group(1), variables);
            data.put(connection.group(1), page(connection.group(1), variables, root));
        } else {
            refund(requested, 0);
            send(exchange, 200, Map.of(), "{\"errors\":[{\"message\":\"Field does not exist on QueryRoot\"}]}");
            return;
        }
        // Never more than requested: a list without first (userErrors) is reckoned as one object before it runs.
        long actual = Math.min(requested, actualCost(parsed, data));
        refund(requested, actual);
        send(exchange, 200, Map.of(), JSON.writeValueAsString(Map.of("data", data, "extensions", cost(requested, actual))));
    }

    /**
     * A query's requested cost as Shopify reckons it before running it: a scalar costs 0, an object 1 plus its
     * fields, a connection (or a list cut at {@code first}/{@code last}) 2 plus its {@code pageInfo} plus first
     * times one node (1 plus the node's fields), {@code nodes(ids:)} one node per id.
     */
    public static long requestedCost(Document document, Map<String, Object> variables) {
        OperationDefinition operation = document.getDefinitionsOfType(OperationDefinition.class).get(0);
        return mutation(operation) ? MUTATION_COST * operation.getSelectionSet().getSelections().size()
                : cost(operation.getSelectionSet(), variables);
    }

    /** Shopify charges a mutation {@link #MUTATION_COST} whatever its payload selects, before and after it runs. */
    private static boolean mutation(OperationDefinition operation) {
        return operation.getOperation() == OperationDefinition.Operation.MUTATION;
    }

    /**
     * What a query cost once run, as Shopify reckons it from what it returned: its requested cost with each connection
     * or list counted by the items it holds instead of its {@code first}.
     */
    static long actualCost(Document document, Map<String, Object> data) {
        OperationDefinition operation = document.getDefinitionsOfType(OperationDefinition.class).get(0);
        return mutation(operation) ? MUTATION_COST * operation.getSelectionSet().getSelections().size()
                : actual(operation.getSelectionSet(), data);
    }

    private static long actual(SelectionSet set, Object data) {
        long total = 0;
        for (Selection<?> selection : set == null || !(data instanceof Map<?, ?>) ? List.<Selection<?>>of() : set.getSelections()) {
            if (selection instanceof Field field) {
                total += actual(field, ((Map<?, ?>) data).get(field.getAlias() != null ? field.getAlias() : field.getName()));
            } else if (selection instanceof InlineFragment fragment) {
                total += actual(fragment.getSelectionSet(), data);
            }
        }
        return total;
    }

    private static long actual(Field field, Object value) {
        if (field.getSelectionSet() == null || value == null) {
            return 0;
        }
        if (value instanceof List<?> items) {
            return 2 + items.stream().mapToLong(item -> 1 + actual(field.getSelectionSet(), item)).sum();
        }
        Field edges = child(field, "edges");
        Field nodes = child(field, "nodes");
        if (edges == null && nodes == null) {
            return 1 + actual(field.getSelectionSet(), value);
        }
        Map<?, ?> connection = (Map<?, ?>) value;
        long cost = 2 + (child(field, "pageInfo") != null ? 1 : 0);
        for (Object edge : edges == null ? List.of() : (List<?>) connection.get("edges")) {
            Field node = child(edges, "node");
            cost += 1 + (node == null ? 0 : actual(node.getSelectionSet(), ((Map<?, ?>) edge).get("node")));
        }
        for (Object node : nodes == null ? List.of() : (List<?>) connection.get("nodes")) {
            cost += 1 + actual(nodes.getSelectionSet(), node);
        }
        return cost;
    }

    private static long cost(SelectionSet set, Map<String, Object> variables) {
        long total = 0;
        for (Selection<?> selection : set == null ? List.<Selection<?>>of() : set.getSelections()) {
            if (selection instanceof Field field) {
                total += cost(field, variables);
            } else if (selection instanceof InlineFragment fragment) {
                total += cost(fragment.getSelectionSet(), variables);
            }
        }
        return total;
    }

    private static long cost(Field field, Map<String, Object> variables) {
        if (field.getSelectionSet() == null) {
            return 0;
        }
        Object ids = argument(field, "ids", variables);
        if (ids instanceof List<?> list) {
            return list.size() * (1 + cost(field.getSelectionSet(), variables));
        }
        Object first = argument(field, "first", variables) != null ? argument(field, "first", variables) : argument(field, "last", variables);
        if (!(first instanceof Number size)) {
            return 1 + cost(field.getSelectionSet(), variables);
        }
        long connection = 2;
        boolean edges = false;
        for (Selection<?> selection : field.getSelectionSet().getSelections()) {
            if (selection instanceof Field child && child.getName().equals("edges")) {
                edges = true;
                Field node = child(child, "node");
                connection += size.longValue() * (1 + (node == null ? 0 : cost(node.getSelectionSet(), variables)));
            } else if (selection instanceof Field child && child.getName().equals("nodes")) {
                edges = true;
                connection += size.longValue() * (1 + cost(child.getSelectionSet(), variables));
            } else if (selection instanceof Field child && child.getName().equals("pageInfo")) {
                connection += 1;
            }
        }
        // A list cut at first (an order's refunds): each item is the field's own selection.
        return edges ? connection : connection + size.longValue() * (1 + cost(field.getSelectionSet(), variables));
    }

    private static Field child(Field field, String name) {
        return field.getSelectionSet() == null ? null : field.getSelectionSet().getSelectionsOfType(Field.class).stream()
                .filter(f -> f.getName().equals(name)).findFirst().orElse(null);
    }

    /** The field of {@code name} anywhere below {@code field}, or null. */
    private static Field below(Field field, String name) {
        for (Field child : field.getSelectionSet() == null ? List.<Field>of() : field.getSelectionSet().getSelectionsOfType(Field.class)) {
            Field found = child.getName().equals(name) ? child : below(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Object argument(Field field, String name, Map<String, Object> variables) {
        return field.getArguments().stream().filter(a -> a.getName().equals(name)).findFirst().map(Argument::getValue)
                .map(value -> value(value, variables)).orElse(null);
    }

    private static Object value(Value<?> value, Map<String, Object> variables) {
        if (value instanceof VariableReference reference) {
            return variables.get(reference.getName());
        }
        if (value instanceof IntValue number) {
            return number.getValue();
        }
        if (value instanceof StringValue text) {
            return text.getValue();
        }
        if (value instanceof ArrayValue array) {
            return array.getValues().stream().map(v -> value(v, variables)).toList();
        }
        return null;
    }

    /** {@code order(id:)}: the order, its lines and refunds cut as the query asks; null for an unknown id. */
    private synchronized Map<String, Object> order(Field root, Map<String, Object> variables) {
        Object id = argument(root, "id", variables);
        return nodes("orders").stream().filter(node -> node.get("id").equals(id)).findFirst().map(node -> shaped(node, root, variables))
                .orElse(null);
    }

    /**
     * An order node as a query selecting {@code within} reads it: its {@code lineItems} from {@code after} (a cursor of this
     * store: the position of the line before) cut at {@code first}, with their {@code pageInfo}, and its refunds cut at {@code first}.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shaped(Map<String, Object> node, Field within, Map<String, Object> variables) {
        Map<String, Object> shaped = new LinkedHashMap<>(node);
        Field lineItems = below(within, "lineItems");
        if (lineItems != null && argument(lineItems, "first", variables) instanceof Number first) {
            List<Map<String, Object>> lines = (List<Map<String, Object>>) ((Map<String, Object>) node.getOrDefault("lineItems", Map.of()))
                    .getOrDefault("nodes", List.of());
            Object after = argument(lineItems, "after", variables);
            int from = after == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(after.toString()), StandardCharsets.UTF_8)
                    .replaceFirst("^line:", "")) + 1;
            int to = Math.min(lines.size(), from + first.intValue());
            Map<String, Object> pageInfo = new LinkedHashMap<>();
            pageInfo.put("hasNextPage", to < lines.size());
            pageInfo.put("endCursor", to == from ? null
                    : Base64.getEncoder().encodeToString(("line:" + (to - 1)).getBytes(StandardCharsets.UTF_8)));
            shaped.put("lineItems", Map.of("nodes", lines.subList(from, to), "pageInfo", pageInfo));
        }
        Field refunds = below(within, "refunds");
        if (refunds != null && argument(refunds, "first", variables) instanceof Number first
                && node.get("refunds") instanceof List<?> all && all.size() > first.intValue()) {
            shaped.put("refunds", all.subList(0, first.intValue()));
        }
        // What the query does not select is not answered.
        if (lineItems == null) {
            shaped.remove("lineItems");
        }
        if (refunds == null) {
            shaped.remove("refunds");
        }
        return shaped;
    }

    /**
     * Starts a bulk operation over the connection its query names, as Shopify does: the file holds
     * one object per line, slashes escaped; an order's line items are lines of their own with
     * {@code __parentId}, after their order but not directly (after the next order), and its refunds
     * (a list, not a connection) stay inside it.
     */
    @SuppressWarnings("unchecked")
    private synchronized Map<String, Object> runBulk(String query, boolean severalAtOnce) {
        // One bulk query of an app per shop at a time before 2026-01, five from then on.
        if (operations.stream().filter(this::running).count() >= (severalAtOnce ? MOST_RUNNING : 1)) {
            Map<String, Object> refused = new LinkedHashMap<>();
            refused.put("bulkOperation", null);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("field", null);
            error.put("message", severalAtOnce ? "A maximum of " + MOST_RUNNING + " bulk query operations can run at the same time for this app and shop"
                    : "A bulk query operation for this app and shop is already in progress");
            refused.put("userErrors", List.of(error));
            return refused;
        }
        Matcher connection = Pattern.compile("\\{\\s*(customers|products|orders)\\s*\\{").matcher(query);
        if (!connection.find()) {
            Map<String, Object> refused = new LinkedHashMap<>();
            refused.put("bulkOperation", null);
            refused.put("userErrors", List.of(Map.of("field", List.of("query"), "message", "Invalid bulk query")));
            return refused;
        }
        bulkQueries.add(connection.group(1));
        bulkDocuments.add(query);
        List<String> lines = new ArrayList<>();
        List<String> held = new ArrayList<>();
        long objects = 0;
        for (Map<String, Object> node : nodes(connection.group(1))) {
            Map<String, Object> line = new LinkedHashMap<>(node);
            List<Map<String, Object>> items = (List<Map<String, Object>>) ((Map<String, Object>) line.getOrDefault("lineItems", Map.of())).getOrDefault("nodes", List.of());
            line.remove("lineItems");
            lines.add(escaped(line));
            lines.addAll(held);
            held.clear();
            for (Map<String, Object> item : items) {
                Map<String, Object> child = new LinkedHashMap<>(item);
                child.put("__parentId", node.get("id"));
                held.add(escaped(child));
            }
            objects += 1 + items.size();
        }
        lines.addAll(held);
        StringBuilder jsonl = new StringBuilder(String.join("", bulkLineOrder.apply(lines)));
        boolean faulted = bulkFaultConnection == null || bulkFaultConnection.equals(connection.group(1));
        if (faulted && faults.peek() == Fault.BULK_MALFORMED_LINE) {
            faults.poll();
            jsonl.insert(jsonl.indexOf("\n") + 1, "{\"id\":\"gid:\\/\\/shopify\\/Customer\\/1\",\"firstName\":\"Cut\n");
        }
        Fault fault = faulted && EnumSet.of(Fault.BULK_FAILED, Fault.BULK_LINK_EXPIRED, Fault.BULK_ACCESS_DENIED, Fault.BULK_TIMEOUT)
                .contains(faults.peek()) ? faults.poll() : null;
        BulkOperation operation = new BulkOperation("gid://shopify/BulkOperation/" + (720918 + operations.size()), query, bulkCreatedAt,
                jsonl.toString().getBytes(StandardCharsets.UTF_8), objects, fault, new AtomicInteger(),
                new java.util.concurrent.atomic.AtomicBoolean());
        operations.add(operation);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("id", operation.id());
        started.put("status", "CREATED");
        started.put("createdAt", operation.createdAt());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bulkOperation", started);
        answer.put("userErrors", List.of());
        return answer;
    }

    /** Starts a bulk operation of {@code query} as another run of the app would (on an API version that runs several at once); returns its GID. */
    public String startBulk(String query) {
        return (String) ((Map<?, ?>) runBulk(query, true).get("bulkOperation")).get("id");
    }

    /** Whether no poll has found {@code operation} ended yet: it ends at its poll after {@link #runningPolls}. */
    private boolean running(BulkOperation operation) {
        if (operation.polls().get() > runningPolls) {
            operation.ended().set(true);
        }
        return !operation.ended().get();
    }

    /** The GID of the latest bulk operation. */
    public String currentOperation() {
        return operations.get(operations.size() - 1).id();
    }

    /**
     * A poll of {@code operation} (null when Shopify knows none by the id asked): RUNNING for {@link #runningPolls} polls, then
     * COMPLETED with its file's link, or FAILED (with the link of a partial file after a TIMEOUT).
     */
    private Map<String, Object> polled(BulkOperation operation) {
        bulkPolls.incrementAndGet();
        if (operation == null) {
            return null;
        }
        operation.polls().incrementAndGet();
        boolean running = running(operation);
        Fault fault = operation.fault();
        boolean failed = fault == Fault.BULK_FAILED || fault == Fault.BULK_ACCESS_DENIED || fault == Fault.BULK_TIMEOUT;
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("id", operation.id());
        current.put("status", running ? "RUNNING" : failed ? "FAILED" : "COMPLETED");
        current.put("errorCode", running || !failed ? null : fault == Fault.BULK_FAILED ? "INTERNAL_SERVER_ERROR" : fault.name().replace("BULK_", ""));
        current.put("createdAt", operation.createdAt());
        current.put("objectCount", String.valueOf(running || failed ? 0 : operation.objects()));
        current.put("fileSize", running || failed ? null : String.valueOf(operation.jsonl().length));
        current.put("query", operation.query());
        String link = url() + "/bulk/" + operation.id().replaceFirst(".*/", "");
        current.put("url", running || failed || operation.objects() == 0 ? null : link + ".jsonl?X-Goog-Signature=test");
        current.put("partialDataUrl", !running && fault == Fault.BULK_TIMEOUT ? link + "-partial.jsonl?X-Goog-Signature=test" : null);
        return current;
    }

    /** A bulk operation's file, as its signed storage link serves it (no token); 403 once the link has expired. */
    private void download(HttpExchange exchange) throws IOException {
        String file = exchange.getRequestURI().getPath().replaceAll("^/bulk/|\\.jsonl$", "");
        boolean partial = file.endsWith("-partial");
        String id = file.replaceFirst("-partial$", "");
        BulkOperation operation = operations.stream().filter(o -> o.id().endsWith("/" + id)).findFirst().orElse(null);
        if (operation == null || operation.fault() == Fault.BULK_LINK_EXPIRED) {
            exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=UTF-8");
            byte[] body = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        byte[] body = operation.jsonl();
        if (partial) {
            String[] lines = new String(body, StandardCharsets.UTF_8).split("(?<=\n)");
            body = String.join("", java.util.Arrays.asList(lines).subList(0, Math.min(partialLines, lines.length))).getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/jsonl");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** One JSONL line, with Shopify's escaped slashes ({@code gid:\/\/shopify\/Customer\/1}). */
    private static String escaped(Map<String, Object> object) {
        return JSON.writeValueAsString(object).replace("/", "\\/") + "\n";
    }

    /** Takes a query's requested cost from the bucket, restored since the last query, if it holds as much. */
    private synchronized boolean take(long requested) {
        long now = System.nanoTime();
        available = Math.min(MAXIMUM, available + RESTORE * (now - restoredAt) / 1e9);
        restoredAt = now;
        if (available < requested) {
            return false;
        }
        available -= requested;
        return true;
    }

    /** Gives back what a query that ran requested beyond what it cost. */
    private synchronized void refund(long requested, long actual) {
        available = Math.min(MAXIMUM, available + requested - actual);
    }

    private synchronized Map<String, Object> cost(long requested, Long actual) {
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("requestedQueryCost", requested);
        cost.put("actualQueryCost", actual);
        cost.put("throttleStatus", Map.of("maximumAvailable", MAXIMUM, "currentlyAvailable", available, "restoreRate", RESTORE));
        return Map.of("cost", cost);
    }

    @SuppressWarnings("unchecked")
    private synchronized Map<String, Object> page(String connection, Map<String, Object> variables, Field root) {
        String query = (String) variables.get("query");
        String since = query == null ? null : query.replaceFirst("^updated_at:>'(.*)'$", "$1");
        List<Map<String, Object>> matching = edges.getOrDefault(connection, List.of()).stream()
                .filter(e -> since == null || ((String) ((Map<String, Object>) e.get("node")).get("updatedAt")).compareTo(since) > 0).toList();
        int from = 0;
        Object after = variables.get("after");
        for (int i = 0; i < matching.size() && after != null; i++) {
            if (after.equals(matching.get(i).get("cursor"))) {
                from = i + 1;
            }
        }
        int first = ((Number) variables.get("first")).intValue();
        List<Map<String, Object>> slice = matching.subList(from, Math.min(matching.size(), from + first)).stream()
                .map(edge -> Map.of("cursor", edge.get("cursor"), "node", shaped((Map<String, Object>) edge.get("node"), root, variables))).toList();
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", from + first < matching.size() || phantomNextPage && (from < matching.size() || slice.isEmpty()));
        pageInfo.put("endCursor", slice.isEmpty() ? null : slice.get(slice.size() - 1).get("cursor"));
        return Map.of("edges", slice, "pageInfo", pageInfo);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
