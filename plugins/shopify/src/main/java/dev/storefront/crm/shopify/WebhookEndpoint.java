package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.http.HttpRequest;
import dev.storefront.crm.api.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pf4j.Extension;

/**
 * {@code POST /plugins/shopify/webhooks}, every topic of every store. {@code X-Shopify-Hmac-Sha256}
 * must be base64(HMAC-SHA256(secret, raw body)), where the secret is the one of the store named by
 * {@code X-Shopify-Shop-Domain} ({@link Store}), compared in constant time over the bytes as sent; a
 * missing or wrong one is 401 and nothing is stored, as is a signed one with an empty body (400). A valid delivery is appended to the
 * {@link DeliveryJournal} and answered {@code Received} once it is on disk (Shopify waits 5 s at most),
 * then moved into {@code shopify_webhooks} ({@link JournalMover}, where a duplicate is left out and
 * changes nothing) and applied by the {@link Applier}. A {@code bulk_operations/finish} delivery also
 * wakes the sync waiting for that operation at once.
 */
@Extension
public class WebhookEndpoint implements HttpEndpoint {

    /**
     * Each shop's secret as a keyed HMAC-SHA256 to copy, and the one for a shop no store names; read on the
     * first delivery, since a plugin's settings do not change while it runs (this endpoint is created at each
     * start). Reading the secrets through the settings for every delivery was a fifth of its CPU, and a new
     * {@link Mac} (provider look-up, key set-up) a tenth.
     */
    private record Signers(Map<String, Mac> byShop, Mac otherShops) {

        static Signers read(PluginContext context) throws GeneralSecurityException {
            Map<String, Mac> byShop = new HashMap<>();
            for (Store store : Store.all(context)) {
                if (store.webhookSecret() != null && !byShop.containsKey(store.shop().toLowerCase(Locale.ROOT))) {
                    byShop.put(store.shop().toLowerCase(Locale.ROOT), keyed(store.webhookSecret()));
                }
            }
            String otherShops = context.config("webhook-secret").orElse(null);
            return new Signers(Map.copyOf(byShop), otherShops == null ? null : keyed(otherShops));
        }

        /** A keyed HMAC of its own for one of {@code shop}'s deliveries, or null when no secret is set for that shop. */
        Mac forShop(String shop) throws CloneNotSupportedException {
            Mac keyed = byShop.getOrDefault(shop.toLowerCase(Locale.ROOT), otherShops);
            return keyed == null ? null : (Mac) keyed.clone();
        }

        private static Mac keyed(String secret) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        }
    }

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private volatile Signers signers;

    @Override
    public String path() {
        return "webhooks";
    }

    @Override
    public HttpResponse handle(HttpRequest request, PluginContext context) throws Exception {
        String shop = request.header("x-shopify-shop-domain").orElse(null);
        Mac mac = signers(context).forShop(shop == null ? "" : shop);
        if (mac == null) {
            return HttpResponse.text(503, "No webhook secret is set for " + shop + ": set crm.plugins." + context.pluginId()
                    + ".webhook-secret, or stores[N].webhook-secret for that store");
        }
        if (!signed(request, mac)) {
            return HttpResponse.text(401, "X-Shopify-Hmac-Sha256 is missing or does not match the body");
        }
        String topic = request.header("x-shopify-topic").orElse(null);
        String webhookId = request.header("x-shopify-webhook-id").orElse(null);
        if (topic == null || shop == null || webhookId == null) {
            return HttpResponse.text(400, "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required");
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return HttpResponse.text(400, "The delivery's body is empty: Shopify sends each " + topic + " delivery with its payload as JSON");
        }
        // A UTF-8 byte order mark, which the JSON parser refuses, is signed with the body but is no part of the payload.
        Deliveries.Delivery delivery = new Deliveries.Delivery(webhookId, request.header("x-shopify-event-id").orElse(null), topic, shop,
                request.header("x-shopify-triggered-at").orElse(null), body.startsWith(BYTE_ORDER_MARK) ? body.substring(1) : body);
        DeliveryJournal.of(context).append(delivery);
        if (topic.equals(Deliveries.BULK_FINISHED)) {
            BulkExport.finished(Deliveries.bulkOperation(context, delivery.body()));
        }
        return HttpResponse.json(200, "{\"state\":\"Received\"}");
    }

    private Signers signers(PluginContext context) throws GeneralSecurityException {
        Signers read = signers;
        if (read == null) {
            read = Signers.read(context);
            signers = read;
        }
        return read;
    }

    private static boolean signed(HttpRequest request, Mac mac) {
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(request.body()));
        return request.header("x-shopify-hmac-sha256")
                .map(given -> MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.US_ASCII)))
                .orElse(false);
    }
}
