package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.http.HttpRequest;
import dev.storefront.crm.api.http.HttpResponse;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.SyncRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pf4j.Extension;

/**
 * {@code POST /plugins/woocommerce/webhooks/orders}: WooCommerce's order.created / order.updated
 * webhook. The {@code X-WC-Webhook-Signature} header must be base64(HMAC-SHA256(webhook-secret, raw
 * body)); the order and its line items are then written in one transaction, set-based as a sync's page
 * is (a few statements whatever the number of lines), unless the CRM already
 * holds a newer version of the order ({@code date_modified_gmt}): WooCommerce retries deliveries,
 * so an older one can arrive after a newer one and must not roll the order back. A return an order
 * CSV import made of the order's refunded total gives way to its refunds, as on a sync. A draft order
 * ({@link WooStatus#isDraft}) is not written.
 */
@Extension
public class OrderWebhook implements HttpEndpoint {

    @Override
    public String path() {
        return "webhooks/orders";
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse handle(HttpRequest request, PluginContext context) throws Exception {
        String secret = context.config("webhook-secret").orElse(null);
        if (secret == null) {
            return HttpResponse.text(503, "crm.plugins.woocommerce.webhook-secret is not set");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(request.body()));
        byte[] given = request.header("x-wc-webhook-signature").orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            return HttpResponse.text(401, "bad signature");
        }
        Object json = context.json().parse(new String(request.body(), StandardCharsets.UTF_8));
        if (!(json instanceof Map<?, ?> order) || order.get("id") == null) {
            return HttpResponse.text(200, "ignored (no order)");
        }
        // The block checkout's drafts reach order.created and order.updated too; the sync does not write them either.
        if (WooStatus.isDraft(WooRecords.text(order.get("status")))) {
            return HttpResponse.json(200, "{\"ok\":true,\"ignored\":\"a draft order (" + WooRecords.text(order.get("status")) + ")\"}");
        }
        List<SyncRecord> records = WooRecords.order((Map<String, Object>) order);
        boolean written = context.crm().inTransaction(crm -> {
            if (olderThanStored(crm, records)) {
                return false;
            }
            crm.write(records);
            if (WooRecords.list(order.get("refunds")).isEmpty()) {
                dropRefundedTotal(crm, order.get("id"));
            }
            return true;
        });
        return written ? HttpResponse.json(200, "{\"ok\":true}")
                : HttpResponse.json(200, "{\"ok\":true,\"ignored\":\"older than the stored order\"}");
    }

    /**
     * The return an order CSV import made of the refunded total of this order, which has no refund (any
     * longer); an order with refunds has its first refund in that return's place ({@link WooRecords#refundTotals}).
     */
    private static void dropRefundedTotal(CrmContext crm, Object orderId) {
        crm.query("returns", Filter.compare("woocommerce_refunded_order", Operator.EQ, orderId), List.of(), 1)
                .forEach(total -> crm.delete("returns", ((Number) total.get("id")).longValue()));
    }

    private static boolean olderThanStored(CrmContext crm, List<SyncRecord> records) {
        SyncRecord order = records.stream().filter(r -> r.object().equals("orders")).findFirst().orElseThrow();
        Object given = order.values().get("woocommerce_modified_at");
        if (given == null) {
            return false;
        }
        return crm.query("orders", Filter.compare("woocommerce_id", Operator.EQ, order.values().get("woocommerce_id")), List.of(), 1)
                .stream().map(stored -> stored.get("woocommerce_modified_at")).filter(Objects::nonNull)
                .anyMatch(stored -> instant(stored).isAfter(instant(given)));
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : OffsetDateTime.parse(value.toString()).toInstant();
    }
}
