package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GETs of the WooCommerce REST API v3 with consumer key and secret as HTTP Basic auth (what
 * WooCommerce accepts over HTTPS). One page per call, with the pagination headers and the store's
 * clock (its {@code Date} header). A 5xx, a 429 or a dropped connection is retried with exponential
 * backoff ({@code retries} times, first wait {@code retry-backoff-ms}, doubling up to
 * {@code retry-backoff-max-ms}, or longer when a 429's {@code Retry-After} asks for it, up to
 * {@code retry-after-max-seconds}); when the retries run out the call fails and the sync job resumes
 * from its last committed page on its next run.
 *
 * <p>The store's address comes from configuration only, never from a caller: the credentials go
 * with every request, so whoever chose the host would receive them.
 */
final class WooClient {

    /**
     * @param total      {@code X-WP-Total}, or -1 when the answer has none
     * @param totalPages {@code X-WP-TotalPages}, or -1 when the answer has none
     * @param storeTime  the store's clock when it answered (its Date header), or null if it sent none
     */
    record Page(List<Map<String, Object>> items, long total, int totalPages, Instant storeTime) {

        /**
         * Whether this answer to page {@code page} is the last page: by {@code X-WP-TotalPages}, or without it once a page is
         * empty (not when a page holds fewer than {@code per_page}: WooCommerce answers so before the last when it drops
         * items it cannot show).
         */
        boolean last(int page) {
            return items.isEmpty() || totalPages >= 0 && page >= totalPages;
        }
    }

