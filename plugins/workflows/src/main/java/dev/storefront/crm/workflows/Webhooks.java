package dev.storefront.crm.workflows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One outbound webhook delivery: POST of JSON, signed with HMAC-SHA256 of the body under the
 * workflow's secret in {@code X-CRM-Signature: sha256=<hex>}, and {@code X-CRM-Delivery} naming the
 * step, the same on every retry, so a receiver can drop a delivery it already took.
 */
final class Webhooks {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Webhooks() {
    }

    /** The status code, or an exception when no answer came. */
    static int post(String url, String secret, String delivery, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-CRM-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (secret != null && !secret.isEmpty()) {
            request.header("X-CRM-Signature", "sha256=" + sign(secret, json));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String sign(String secret, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
