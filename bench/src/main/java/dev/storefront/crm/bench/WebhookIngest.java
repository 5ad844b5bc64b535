package dev.storefront.crm.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook ingest rows: Shopify deliveries ({@code customers/update}, the size of a real one)
 * sent by several senders at once, each acknowledged only once stored. One side posts them to the
 * Shopify plugin's endpoint, the other inserts them by hand, each in its own transaction, into a
 * table of the same shape with the same duplicate check.
 */
final class WebhookIngest {

    /** The client secret the bench server's Shopify plugin checks signatures with. */
    static final String SECRET = "bench_webhook_secret";
    static final String SHOP = "bench-store.myshopify.com";

    /** One delivery as Shopify would send it: {@code webhookId} unique per delivery, the body and its signature. */
    record Delivery(String webhookId, String body, String signature) {
    }

    /** How one delivery is stored by a side. */
    @FunctionalInterface
    interface Sender {
        void send(Delivery delivery) throws Exception;
    }

    /** What a run measured. */
    record Run(double perSecond, double p99Millis) {
    }

    private WebhookIngest() {
    }

    /**
     * Sends {@code deliveries} from {@code senders} threads, each delivery once, with ids that start
     * with {@code tag}; returns deliveries stored per second (all of them over the wall time) and
     * the p99 of the time each waited for its acknowledgement. Bodies and signatures are made before
     * the clock starts, as Shopify's are before it sends them.
     */
    static Run run(Sender sender, String tag, int deliveries, int senders) throws Exception {
        Delivery[] planned = new Delivery[deliveries];
        for (int i = 0; i < deliveries; i++) {
            String body = body(i);
            planned[i] = new Delivery(tag + "-" + i, body, signature(body));
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        double[] millis = new double[deliveries];
        AtomicInteger next = new AtomicInteger();
        try {
            long started = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < deliveries; i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        sender.send(planned[i]);
                        millis[i] = (System.nanoTime() - sent) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Run(deliveries / seconds, sorted[(int) Math.ceil(0.99 * deliveries) - 1]);
        } finally {
            pool.shutdown();
        }
    }

    /** base64(HMAC-SHA256(secret, body)), as Shopify signs a delivery. */
    static String signature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A customers/update body in the 2026-07 shape, one customer per delivery. */
    private static String body(int i) {
        long id = 9_100_000_000_000L + i;
        return "{\"id\":" + id + ",\"created_at\":\"2025-03-10T11:04:52-04:00\",\"updated_at\":\"2025-04-01T10:00:00-04:00\","
                + "\"first_name\":\"Bench\",\"last_name\":\"Customer " + i + "\",\"state\":\"enabled\",\"note\":null,"
                + "\"verified_email\":true,\"multipass_identifier\":null,\"tax_exempt\":false,\"email\":\"bench" + i + "@example.com\","
                + "\"phone\":null,\"currency\":\"USD\",\"addresses\":[],\"tax_exemptions\":[],"
                + "\"admin_graphql_api_id\":\"gid://shopify/Customer/" + id + "\",\"default_address\":null}";
    }
}
