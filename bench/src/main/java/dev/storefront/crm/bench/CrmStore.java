package dev.storefront.crm.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** The rows done by the CRM: GraphQL over HTTP, and the CSV export endpoint. */
final class CrmStore implements Store {

    static final String FILTERED_PAGE = "{ customers(first: 50, where: {lifetimeValue: {gt: 500}, totalOrders: {gt: 3},"
            + " customerSegment: {in: [VIP, LOYAL]}}, orderBy: [{field: LIFETIME_VALUE, direction: DESC},"
            + " {field: LAST_PURCHASE_DATE, direction: ASC}]) { totalCount nodes { id fullName lifetimeValue } } }";
    private static final String ONE = "query($id: ID!) { customer(id: $id) { id fullName email lifetimeValue customerSegment } }";
    private static final String WITH_ORDERS = "{ customers(first: 50, where: {totalOrders: {gt: 0}}) { nodes { id fullName"
            + " orders(first: 5, orderBy: [{field: ORDER_DATE, direction: DESC}]) { nodes { id orderNumber orderDate totalAmount status } } } } }";
    private static final String TICKETS = "{ customers(first: 50, where: {supportTickets: {count: {gt: 2},"
            + " where: {openedAt: {withinLastDays: 180}}}}) { totalCount nodes { id } } }";
    private static final String REVENUE = "{ ordersAggregate(groupBy: [{field: ORDER_DATE, granularity: MONTH}])"
            + " { key { orderDate } sum { totalAmount } count } }";
    private static final String SEGMENTS = "{ customersAggregate(groupBy: [{field: CUSTOMER_SEGMENT}]) { key { customerSegment } count } }";
    private static final String CREATE = "mutation($inputs: [CustomerCreateInput!]!) { createCustomers(inputs: $inputs) { id } }";
    private static final String UPDATE = "mutation($id: ID!, $notes: String) { updateCustomer(id: $id, input: {notes: $notes}) { id } }";
    private static final String ADD_FIELD = "mutation($object: String!, $label: String!) { addField(object: $object,"
            + " input: {label: $label, type: INTEGER}) { apiName graphqlName } }";
    private static final String DELETE_FIELD = "mutation($object: String!, $field: String!) { deleteField(object: $object,"
            + " field: $field, confirm: true) { apiName } }";

    private static final String BACKUP = "mutation { backup { file } }";
    private static final String RECOMPUTE = "mutation { recomputeRollups(object: \"customers\") }";
    private static final String RECLASSIFY = "mutation($asOf: Date) { reclassifySegments(ruleSet: \"recency-value\", asOf: $asOf)"
            + " { moved counts { segment customers } } }";
    private static final String RFM = "mutation($asOf: Date) { scoreRfm(asOf: $asOf) { changed counts { segment customers } } }";
    private static final String CREATE_ORDER = "mutation($number: String!, $customer: ID) { createOrder(input: {orderNumber: $number,"
            + " customerId: $customer, orderDate: \"%s\", totalAmount: 25.00, status: DELIVERED}) { id } }";

    private static final String CLV = "mutation { fitClvModel { model { status customers repeatBuyers } changedCustomers } }";

    private final ServerProcess server;
    private final HttpClient http;
    private final GraphQl graphQl;
    private final WebhookPoster webhooks;
    private final CsvDownload downloads = new CsvDownload();

    CrmStore(ServerProcess server) {
        this(server, ServerProcess.KEY);
    }

    private CrmStore(ServerProcess server, String apiKey) {
        this.server = server;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.graphQl = new GraphQl(server.uri(""), apiKey);
        this.webhooks = new WebhookPoster(server.uri("/plugins/shopify/webhooks"));
    }

    /** The same server through a new viewer key of its own, with its own rate limit. */
    CrmStore asNewViewer(String name) throws Exception {
        String secret = graphQl.run("mutation($name: String!) { createApiKey(name: $name, role: VIEWER) { secret } }", Map.of("name", name))
                .path("createApiKey").path("secret").asString();
        return new CrmStore(server, secret);
    }

    @Override
    public String customerById(long id) throws Exception {
        return fingerprint(Report.ONE, graphQl.run(ONE, Map.of("id", Long.toString(id))));
    }

    @Override
    public String widget(DashboardWidget widget, java.time.LocalDate[] range) throws Exception {
        return widget.fingerprint(graphQl.run(widget.query(range)).path(widget.field()));
    }

    @Override
    public String board(java.time.LocalDate[] range) throws Exception {
        // Every widget's whole answer, as the console asks for it.
        JsonNode widgets = graphQl.run("{ dashboard(" + DashboardWidget.rangeArgument(range) + ") { widgets { id error data { "
                + "__typename ... on Series { labels lines { name values } } ... on Stat { value previous change } "
                + "... on Table { columns { name } rows } ... on Matrix { rowLabels columnLabels layers { name values } } } } } }")
                .path("dashboard").path("widgets");
        int answered = 0;
        for (JsonNode widget : widgets) {
            if (widget.path("error").isNull()) {
                answered++;
            } else {
                throw new IllegalStateException("widget " + widget.path("id").asString() + ": " + widget.path("error").asString());
            }
        }
        return answered + " widgets";
    }

