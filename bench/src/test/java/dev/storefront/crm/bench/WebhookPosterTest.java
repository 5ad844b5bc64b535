package dev.storefront.crm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookPosterTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/plugins/shopify/webhooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Shopify-Webhook-Id") + " "
                    + exchange.getRequestHeaders().getFirst("X-Shopify-Hmac-Sha256") + " "
                    + exchange.getRequestHeaders().getFirst("X-Shopify-Topic") + " " + new String(body, StandardCharsets.UTF_8));
            // Every third answer closes its connection, as Tomcat does after its keep-alive limit.
            if (answered.incrementAndGet() % 3 == 0) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            byte[] answer = (status == 200 ? "{\"state\":\"Received\"}" : "{\"error\":\"forged\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsEachDeliveryWithItsHeadersOverConnectionsTheServerMayClose() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/plugins/shopify/webhooks");
        try (WebhookPoster poster = new WebhookPoster(endpoint)) {
            for (int i = 0; i < 7; i++) {
                String body = "{\"id\":" + i + ",\"note\":\"caf\u00e9\"}";
                poster.post(new WebhookIngest.Delivery("d-" + i, body, WebhookIngest.signature(body)));
            }
        }
        assertEquals(7, received.size());
        for (int i = 0; i < 7; i++) {
            String body = "{\"id\":" + i + ",\"note\":\"caf\u00e9\"}";
            assertEquals("POST d-" + i + " " + WebhookIngest.signature(body) + " customers/update " + body, received.get(i));
        }
    }

    @Test
    void anAnswerOtherThanReceivedFailsTheDelivery() throws Exception {
        status = 401;
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/plugins/shopify/webhooks");
        try (WebhookPoster poster = new WebhookPoster(endpoint)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> poster.post(new WebhookIngest.Delivery("d-1", "{}", WebhookIngest.signature("{}"))));
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        }
    }
}
