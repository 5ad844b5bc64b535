package dev.storefront.crm.plugins;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WooCommerce store on 127.0.0.1 (a plain HTTP/1.1 socket server, so that it can send its own
 * {@code Date} and cut a connection mid-answer) serving {@code /wp-json/wc/v3/customers} and {@code /orders} from
 * the real-format fixtures, as WooCommerce does: HTTP Basic consumer key/secret, {@code per_page}
 * and {@code page}, {@code modified_after} on orders (with {@code dates_are_gmt}; customers ignore
 * it, as WooCommerce's customers endpoint does), customers of the role asked for ({@code role},
 * "customer" by default, or "all"), trashed orders only when asked for
 * ({@code status=trash}), the {@code X-WP-Total}, {@code X-WP-TotalPages} and
 * {@code Link} headers, and a {@code Date} header from the store's own clock, which tests set and
 * which stamps every change ({@code date_modified_gmt}, and {@code date_modified} in the store's
 * zone, {@link #ZONE}). Tests can change data while a sync pages ({@link #beforeAnswer}) and make
 * requests fail. Under {@code /bad/}, or while {@link #refuseAll} is set, every request is refused.
 */
public final class FakeWooCommerce implements AutoCloseable {

    public static final String KEY = "ck_test_0123456789";
    public static final String SECRET = "cs_test_9876543210";
    /** The store's own zone: its local dates are not GMT. */
    public static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");
    private static final DateTimeFormatter WOO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How a request matched by {@link #fail} fails. */
    public enum Fault { ERROR_500, DROP_CONNECTION }

    /** WordPress's answer to a REST route no plugin registered (WooCommerce not active). */
    public static final String NO_ROUTE = "{\"code\":\"rest_no_route\",\"message\":\"No route was found matching the URL and request"
            + " method.\",\"data\":{\"status\":404}}";
    /** WooCommerce's answer to a request that no user is authenticated for (or one that may not read the resource). */
    public static final String CANNOT_VIEW = "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list"
            + " resources.\",\"data\":{\"status\":401}}";
    /** The theme's "page not found" that WordPress serves for {@code /wp-json/...} under plain permalinks. */
    private static final String NOT_FOUND_PAGE = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Page not found &#8211; Shop</title></head>"
            + "<body class=\"error404\"><h1>Oops! That page can&rsquo;t be found.</h1></body></html>";

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-woocommerce");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, List<Map<String, Object>>> resources = new LinkedHashMap<>();
    /** Every request's path and query, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** While set, every request is refused as with wrong credentials. */
    public volatile boolean refuseAll;
    /** While set, answers carry no {@code X-WP-Total} and {@code X-WP-TotalPages} (as behind a host or proxy that strips them). */
    public volatile boolean withoutTotals;
    /**
     * While not 0, every authorised request is answered with this HTTP status and the HTML page a security plugin's bot
     * challenge serves ({@link #CHALLENGE}).
     */
    public volatile int webPage;
    public static final String CHALLENGE_TITLE = "Just a moment...";
    private static final String CHALLENGE = "<!DOCTYPE html><html lang=\"en-US\"><head><title>" + CHALLENGE_TITLE + "</title>"
            + "<meta http-equiv=\"refresh\" content=\"390\"></head><body><noscript>Enable JavaScript and cookies to continue</noscript>"
            + "</body></html>";
    /** Printed before the JSON of every answer (a byte-order mark or a PHP notice that a site prints into its answers). */
    public volatile String beforeJson = "";
    /**
     * While set, the site has plain permalinks: {@code /wp-json/...} is the theme's 404 page, and the REST API answers only
     * as {@code /?rest_route=/wc/v3/...}.
     */
    public volatile boolean plainPermalinks;
    /** While set, WooCommerce is not active: WordPress answers every {@code /wc/v3} route with {@code rest_no_route}. */
    public volatile boolean withoutWooCommerce;
    /**
     * While set, the web server drops the {@code Authorization} header before PHP sees it (Apache with PHP as CGI/FastCGI),
     * so only credentials in the query string ({@code consumer_key}, {@code consumer_secret}) authenticate.
     */
    public volatile boolean dropsAuthorization;
    /** While not 0, at most this many items a page, whatever {@code per_page} asks (a host's cap). */
    public volatile int perPageCap;
    /** How many items each answer carried, by request. */
    public final List<Integer> served = new CopyOnWriteArrayList<>();
    /** Runs with each authorised request's path and query before it is answered (to change data mid-sync). */
    public volatile Consumer<String> beforeAnswer = request -> { };
    private volatile Instant now = Instant.parse("2025-04-01T16:00:00Z");
    private volatile String failing;
    private volatile Fault fault;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String limited;
    private volatile Instant limitedUntil = Instant.MIN;

    public FakeWooCommerce() {
        try {
            resources.put("customers", read("woocommerce_customers.json"));
            resources.put("orders", read("woocommerce_orders_page1.json"));
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(this::acceptLoop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> read(String fixture) throws IOException {
        return JSON.readValue(Files.readString(Fixtures.woocommerce(fixture)), new TypeReference<List<Map<String, Object>>>() { });
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /**
     * The arguments of a CRM server of a test class's own ({@link CrmProcess}): its database and mappings in
     * {@code folder}, the real schema and plugin jars, this store's URL and credentials.
     */
    public List<String> crmArguments(Path folder) {
        return List.of("--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + TestPlugins.pluginsFolder(),
                "--crm.imports.mappings-dir=" + folder.resolve("mappings"),
                "--crm.plugins.woocommerce.url=" + url(),
                "--crm.plugins.woocommerce.consumer-key=" + KEY,
                "--crm.plugins.woocommerce.consumer-secret=" + SECRET);
    }

    /** The store's clock. */
    public Instant now() {
        return now;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** The next {@code times} requests whose path and query contain {@code match} fail with {@code how}. */
    public void fail(String match, int times, Fault how) {
        fault = how;
        failures.set(times);
        failing = match;
    }

    /**
     * Requests whose path and query contain {@code match} are answered 429 with {@code Retry-After} for the next
     * {@code seconds} of real time (a host's rate limit).
     */
    public void rateLimit(String match, int seconds) {
        limited = match;
        limitedUntil = Instant.now().plusSeconds(seconds);
    }

    /** Changes one resource as the store would: new values, modified now by the store's clock. */
    public synchronized void modify(String resource, long id, Map<String, Object> changes) {
        Map<String, Object> item = find(resource, id);
        item.putAll(changes);
        stamp(item, "date_modified");
    }

    /** A new resource, created and modified now by the store's clock. */
    public synchronized void add(String resource, Map<String, Object> item) {
        Map<String, Object> copy = new LinkedHashMap<>(item);
        stamp(copy, "date_created");
        stamp(copy, "date_modified");
        resources.get(resource).add(copy);
    }

    /** Deletes one resource for good (WooCommerce's {@code force=true}). */
    public synchronized void delete(String resource, long id) {
        resources.get(resource).remove(find(resource, id));
    }

    /** A copy of every item of {@code resource} as the store holds it now. */
    public synchronized List<Map<String, Object>> all(String resource) {
        return JSON.readValue(JSON.writeValueAsString(resources.get(resource)), new TypeReference<List<Map<String, Object>>>() { });
    }

    private Map<String, Object> find(String resource, long id) {
        return resources.get(resource).stream().filter(item -> ((Number) item.get("id")).longValue() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No " + resource + " " + id));
    }

    private void stamp(Map<String, Object> item, String field) {
        item.put(field + "_gmt", WOO_TIME.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)));
        item.put(field, WOO_TIME.format(LocalDateTime.ofInstant(now, ZONE)));
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                threads.execute(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** One request per connection ({@code Connection: close}): a GET has no body, so the head is all there is to read. */
    private void serve(Socket connection) {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
            String[] requestLine = in.readLine().split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            String target = requestLine[1];
            int question = target.indexOf('?');
            Answer answer = answer(question < 0 ? target : target.substring(0, question),
                    question < 0 ? "" : target.substring(question + 1), dropsAuthorization ? null : headers.get("authorization"));
            write(connection.getOutputStream(), answer);
        } catch (IOException | RuntimeException e) {
            // a client that went away (or a server killed mid-request): nothing to answer
        }
    }

    /** @param drop announce more body than is sent, then close: the client reads a truncated answer */
    private record Answer(int status, Map<String, String> headers, String body, boolean drop) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of(), body, false);
        }
    }

    private Answer answer(String target, String query, String header) {
        requests.add(target + "?" + query);
        Map<String, String> params = params(query);
        String path = target;
        if (target.equals("/") && params.containsKey("rest_route")) {
            path = "/wp-json" + params.remove("rest_route");
        } else if (plainPermalinks && target.startsWith("/wp-json/")) {
            return new Answer(404, Map.of("Content-Type", "text/html; charset=UTF-8"), NOT_FOUND_PAGE, false);
        }
        if (withoutWooCommerce && path.startsWith("/wp-json/wc/")) {
            return Answer.json(404, NO_ROUTE);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        boolean inQuery = KEY.equals(params.remove("consumer_key")) & SECRET.equals(params.remove("consumer_secret"));
        if (refuseAll || path.startsWith("/bad/") || !expected.equals(header) && !inQuery) {
            return Answer.json(401, CANNOT_VIEW);
        }
        if (limited != null && (path + "?" + query).contains(limited) && Instant.now().isBefore(limitedUntil)) {
            long seconds = Math.max(1, Duration.between(Instant.now(), limitedUntil).toSeconds());
            return new Answer(429, Map.of("Retry-After", String.valueOf(seconds)),
                    "{\"code\":\"rest_too_many_requests\",\"message\":\"Too many requests.\"}", false);
        }
        String trap = failing;
        if (trap != null && (path + "?" + query).contains(trap) && failures.getAndDecrement() > 0) {
            return fault == Fault.ERROR_500 ? Answer.json(500, "{\"code\":\"internal_server_error\"}") : new Answer(200, Map.of(), "[{\"id\":", true);
        }
        if (webPage != 0) {
            return new Answer(webPage, Map.of("Content-Type", "text/html; charset=UTF-8"), CHALLENGE, false);
        }
        beforeAnswer.accept(path + "?" + query);
        String resource = path.replaceFirst("^/wp-json/wc/v3/", "");
        if (!resources.containsKey(resource)) {
            return Answer.json(404, NO_ROUTE);
        }
        int asked = Integer.parseInt(params.getOrDefault("per_page", "10"));
        int perPage = perPageCap > 0 ? Math.min(perPageCap, asked) : asked;
        int page = Integer.parseInt(params.getOrDefault("page", "1"));
        List<Map<String, Object>> matching;
        synchronized (this) {
            matching = new ArrayList<>(resources.get(resource));
        }
        String after = params.get("modified_after");
        if (after != null && resource.equals("orders")) {
            String field = "true".equals(params.get("dates_are_gmt")) ? "date_modified_gmt" : "date_modified";
            matching.removeIf(item -> String.valueOf(item.get(field)).compareTo(after) <= 0);
        }
        if (resource.equals("customers")) {
            // As WooCommerce: users of the role "customer" only, unless asked for another role or for all.
            String role = params.getOrDefault("role", "customer");
            matching.removeIf(item -> !role.equals("all") && !role.equals(item.get("role")));
        }
        if (resource.equals("orders")) {
            // As WooCommerce: the listing leaves out trashed orders unless asked for them.
            boolean trash = "trash".equals(params.get("status"));
            matching.removeIf(item -> "trash".equals(item.get("status")) != trash);
        }
        matching.sort(Comparator.comparingLong(item -> ((Number) item.get("id")).longValue()));
        int total = matching.size();
        int pages = (total + perPage - 1) / perPage;
        List<Map<String, Object>> slice = matching.subList(Math.min(total, (page - 1) * perPage), Math.min(total, page * perPage));
        served.add(slice.size());
        Map<String, String> headers = new LinkedHashMap<>();
        if (!withoutTotals) {
            headers.put("X-WP-Total", String.valueOf(total));
            headers.put("X-WP-TotalPages", String.valueOf(pages));
        }
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
        synchronized (this) {
            return new Answer(200, headers, beforeJson + JSON.writeValueAsString(slice), false);
        }
    }

    /** The answer, dated by the store's clock. */
    private void write(OutputStream out, Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + (answer.status() == 200 ? " OK" : " Error") + "\r\n");
        head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(ZoneOffset.UTC))).append("\r\n");
        Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json; charset=UTF-8"));
        headers.putAll(answer.headers());
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(answer.drop() ? body.length + 1000 : body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.shutdownNow();
    }
}
