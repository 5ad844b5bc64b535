package dev.storefront.crm.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Posts signed deliveries to the Shopify plugin's webhook endpoint, as Shopify does: one POST each,
 * with its headers, on a {@link BlockingHttp} client.
 */
final class WebhookPoster implements AutoCloseable {

    /** More than the webhook rows' senders, so none waits for a connection. */
    private static final int CONNECTIONS = 16;

    private final URI endpoint;
    private final CloseableHttpClient http;

    WebhookPoster(URI endpoint) {
        this.endpoint = endpoint;
        this.http = BlockingHttp.client(CONNECTIONS);
    }

    /** Returns once the server answered {@code Received}, that is once the delivery is stored durably. */
    void post(WebhookIngest.Delivery delivery) throws IOException {
        HttpPost post = new HttpPost(endpoint);
        post.setHeader("X-Shopify-Topic", "customers/update");
        post.setHeader("X-Shopify-Shop-Domain", WebhookIngest.SHOP);
        post.setHeader("X-Shopify-Webhook-Id", delivery.webhookId());
        post.setHeader("X-Shopify-Triggered-At", Instant.now().toString());
        post.setHeader("X-Shopify-Hmac-Sha256", delivery.signature());
        post.setEntity(new ByteArrayEntity(delivery.body().getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        http.execute(post, answer -> {
            String text = EntityUtils.toString(answer.getEntity(), StandardCharsets.UTF_8);
            if (answer.getCode() != 200 || !text.contains("Received")) {
                throw new IllegalStateException("The webhook endpoint answered " + answer.getCode() + ": " + text);
            }
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
