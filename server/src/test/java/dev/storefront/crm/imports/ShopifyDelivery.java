package dev.storefront.crm.imports;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The headers Shopify sends a webhook delivery with, signed with the app's secret. */
final class ShopifyDelivery {

    private ShopifyDelivery() {
    }

    /** {@code eventId} and {@code triggeredAt} are left out when null. */
    static Map<String, String> headers(String shop, String secret, String topic, String webhookId, String eventId, String triggeredAt,
                                       byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", topic);
        headers.put("X-Shopify-Shop-Domain", shop);
        if (triggeredAt != null) {
            headers.put("X-Shopify-Triggered-At", triggeredAt);
        }
        headers.put("X-Shopify-Webhook-Id", webhookId);
        if (eventId != null) {
            headers.put("X-Shopify-Event-Id", eventId);
        }
        headers.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(mac.doFinal(body)));
        return headers;
    }
}
