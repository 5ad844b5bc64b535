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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GETs of the WooCommerce REST API v3 with consumer key and secret as HTTP Basic auth (what
 * WooCommerce accepts over HTTPS). One page per call, with the pagination headers and the store's
 * clock (its {@code Date} header). A 5xx, a 429 or a dropped connection is retried with exponential
 * backoff ({@code retries} times, first wait {@code retry-backoff-ms}, doubling up to
 * {@code retry-backoff-max-ms}); when the retries run out the call fails and the sync job resumes
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
    private final int retries;
    private final long backoffMillis;
    private final long maxBackoffMillis;

    WooClient(PluginContext context) {
        this.context = context;
        String base = context.requireConfig("url");
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String credentials = context.requireConfig("consumer-key") + ":" + context.requireConfig("consumer-secret");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.retries = WooSettings.integer(context, "retries", 5);
        this.backoffMillis = WooSettings.integer(context, "retry-backoff-ms", 1000);
        this.maxBackoffMillis = WooSettings.integer(context, "retry-backoff-max-ms", 30_000);
    }

    String baseUrl() {
        return baseUrl;
    }

    Page get(String resource, Map<String, String> query) throws IOException, InterruptedException {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(baseUrl + "/wp-json/wc/v3/" + resource + (parameters.isEmpty() ? "" : "?" + parameters));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Accept", "application/json").GET().build();
        long wait = backoffMillis;
        for (int attempt = 0; ; attempt++) {
            String failure;
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (!retryable(response.statusCode())) {
                    return page(uri, response);
                }
                failure = "WooCommerce answered " + response.statusCode();
            } catch (IOException e) {
                failure = "The connection to WooCommerce broke (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt >= retries) {
                throw new PluginException("woocommerce.http", failure + " for " + uri + " (" + (attempt + 1) + " attempts)");
            }
            Thread.sleep(wait);
            wait = Math.min(wait * 2, maxBackoffMillis);
        }
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 429;
    }

    @SuppressWarnings("unchecked")
    private Page page(URI uri, HttpResponse<String> answer) {
        // A byte-order mark that a PHP file of the site prints before every answer: JSON after it all the same.
        String text = answer.body().startsWith("\uFEFF") ? answer.body().substring(1) : answer.body();
        Matcher php = PHP_MESSAGE.matcher(text);
        if (php.lookingAt()) {
            throw new PluginException("woocommerce.format", "WooCommerce's answer for " + uri.getPath() + " begins with a PHP message (\""
                    + shortened(php.group(1).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").strip()) + "\"), not JSON: the site"
                    + " prints PHP notices into its answers; turn off WP_DEBUG_DISPLAY (or display_errors) in wp-config.php");
        }
        if (isWebPage(text)) {
            throw new PluginException("woocommerce.format", "The store answered with a web page (HTTP " + answer.statusCode()
                    + titleOf(text) + "), not WooCommerce's JSON, for " + uri.getPath() + ": a security plugin, firewall"
                    + " or maintenance page stands in the way; let the CRM's requests to /wp-json/wc/v3/ through");
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new PluginException("woocommerce.auth", "WooCommerce refused the consumer key/secret (" + answer.statusCode() + ") for " + uri.getPath());
        }
        if (answer.statusCode() != 200) {
            throw new PluginException("woocommerce.http", "WooCommerce answered " + answer.statusCode() + " for " + uri);
        }
        Object body;
        try {
            body = context.json().parse(text);
        } catch (RuntimeException e) {
            body = null;
        }
        if (!(body instanceof List<?>)) {
            throw new PluginException("woocommerce.format", "WooCommerce's answer for " + uri.getPath() + " is not the list of JSON"
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