    /**
     * What PHP prints with display_errors on, as HTML ({@code <br />\n<b>Deprecated</b>:  Function ... on line <b>12</b><br />})
     * or as text ({@code Deprecated: Function ... on line 12}).
     */
    private static final Pattern PHP_MESSAGE = Pattern.compile(
            "\\s*(?:<br\\s*/?>\\s*)?((?:<b>)?(?:Warning|Notice|Deprecated|Fatal error|Parse error|Strict Standards)(?:</b>)?:[^\\n]*)");
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]*)</title>", Pattern.CASE_INSENSITIVE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final PluginContext context;
    private final String baseUrl;
    private final String authorization;
    private final String key;
    private final String secret;
    private final long retryAfterMaxMillis;
    private final int retries;
    private final long backoffMillis;
    private final long maxBackoffMillis;

    WooClient(PluginContext context) {
        this.context = context;
        String base = context.requireConfig("url");
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = context.requireConfig("consumer-key");
        this.secret = context.requireConfig("consumer-secret");
        String credentials = key + ":" + secret;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.retries = WooSettings.integer(context, "retries", 5);
        this.backoffMillis = WooSettings.integer(context, "retry-backoff-ms", 1000);
        this.maxBackoffMillis = WooSettings.integer(context, "retry-backoff-max-ms", 30_000);
        this.retryAfterMaxMillis = WooSettings.integer(context, "retry-after-max-seconds", 300) * 1000L;
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * How a store is asked: at {@code /wp-json/wc/v3/...} or, on a site with plain permalinks, which has no such path, at
     * {@code /?rest_route=/wc/v3/...} (what WordPress answers under any permalinks); with the credentials as HTTP Basic
     * auth or, where the web server drops the {@code Authorization} header before PHP sees it (Apache running PHP as
     * CGI/FastCGI), as {@code consumer_key}/{@code consumer_secret} in the query string, as WooCommerce's documentation
     * advises for such servers.
     */
    private record Form(boolean plain, boolean queryAuth) {
    }

    /** The form each store (by URL) last answered to, so that a run's later requests go straight to it. */
    private static final Map<String, Form> FORMS = new ConcurrentHashMap<>();
    private static final String NOT_ALLOWED = "woocommerce_rest_cannot_view";

    /**
     * One page of {@code resource}, asked in the form the store last answered to; after a 404 the plain-permalinks form is
     * tried once, after a 401 {@code woocommerce_rest_cannot_view} the query-string credentials, and the form that
     * answered is kept.
     */
    Page get(String resource, Map<String, String> query) throws IOException, InterruptedException {
        Form form = FORMS.getOrDefault(baseUrl, new Form(false, false));
        Answer answer = send(form, resource, query);
        if (answer.response().statusCode() == 404 && !form.plain()) {
            Answer plain = send(new Form(true, form.queryAuth()), resource, query);
            if (plain.response().statusCode() != 404) {
                form = new Form(true, form.queryAuth());
                answer = plain;
            }
        }
        if (answer.response().statusCode() == 401 && !form.queryAuth() && NOT_ALLOWED.equals(errorCode(answer.response().body()))) {
            Answer inQuery = send(new Form(form.plain(), true), resource, query);
            if (inQuery.response().statusCode() != 401) {
                form = new Form(form.plain(), true);
                answer = inQuery;
            }
        }
        FORMS.put(baseUrl, form);
        return page(answer);
    }

    /**
     * An answer, and the request as messages show it (without credentials): {@code path} its route on the site
     * ({@code /wp-json/wc/v3/orders}), {@code shown} its address with the query.
     */
    private record Answer(String path, String shown, HttpResponse<String> response) {
    }

    /** One request, retried on a 5xx, a 429 or a dropped connection. */
    private Answer send(Form form, String resource, Map<String, String> query) throws IOException, InterruptedException {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = form.plain() ? "/?rest_route=/wc/v3/" + resource : "/wp-json/wc/v3/" + resource;
        String shown = baseUrl + path + (parameters.isEmpty() ? "" : (form.plain() ? "&" : "?") + parameters);
        String address = !form.queryAuth() ? shown : shown + (shown.contains("?") ? "&" : "?") + "consumer_key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&consumer_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").GET();
        if (!form.queryAuth()) {
            request.header("Authorization", authorization);
        }
        long wait = backoffMillis;
        for (int attempt = 0; ; attempt++) {
            String failure;
            long asked = 0;
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (!retryable(response.statusCode())) {
                    return new Answer(path, shown, response);
                }
                failure = "WooCommerce answered " + response.statusCode();
                asked = retryAfterMillis(response);
                if (asked > retryAfterMaxMillis) {
                    throw new PluginException("woocommerce.http", failure + " for " + shown + " and asks to wait "
                            + asked / 1000 + " s before the next request (Retry-After), longer than retry-after-max-seconds ("
                            + retryAfterMaxMillis / 1000 + "): the next run resumes where this one stopped");
                }
            } catch (IOException e) {
                failure = "The connection to WooCommerce broke (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt >= retries) {
                throw new PluginException("woocommerce.http", failure + " for " + shown + " (" + (attempt + 1) + " attempts)");
            }
            // A host's rate limit says when it will answer again: asking sooner only spends the retries.
            Thread.sleep(Math.max(wait, asked));
            wait = Math.min(wait * 2, maxBackoffMillis);
        }
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 429;
    }

    /** The wait a {@code Retry-After} header asks for (seconds, or an HTTP date on the store's clock), or 0 without one. */
    private static long retryAfterMillis(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After").map(String::strip).orElse("");
        if (value.matches("\\d{1,9}")) {
            return Long.parseLong(value) * 1000;
        }
        Instant until = value.isEmpty() ? null : httpDate(value);
        Instant now = response.headers().firstValue("Date").map(WooClient::httpDate).orElse(Instant.now());
        return until == null ? 0 : Math.max(0, Duration.between(now, until).toMillis());
    }

    /** The {@code code} of a WordPress REST error ({@code {"code": ..., "message": ...}}), or null when the body is none. */
    private String errorCode(String body) {
        return errorOf(body).map(error -> WooRecords.text(error.get("code"))).orElse(null);
    }

    /** {@code  woocommerce_rest_cannot_view: "Sorry, you cannot list resources."} of a WordPress REST error, or nothing. */
    private String reasonOf(String body) {
        return errorOf(body).filter(error -> error.get("code") != null)
                .map(error -> " " + error.get("code") + (WooRecords.text(error.get("message")) == null ? ""
                        : ": \"" + shortened(WooRecords.text(error.get("message"))) + "\"")).orElse("");
    }

    private Optional<Map<String, Object>> errorOf(String body) {
        try {
            return Optional.of(context.json().parse(body.strip())).filter(Map.class::isInstance).map(WooRecords::map);
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private Page page(Answer asked) {
        HttpResponse<String> answer = asked.response();
        // A byte-order mark that a PHP file of the site prints before every answer: JSON after it all the same.
        String text = answer.body().startsWith("\uFEFF") ? answer.body().substring(1) : answer.body();
        Matcher php = PHP_MESSAGE.matcher(text);
        if (php.lookingAt()) {
            throw new PluginException("woocommerce.format", "WooCommerce's answer for " + asked.path() + " begins with a PHP message (\""
                    + shortened(php.group(1).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").strip()) + "\"), not JSON: the site"
                    + " prints PHP notices into its answers; turn off WP_DEBUG_DISPLAY (or display_errors) in wp-config.php");
        }
        if (answer.statusCode() == 404 && isWebPage(text)) {
            throw new PluginException("woocommerce.http", "The site at " + baseUrl + " has no page /wp-json/wc/v3/ nor /?rest_route=/wc/v3/"
                    + " (it answered 404 with a web page" + titleOf(text) + "): check that crm.plugins.woocommerce.url is the"
                    + " address of the WordPress site that runs WooCommerce");
        }
        if (isWebPage(text)) {
            throw new PluginException("woocommerce.format", "The store answered with a web page (HTTP " + answer.statusCode()
                    + titleOf(text) + "), not WooCommerce's JSON, for " + asked.path() + ": a security plugin, firewall"
                    + " or maintenance page stands in the way; let the CRM's requests to /wp-json/wc/v3/ through");
        }
        if (answer.statusCode() == 404 && "rest_no_route".equals(errorCode(text))) {
            throw new PluginException("woocommerce.http", "The WordPress site at " + baseUrl + " has no WooCommerce REST API (404"
                    + " rest_no_route for " + asked.path() + "): WooCommerce is not active on it, or older than 3.5");
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new PluginException("woocommerce.auth", "WooCommerce refused the consumer key/secret (" + answer.statusCode()
                    + reasonOf(text) + ") for " + asked.path() + ": check the key and secret, and that the key's user is a Shop"
                    + " manager or Administrator (WooCommerce > Settings > Advanced > REST API)");
        }
        if (answer.statusCode() != 200) {
            throw new PluginException("woocommerce.http", "WooCommerce answered " + answer.statusCode() + reasonOf(text) + " for " + asked.shown());
        }
        Object body;
        try {
            body = context.json().parse(text);
        } catch (RuntimeException e) {
            body = null;
        }
        if (!(body instanceof List<?>)) {
            throw new PluginException("woocommerce.format", "WooCommerce's answer for " + asked.path() + " is not the list of JSON"
                    + " it sends (it begins: \"" + text.strip().lines().findFirst().map(WooClient::shortened).orElse("")
                    + "\"): a plugin or PHP notice may print into the REST API's answers");
        }
        // Both -1 when absent: some hosts and caching proxies strip WooCommerce's headers.
        long total = answer.headers().firstValue("X-WP-Total").map(Long::parseLong).orElse(-1L);
        int pages = answer.headers().firstValue("X-WP-TotalPages").map(Integer::parseInt).orElse(-1);
        Instant storeTime = answer.headers().firstValue("Date").map(WooClient::httpDate).orElse(null);
        return new Page((List<Map<String, Object>>) body, total, pages, storeTime);
    }

    /**
     * HTML where JSON was asked for: a security plugin's challenge, a firewall's block or a maintenance page. Told by the body,
     * which JSON never begins with {@code <}, not by its Content-Type, which some hosts get wrong either way.
     */
    private static boolean isWebPage(String text) {
        return text.stripLeading().startsWith("<");
    }

    /** {@code , "<title>"} of an HTML page, or nothing. */
    private static String titleOf(String html) {
        Matcher title = TITLE.matcher(html);
        return title.find() ? ", \"" + shortened(title.group(1).strip()) + "\"" : "";
    }

    /** At most 160 characters of what the store sent, for a message: enough for a PHP notice's file and line. */
    private static String shortened(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "…";
    }

    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