    @Override
    public String filteredPage() throws Exception {
        return fingerprint(Report.FILTER, graphQl.run(FILTERED_PAGE));
    }

    @Override
    public String pageWithLastOrders() throws Exception {
        return fingerprint(Report.ORDERS, graphQl.run(WITH_ORDERS));
    }

    @Override
    public String ticketCountFilter() throws Exception {
        return fingerprint(Report.TICKETS, graphQl.run(TICKETS));
    }

    /**
     * The fingerprint of the {@code data} answering read row {@code work}'s question, from our server
     * or from a peer that answers in the same shape ({@link Peer}).
     */
    static String fingerprint(String work, JsonNode data) {
        return switch (work) {
            case Report.ONE -> data.path("customer").path("fullName").asString();
            case Report.FILTER, Report.TICKETS -> data.path("customers").path("totalCount").asLong() + " "
                    + ids(data.path("customers").path("nodes"));
            case Report.ORDERS -> {
                List<String> parts = new ArrayList<>();
                for (JsonNode customer : data.path("customers").path("nodes")) {
                    parts.add(Fingerprints.entryNumber(customer.path("id").asString()) + ":" + ids(customer.path("orders").path("nodes")));
                }
                yield String.join(" ", parts);
            }
            default -> throw new IllegalArgumentException("no fingerprint for " + work);
        };
    }

    @Override
    public String revenueByMonth() throws Exception {
        JsonNode groups = graphQl.run(REVENUE).path("ordersAggregate");
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (JsonNode group : groups) {
            orders += group.path("count").asLong();
            JsonNode sum = group.path("sum").path("totalAmount");
            revenue = sum.isNull() ? revenue : revenue.add(new BigDecimal(sum.asString()));
        }
        return Fingerprints.revenue(groups.size(), orders, revenue);
    }

