package dev.storefront.crm.client;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.HttpGraphQlClient;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A typed client of the Storefront CRM GraphQL API on Spring's {@link HttpGraphQlClient}: customers by
 * saved view with cursor iteration, a customer with orders, orders created, import jobs followed.
 * {@code Decimal} values are {@link BigDecimal} (the API answers them as exact strings); anything else
 * goes through {@link #query}.
 */
public final class CrmClient {

    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED");
    private static final String CUSTOMER_FIELDS = "id fullName email customerSegment lifetimeValue totalOrders";

    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    private static final JsonMapper ERRORS = JsonMapper.builder().build();

    private final HttpGraphQlClient graphQl;

    private CrmClient(HttpGraphQlClient graphQl) {
        this.graphQl = graphQl;
    }

    /** @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}; @param apiKey a key ({@code crm_…}) */
    public static CrmClient create(String baseUrl, String apiKey) {
        // The JDK's HTTP client (no other library needed), HTTP/1.1 as the server speaks it; answers of
        // a bulk mutation or a whole board pass WebClient's default 256 KB buffer, so allow up to 64 MB.
        WebClient web = WebClient.builder().baseUrl(baseUrl + "/graphql").defaultHeader("Authorization", "Bearer " + apiKey)
                .clientConnector(new JdkClientHttpConnector(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
                .build();
        return new CrmClient(HttpGraphQlClient.builder(web).build());
    }

    public record Customer(String id, String fullName, String email, String customerSegment, BigDecimal lifetimeValue, Long totalOrders) { }

    public record Order(String id, String orderNumber, String orderDate, String status, BigDecimal totalAmount) { }

    /** One page of a connection; {@code endCursor} continues it. */
    public record Page<T>(int totalCount, boolean hasNextPage, String endCursor, List<T> nodes) { }

    public record JobError(int row, Integer line, String column, String value, String reason) { }

    public record Job(String id, String name, String state, int processed, int total, int errorCount, String message, List<JobError> errors) {
        public boolean finished() {
            return FINISHED.contains(state);
        }
    }

    /** What {@link #createOrder} sends; {@code customerId} is a global id or the plain number. */
    public record NewOrder(String orderNumber, String customerId, String orderDate, BigDecimal totalAmount, String status) { }

    /**
     * The API refused the request; {@code code} is the first error's {@code extensions.code}, {@code status}
     * the HTTP status: 200 for errors in a GraphQL answer, else the refusal's (401, 403, 429 over the key's rate, ...).
     */
    public static final class CrmClientException extends RuntimeException {
        private final String code;
        private final int status;
        private final transient List<ResponseError> errors;

        CrmClientException(List<ResponseError> errors) {
            super(errors.stream().map(ResponseError::getMessage).reduce((a, b) -> a + "; " + b).orElse("Request failed"));
            this.code = errors.isEmpty() ? null : Objects.toString(errors.get(0).getExtensions().get("code"), null);
            this.status = 200;
            this.errors = List.copyOf(errors);
        }

        /** A refusal before GraphQL: the server answers it with the GraphQL error JSON all the same. */
        CrmClientException(WebClientResponseException refusal) {
            super(refusal.getStatusCode().value() + ": " + firstError(refusal, "message", refusal.getStatusText()), refusal);
            this.code = firstError(refusal, "code", null);
            this.status = refusal.getStatusCode().value();
            this.errors = List.of();
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }

        /** The errors of a GraphQL answer (message, path, extensions), in order; empty for a refusal before GraphQL. */
        public List<ResponseError> errors() {
            return errors;
        }

        private static String firstError(WebClientResponseException refusal, String part, String fallback) {
            try {
                JsonNode error = ERRORS.readTree(refusal.getResponseBodyAsString()).path("errors").path(0);
                JsonNode value = part.equals("code") ? error.path("extensions").path("code") : error.path(part);
                return value.isString() ? value.asString() : fallback;
            } catch (JacksonException notJson) {
                return fallback;
            }
        }
    }

    /** One page of a saved view's customers (its filter and sort). */
    public Page<Customer> customersByView(String view, int first, String after) {
        return page(query("query ($view: ID!, $first: Int, $after: String) { viewEntries(view: $view, first: $first, after: $after) {"
                + " totalCount pageInfo { hasNextPage endCursor } nodes { ... on Customer { " + CUSTOMER_FIELDS + " } } } }",
                vars("view", view, "first", first, "after", after)), "viewEntries", Customer.class);
    }

    /** Every customer of a saved view, page after page, handed to {@code each}; answers how many there were. */
    public int eachCustomerOfView(String view, int pageSize, Consumer<Customer> each) {
        int seen = 0;
        String after = null;
        Page<Customer> page;
        do {
            page = customersByView(view, pageSize, after);
            page.nodes().forEach(each);
            seen += page.nodes().size();
            after = page.endCursor();
        } while (page.hasNextPage());
        return seen;
    }

    public Customer customer(String id) {
        return query("query ($id: ID!) { customer(id: $id) { " + CUSTOMER_FIELDS + " } }", vars("id", id)).field("customer").toEntity(Customer.class);
    }

    /** A customer's newest orders first. */
    public Page<Order> ordersOf(String customerId, int first) {
        return page(query("query ($id: ID!, $first: Int) { customer(id: $id) { orders(first: $first, orderBy: [{ field: ORDER_DATE, direction: DESC }]) {"
                + " totalCount pageInfo { hasNextPage endCursor } nodes { id orderNumber orderDate status totalAmount } } } }",
                vars("id", customerId, "first", first)), "customer.orders", Order.class);
    }

    public Order createOrder(NewOrder order) {
        Map<String, Object> input = vars("orderNumber", order.orderNumber(), "customerId", order.customerId(), "orderDate", order.orderDate(),
                "totalAmount", order.totalAmount() == null ? null : order.totalAmount().toPlainString(), "status", order.status());
        return query("mutation ($input: OrderCreateInput!) { createOrder(input: $input) { id orderNumber orderDate status totalAmount } }",
                vars("input", input)).field("createOrder").toEntity(Order.class);
    }

    public Job job(String id) {
        return query("query ($id: ID!) { job(id: $id) { id name state processed total errorCount message errors { row line column value reason } } }",
                vars("id", id)).field("job").toEntity(Job.class);
    }

    /** Polls a job (an import started by {@code POST /imports/<importer>}) until it ends, each state seen handed to {@code progress}. */
    public Job waitForJob(String id, Duration interval, Consumer<Job> progress) throws InterruptedException {
        for (;;) {
            Job job = job(id);
            progress.accept(job);
            if (job.finished()) {
                return job;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** Any document; throws {@link CrmClientException} when the answer has errors. */
    public ClientGraphQlResponse query(String document, Map<String, Object> variables) {
        ClientGraphQlResponse response;
        try {
            response = graphQl.document(document).variables(variables).executeSync();
        } catch (WebClientResponseException refusal) {
            // A status other than 2xx: refused before GraphQL ran (key, rate, body).
            throw new CrmClientException(refusal);
        }
        if (!response.getErrors().isEmpty()) {
            throw new CrmClientException(response.getErrors());
        }
        return response;
    }

    private record PageInfo(boolean hasNextPage, String endCursor) { }

    private static <T> Page<T> page(ClientGraphQlResponse response, String path, Class<T> type) {
        PageInfo info = response.field(path + ".pageInfo").toEntity(PageInfo.class);
        Integer totalCount = response.field(path + ".totalCount").getValue();
        return new Page<>(Objects.requireNonNull(totalCount), info.hasNextPage(), info.endCursor(), response.field(path + ".nodes").toEntityList(type));
    }

    private static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
