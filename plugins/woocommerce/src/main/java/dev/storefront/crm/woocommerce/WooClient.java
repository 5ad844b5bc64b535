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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GETs of the WooCommerce REST API v3 with consumer key and secret as HTTP Basic auth (what
 * WooCommerce accepts over HTTPS). One page per call, with the pagination headers.
 *
 * <p>The store's address comes from configuration only, never from a caller: the credentials go
 * with every request, so whoever chose the host would receive them.
 */
final class WooClient {

    record Page(List<Map<String, Object>> items, long total, int totalPages) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final PluginContext context;
    private final String baseUrl;
    private final String authorization;

    WooClient(PluginContext context) {
        this.context = context;
        String base = context.requireConfig("url");
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String credentials = context.requireConfig("consumer-key") + ":" + context.requireConfig("consumer-secret");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    String baseUrl() {
        return baseUrl;
    }

    @SuppressWarnings("unchecked")
    Page get(String resource, Map<String, String> query) throws IOException, InterruptedException {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(baseUrl + "/wp-json/wc/v3/" + resource + (parameters.isEmpty() ? "" : "?" + parameters));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new PluginException("woocommerce.auth", "WooCommerce refused the consumer key/secret (" + response.statusCode() + ") for " + uri.getPath());
        }
        if (response.statusCode() != 200) {
            throw new PluginException("woocommerce.http", "WooCommerce answered " + response.statusCode() + " for " + uri);
        }
        Object body = context.json().parse(response.body());
        if (!(body instanceof List<?>)) {
            throw new PluginException("woocommerce.format", "Expected a JSON array from " + uri.getPath());
        }
        long total = response.headers().firstValue("X-WP-Total").map(Long::parseLong).orElse(-1L);
        int pages = response.headers().firstValue("X-WP-TotalPages").map(Integer::parseInt).orElse(1);
        return new Page((List<Map<String, Object>>) body, total, pages);
    }
}