    @Override
    public String customersBySegment() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode group : graphQl.run(SEGMENTS).path("customersAggregate")) {
            JsonNode segment = group.path("key").path("customerSegment");
            counts.put(segment.isNull() || segment.isMissingNode() ? "-" : segment.asString(), group.path("count").asLong());
        }
        return counts.toString();
    }

    @Override
    public int createCustomers(String tag, int count) throws Exception {
        List<Map<String, Object>> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("fullName", "Bench Buyer " + i);
            input.put("firstName", "Bench");
            input.put("lastName", "Buyer " + i);
            input.put("email", Fingerprints.benchEmail(tag, i));
            input.put("acceptsMarketing", i % 2 == 0);
            input.put("tags", List.of("bench"));
            inputs.add(input);
        }
        return graphQl.run(CREATE, Map.of("inputs", inputs)).path("createCustomers").size();
    }

    @Override
    public void updateCustomer(long id, String notes) throws Exception {
        graphQl.run(UPDATE, Map.of("id", Long.toString(id), "notes", notes));
    }

    @Override
    public String addFieldAndRead(String label) throws Exception {
        return addFieldAndRead("customers", "customers", label);
    }

    /** Adds an integer field to {@code object} and reads it through the object's list field until the schema has it. */
    String addFieldAndRead(String object, String listField, String label) throws Exception {
        JsonNode field = graphQl.run(ADD_FIELD, Map.of("object", object, "label", label)).path("addField");
        String name = field.path("graphqlName").asString();
        String read = "{ " + listField + "(first: 1) { nodes { id " + name + " } } }";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                graphQl.run(read);
                return field.path("apiName").asString();
            } catch (GraphQl.GraphQlError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(5);
            }
        }
    }

    void deleteField(String object, String field) throws Exception {
        graphQl.run(DELETE_FIELD, Map.of("object", object, "field", field));
    }

    /** The models did not fit this store (its generated customers can be too alike at small scales): nothing to time. */
    static final class ClvNotFitted extends IllegalStateException {
        ClvNotFitted(String status) {
            super("The CLV fit answered " + status);
        }
    }

    @Override
    public String recomputeCustomerMetrics() throws Exception {
        return Fingerprints.changed(graphQl.run(RECOMPUTE).path("recomputeRollups").asLong());
    }

    @Override
    public String reclassify(java.time.LocalDate asOf) throws Exception {
        JsonNode run = graphQl.run(RECLASSIFY, Map.of("asOf", asOf.toString())).path("reclassifySegments");
        return Fingerprints.segments(run.path("moved").asLong(), counts(run));
    }

    @Override
    public String scoreRfm(java.time.LocalDate asOf) throws Exception {
        JsonNode run = graphQl.run(RFM, Map.of("asOf", asOf.toString())).path("scoreRfm");
        return Fingerprints.segments(run.path("changed").asLong(), counts(run));
    }

    private static Map<String, Long> counts(JsonNode run) {
        Map<String, Long> counts = new TreeMap<>();
        run.path("counts").forEach(c -> counts.put(c.path("segment").asString(), c.path("customers").asLong()));
        return counts;
    }

    @Override
    public void createOrder(String number, Long customer) throws Exception {
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("number", number);
        variables.put("customer", customer == null ? null : customer.toString());
        graphQl.run(CREATE_ORDER.formatted(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)), variables);
    }

    @Override
    public String fitAndScoreClv() throws Exception {
        JsonNode model = graphQl.run(CLV).path("fitClvModel").path("model");
        if (!model.path("status").asString().equals("FITTED")) {
            throw new ClvNotFitted(model.path("status").asString());
        }
        return Fingerprints.clv(model.path("customers").asLong(), model.path("repeatBuyers").asLong());
    }

    @Override
    public long exportCustomers() throws Exception {
        return downloads.records(server.uri("/export/customers.csv"), ServerProcess.AUTHORIZATION);
    }

    /** The server checkpoints only inside a backup (under its write lock); the copy itself is not needed. */
    @Override
    public void settle() throws Exception {
        Files.deleteIfExists(Path.of(graphQl.run(BACKUP).path("backup").path("file").asString()));
    }

    @Override
    public long importCustomers(Path file) throws Exception {
        return CsvStore.importFile(http, graphQl, server, "csv:customers", file);
    }

    @Override
    public long importOrders(Path file) throws Exception {
        return CsvStore.importFile(http, graphQl, server, "csv:orders", file);
    }

    @Override
    public long importWooPerItem(Path file) throws Exception {
        return CsvStore.importFile(http, graphQl, server, "woocommerce:orders-per-item-csv", file);
    }

    /** The Shopify plugin's first sync of the store, through bulk operations, from start to the job's end (told to {@code files}). */
    @Override
    public long ingestShopifyBulk(BulkJsonl files) throws Exception {
        files.restart();
        String id = graphQl.run("mutation { runJob(plugin: \"shopify\", job: \"graphql-sync\", args: \"{\\\"full\\\": true}\") { id } }")
                .path("runJob").path("id").asString();
        // The job counts each customer's link to the store among the records it wrote: one more per customer line.
        long lines = CsvStore.awaitJob(graphQl, "shopify:graphql-sync", id) - files.customerLines();
        String finished = graphQl.run("query($id: ID!) { job(id: $id) { finishedAt } }", Map.of("id", id)).path("job").path("finishedAt").asString();
        files.ended(java.time.OffsetDateTime.parse(finished).toInstant().toEpochMilli());
        return lines;
    }

    /**
     * The deliveries whose webhook id begins with {@code tag} that the server's {@code shopify_webhooks}
     * holds: rows, and distinct ids (equal when each is stored once).
     */
    long[] storedWebhooks(String tag) throws Exception {
        String select = "SELECT count(*), count(DISTINCT webhook_id) FROM shopify_webhooks WHERE starts_with(webhook_id, '" + tag + "-')";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.uri("/sql"))
                .header("Authorization", ServerProcess.AUTHORIZATION).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GraphQl.JSON.writeValueAsString(Map.of("query", select)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST /sql answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode row = GraphQl.JSON.readTree(answer.body()).path("rows").path(0);
        return new long[] {row.path(0).asLong(), row.path(1).asLong()};
    }

    /** Posts a signed delivery to the Shopify plugin, which answers once it has stored it durably (journaled). */
    @Override
    public void storeWebhook(WebhookIngest.Delivery delivery) throws Exception {
        webhooks.post(delivery);
    }

    private static String ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(node -> ids.add(Fingerprints.entryNumber(node.path("id").asString())));
        return String.join(",", ids);
    }

    private static final String BENCH_WORKFLOW = """
            name: bench-segment-moves
            trigger: {on: segment_changed, to: Bench}
            steps:
              - wait: {days: 30}
            """;

    @Override
    public double workflowRunsPerSecond(int count) throws Exception {
        graphQl.run("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", BENCH_WORKFLOW));
        // Dated after the workflow is enabled, so the moves count as new to it; made while it is off.
        String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        for (int first = 1; first <= count; first += 10_000) {
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (int id = first; id < Math.min(first + 10_000, count + 1); id++) {
                inputs.add(Map.of("customerId", Integer.toString(id), "ruleSet", "bench", "fromSegment", "Before",
                        "toSegment", "Bench", "changedAt", at));
            }
            graphQl.run("mutation($inputs: [SegmentChangeCreateInput!]!) { createSegmentChanges(inputs: $inputs) { id } }",
                    Map.of("inputs", inputs));
        }
        long started = System.nanoTime();
        graphQl.run("mutation { enableWorkflow(name: \"bench-segment-moves\", enabled: true) { enabled } }");
        long deadline = started + Duration.ofMinutes(10).toNanos();
        while (true) {
            for (JsonNode health : graphQl.run("{ workflowHealth { workflow pendingRuns } }").path("workflowHealth")) {
                if (health.path("workflow").asString().equals("bench-segment-moves") && health.path("pendingRuns").asLong() >= count) {
                    return count / ((System.nanoTime() - started) / 1e9);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the workflow runs did not all start within 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        // HttpClient has no close() before Java 21; its threads end with the process.
        webhooks.close();
        downloads.close();
    }
}
