package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Queries of the Shopify Admin GraphQL API ({@code POST <url>/admin/api/<version>/graphql.json}
 * with {@code X-Shopify-Access-Token}), paced by Shopify's cost extension: after each answer the
 * client knows the bucket ({@code throttleStatus}) and waits, before the next query, until the bucket
 * holds that query's requested cost, so it is not throttled. A THROTTLED error is waited out the
 * same way and a 429 for its {@code Retry-After}, then retried; a 5xx or a broken connection is
 * retried with exponential backoff ({@code retries}, {@code retry-backoff-ms}); a refused token, a
 * frozen, locked or unknown shop and a missing access scope fail at once ({@link #refusal}).
 */
final class ShopifyClient {

    /** @param storeTime Shopify's clock when it answered (its Date header), or null */
    record Answer(Map<String, Object> data, Instant storeTime) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final PluginContext context;
    private final String shop;
    private final URI endpoint;
    private final String token;
    private final Bucket bucket;

    /** {@code args.url} (a job argument) replaces the store's URL for one run. */
    ShopifyClient(PluginContext context, Store store, Map<String, Object> args, Bucket bucket) {
        this.context = context;
        this.shop = store.shop();
        Object url = args.get("url");
        String base = url != null ? url.toString() : store.url();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/admin/api/" + store.apiVersion() + "/graphql.json");
        this.token = store.requireToken(context);
        this.bucket = bucket;
    }

    /** @param cost the query's requested cost, as Shopify reckons it ({@link AdminRecords}) */
    @SuppressWarnings("unchecked")
    Answer query(String document, Map<String, Object> variables, int cost) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("X-Shopify-Access-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(context.json().write(Map.of("query", document, "variables", variables)))).build();
        int retries = setting("retries", 5);
        long backoff = setting("retry-backoff-ms", 1000);
        for (int attempt = 0; ; attempt++) {
            bucket.awaitRoom(cost);
            String failure;
            long wait = Math.min(backoff << attempt, 30_000);
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                String refused = refusal(status);
                if (refused != null) {
                    throw new PluginException("shopify.refused", refused);
                }
                if (status == 200) {
                    Map<String, Object> body = (Map<String, Object>) context.json().parse(response.body());
                    bucket.update(cost(body));
                    if (!throttled(body)) {
                        return answer(body, response);
                    }
                    failure = "Shopify throttled the query";
                    wait = 0; // the bucket, just updated, waits until the query fits
                } else if (status == 429) {
                    failure = "Shopify answered 429";
                    wait = retryAfterMillis(response);
                } else {
                    failure = "Shopify answered " + status;
                }
            } catch (IOException e) {
                failure = "The connection to Shopify broke (" + e.getClass().getSimpleName() + ")";
            }
            if (attempt >= retries) {
                throw new PluginException("shopify.http", failure + " for " + endpoint + " (" + (attempt + 1) + " attempts)");
            }
            Thread.sleep(wait);
        }
    }

    /** What a download got: the HTTP status (200, or 403 once the link has expired) and the records of the file written. */
    record Download(int status, long records) {
    }

    /**
     * Downloads a bulk operation's file (a signed link, no token) to {@code file}, streamed, and counts its
     * records (the lines that are not blank) on the way: the file is not read again to count them.
     */
    Download download(String url, Path file) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                return new Download(response.statusCode(), 0);
            }
            long records = 0;
            boolean blank = true;
            byte[] buffer = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    for (int i = 0; i < read; i++) {
                        byte b = buffer[i];
                        if (b == '\n') {
                            records += blank ? 0 : 1;
                            blank = true;
                        } else if (b != ' ' && b != '\t' && b != '\r') {
                            blank = false;
                        }
                    }
                }
            }
            return new Download(200, records + (blank ? 0 : 1));
        }
    }

    /**
     * What Shopify's answer {@code status} says, in the store owner's words, when waiting and asking again
     * would not change it (shopify.dev, API response status codes); null for an answer to read or retry.
     */
    private String refusal(int status) {
        return switch (status) {
            case 401 -> "Shopify refused the access token for " + shop + " (401)";
            case 402 -> "Shopify froze " + shop + " for an unpaid bill (402 Payment Required): the sync reads it again once its owner has paid";
            case 403 -> "Shopify forbade the query for " + shop + " (403): the app needs access scopes read_customers, read_products and read_orders";
            case 404 -> "Shopify has no Admin API at " + endpoint + " (404): check the shop domain and the api-version of " + shop;
            case 423 -> "Shopify locked " + shop + " (423 Locked): the sync reads it again once Shopify unlocks the store";
            default -> null;
        };
    }

    private Answer answer(Map<String, Object> body, HttpResponse<String> response) {
        Object errors = body.get("errors");
        Map<?, ?> denied = firstError(body, "ACCESS_DENIED");
        if (denied != null) {
            // Shopify names the scope in the message ("Access denied for orders field. Required access: `read_orders` access scope.").
            throw new PluginException("shopify.scope", "Shopify denied the app access to " + shop + "'s data: " + denied.get("message")
                    + " Grant the app that access scope and run the sync again");
        }
        Map<?, ?> tooCostly = errorOf(body, "MAX_COST_EXCEEDED");
        if (tooCostly != null) {
            // The only setting that sizes a query is the page size: the sync checks it against its own reckoning of the cost first.
            throw new PluginException("shopify.cost", "Shopify refused a query for " + shop + " as too costly: it would cost "
                    + tooCostly.get("cost") + " points, above the " + tooCostly.get("maxCost") + " it allows in one query (MAX_COST_EXCEEDED);"
                    + " lower setting crm.plugins." + context.pluginId() + ".page-size");
        }
        if (errors != null) {
            throw new PluginException("shopify.query", "Shopify refused the query: " + errors);
        }
        Instant date = response.headers().firstValue("Date")
                .map(d -> ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).orElse(null);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        return new Answer(data, date);
    }

    private static boolean throttled(Map<String, Object> body) {
        return errorOf(body, "THROTTLED") != null;
    }

    /** The extensions of the answer's first error with {@code code}, or null. */
    private static Map<?, ?> errorOf(Map<String, Object> body, String code) {
        Map<?, ?> error = firstError(body, code);
        return error == null ? null : (Map<?, ?>) error.get("extensions");
    }

    /** The answer's first error with {@code code}, or null. */
    private static Map<?, ?> firstError(Map<String, Object> body, String code) {
        return body.get("errors") instanceof List<?> errors ? errors.stream()
                .map(e -> e instanceof Map<?, ?> error && error.get("extensions") instanceof Map<?, ?> extensions
                        && code.equals(extensions.get("code")) ? error : null)
                .filter(error -> error != null).findFirst().orElse(null) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cost(Map<String, Object> body) {
        return body.get("extensions") instanceof Map<?, ?> extensions && extensions.get("cost") instanceof Map<?, ?> cost
                ? (Map<String, Object>) cost : Map.of();
    }

    private static long retryAfterMillis(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(v -> (long) (Double.parseDouble(v.strip()) * 1000)).orElse(2000L);
    }

    private int setting(String key, int fallback) {
        return context.config(key).map(v -> Integer.parseInt(v.strip())).orElse(fallback);
    }
}
