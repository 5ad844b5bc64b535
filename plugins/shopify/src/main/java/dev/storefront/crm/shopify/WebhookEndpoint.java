package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.http.HttpRequest;
import dev.storefront.crm.api.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pf4j.Extension;

/**
 * {@code POST /plugins/shopify/webhooks}, every topic. {@code X-Shopify-Hmac-Sha256} must be
 * base64(HMAC-SHA256(app secret, raw body)), compared in constant time over the bytes as sent; a
 * missing or wrong one is 401 and nothing is stored. A valid delivery is stored, then applied
 * ({@link Deliveries}); a duplicate answers 200 and changes nothing, so Shopify stops retrying it.
 */
@Extension
public class WebhookEndpoint implements HttpEndpoint {

    @Override
    public String path() {
        return "webhooks";
    }

    @Override
    public HttpResponse handle(HttpRequest request, PluginContext context) throws Exception {
        String secret = context.config("webhook-secret").orElse(null);
        if (secret == null) {
            return HttpResponse.text(503, "crm.plugins.shopify.webhook-secret is not set");
        }
        if (!signed(request, secret)) {
            return HttpResponse.text(401, "X-Shopify-Hmac-Sha256 is missing or does not match the body");
        }
        String topic = request.header("x-shopify-topic").orElse(null);
        String shop = request.header("x-shopify-shop-domain").orElse(null);
        String webhookId = request.header("x-shopify-webhook-id").orElse(null);
        if (topic == null || shop == null || webhookId == null) {
            return HttpResponse.text(400, "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required");
        }
        Deliveries.Delivery delivery = new Deliveries.Delivery(webhookId, request.header("x-shopify-event-id").orElse(null), topic, shop,
                request.header("x-shopify-triggered-at").orElse(null), new String(request.body(), StandardCharsets.UTF_8));
        Long id = Deliveries.store(context.crm(), delivery);
        String state = id == null ? "Duplicate" : Deliveries.apply(context, id);
        return HttpResponse.json(200, "{\"state\":\"" + state + "\"}");
    }

    private static boolean signed(HttpRequest request, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(request.body()));
        return request.header("x-shopify-hmac-sha256")
                .map(given -> MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.US_ASCII)))
                .orElse(false);
    }
}
