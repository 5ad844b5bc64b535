package dev.storefront.crm.plugins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WooCommerce store on 127.0.0.1 serving {@code /wp-json/wc/v3/customers} and {@code /orders} from
 * the real-format fixtures, as WooCommerce does: HTTP Basic consumer key/secret, {@code per_page}
 * and {@code page}, {@code modified_after} (with {@code dates_are_gmt}), and the {@code X-WP-Total},
 * {@code X-WP-TotalPages} and {@code Link} headers; {@link #refuseAll} refuses every request.
 */
public final class FakeWooCommerce implements AutoCloseable {

    public static final String KEY = "ck_test_0123456789";
    public static final String SECRET = "cs_test_9876543210";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, List<Map<String, Object>>> resources = new LinkedHashMap<>();
    /** Every request's path and query, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** While set, every request is refused as with wrong credentials. */
    public volatile boolean refuseAll;
    /** A request whose path and query contain this text answers 500 once (then it is cleared). */
    public volatile String failOnce;
    /** How many items each answer carried, by request. */
    public final List<Integer> served = new CopyOnWriteArrayList<>();

    public FakeWooCommerce() {
        try {
            resources.put("customers", read("woocommerce_customers.json"));
            resources.put("orders", read("woocommerce_orders_page1.json"));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> read(String fixture) throws IOException {
        return JSON.readValue(Files.readString(Fixtures.woocommerce(fixture)), new TypeReference<List<Map<String, Object>>>() { });
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Changes one resource as the store would: new values and a newer date_modified(_gmt). */
    public synchronized void modify(String resource, long id, Map<String, Object> changes, String modifiedGmt) {
        for (Map<String, Object> item : resources.get(resource)) {
            if (((Number) item.get("id")).longValue() == id) {
                item.putAll(changes);
                item.put("date_modified_gmt", modifiedGmt);
                item.put("date_modified", modifiedGmt);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        requests.add(path + "?" + query);
        String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        if (refuseAll || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, Map.of(), "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list resources.\",\"data\":{\"status\":401}}");
            return;
        }
        String trap = failOnce;
        if (trap != null && (path + "?" + query).contains(trap)) {
            failOnce = null;
            send(exchange, 500, Map.of(), "{\"code\":\"internal_server_error\"}");
            return;
        }
        String resource = path.replaceFirst("^/wp-json/wc/v3/", "");
        if (!resources.containsKey(resource)) {
            send(exchange, 404, Map.of(), "{\"code\":\"rest_no_route\"}");
            return;
        }
        Map<String, String> params = params(query);
        int perPage = Integer.parseInt(params.getOrDefault("per_page", "10"));
        int page = Integer.parseInt(params.getOrDefault("page", "1"));
        List<Map<String, Object>> matching;
        synchronized (this) {
            matching = new ArrayList<>(resources.get(resource));
        }
        String after = params.get("modified_after");
        if (after != null) {
            String field = "true".equals(params.get("dates_are_gmt")) ? "date_modified_gmt" : "date_modified";
            matching.removeIf(item -> String.valueOf(item.get(field)).compareTo(after) <= 0);
        }
        matching.sort(Comparator.comparingLong(item -> ((Number) item.get("id")).longValue()));
        int total = matching.size();
        int pages = (total + perPage - 1) / perPage;
        List<Map<String, Object>> slice = matching.subList(Math.min(total, (page - 1) * perPage), Math.min(total, page * perPage));
        served.add(slice.size());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-WP-Total", String.valueOf(total));
        headers.put("X-WP-TotalPages", String.valueOf(pages));
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add("<" + url() + path + "?" + withPage(params, page - 1) + ">; rel=\"prev\"");
        }
        if (page < pages) {
            links.add("<" + url() + path + "?" + withPage(params, page + 1) + ">; rel=\"next\"");
        }
        if (!links.isEmpty()) {
            headers.put("Link", String.join(", ", links));
        }
        send(exchange, 200, headers, JSON.writeValueAsString(slice));
    }

    private static String withPage(Map<String, String> params, int page) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put("page", String.valueOf(page));
        return String.join("&", copy.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
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
