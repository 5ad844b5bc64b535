package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.TestPlugins;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Shopify webhook journal across a SIGKILL, on the built server jar and plugin jar: deliveries
 * acknowledged (journaled) but not yet moved into {@code shopify_webhooks} are there after a restart,
 * each once however many senders sent it, and applied; a torn record at the journal's end (the server
 * died writing it, so it was never acknowledged) is dropped without losing the records before it.
 */
class ShopifyWebhookJournalE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHOP = "journal-knits.myshopify.com";
    private static final String SECRET = "journal_client_secret_test";
    private static final int SENDERS = 8;
    private static final int DELIVERIES = 20;

    @Test
    void acknowledgedDeliveriesSurviveASigkillStoredOnceAndApplied() throws Exception {
        Path folder = TestFolders.create("crm-shopify-journal");
        List<String> arguments = List.of("--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(), "--crm.plugins-dir=" + TestPlugins.bundledFolder("shopify"),
                "--crm.plugins.shopify.webhook-secret=" + SECRET, "--crm.plugins.shopify.shop=" + SHOP,
                "--crm.plugins.shopify.jobs.reconcile.cron=off");
        Path log = Path.of("target", "shopify-journal-e2e-server.log");
        // The mover runs once at the start, then not for an hour: what is acknowledged stays in the journal only.
        CrmProcess server = CrmProcess.start(log, append(arguments, "--crm.plugins.shopify.webhook-journal.move-ms=3600000"));
        try {
            List<String> answers = fromSenders(server);
            assertThat(answers).containsExactlyElementsOf(Collections.nCopies(SENDERS * DELIVERIES, "200 {\"state\":\"Received\"}"));
            assertThat(rows(server, "SELECT count(*) FROM shopify_webhooks")).containsExactly("0");
        } finally {
            server.kill();
        }
        Path journal = folder.resolve("crm.duckdb.plugins").resolve("shopify").resolve("webhook-journal");
        Path last = segments(journal).get(segments(journal).size() - 1);
        long whole = recordsEnd(last);
        // A record the server died writing, over the zeros written ahead: its length says 4,096 bytes, 100 follow.
        try (FileChannel out = FileChannel.open(last, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.allocate(108).putInt(4096).putInt(0x5eed).flip(), whole);
        }
        long size = Files.size(last);
        assertThat(size).as("zeros written ahead of the records").isGreaterThan(whole + 108);

        server = CrmProcess.start(log, arguments);
        try {
            List<String> applied = IntStream.range(0, DELIVERIES).mapToObj(i -> webhookId(i) + "|Applied").toList();
            String stored = "SELECT concat_ws('|', webhook_id, state) FROM shopify_webhooks ORDER BY webhook_id";
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((!rows(server, stored).equals(applied) || segments(journal).size() > 1) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(rows(server, stored)).containsExactlyElementsOf(applied);
            assertThat(rows(server, "SELECT concat_ws('|', email, full_name) FROM customers WHERE email LIKE 'journal%' ORDER BY email"))
                    .containsExactlyElementsOf(IntStream.range(0, DELIVERIES)
                            .mapToObj(i -> String.format("journal%02d@example.com|Journal Customer %02d", i, i)).toList());
            // Moved whole, the segments written before the kill are deleted; the new start's segment is left.
            assertThat(segments(journal)).hasSize(1).doesNotContain(last);
            assertThat(Files.readString(log)).contains("Webhook journal " + last.toAbsolutePath() + ": a torn record at byte " + whole
                    + " (never acknowledged) and the " + (size - whole) + " bytes after it dropped");
        } finally {
            server.close();
        }
    }

    /** Every sender posts every delivery, all released at once; their answers as status and body. */
    private static List<String> fromSenders(CrmProcess server) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<String>>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(pool.submit(() -> {
                    go.await();
                    List<String> answers = new ArrayList<>();
                    for (int i = 0; i < DELIVERIES; i++) {
                        byte[] body = JSON.writeValueAsBytes(customer(i));
                        var answer = server.post("/plugins/shopify/webhooks",
                                ShopifyDelivery.headers(SHOP, SECRET, "customers/update", webhookId(i), "event-" + i, null, body), body);
                        answers.add(answer.statusCode() + " " + answer.body());
                    }
                    return answers;
                }));
            }
            go.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<List<String>> sender : senders) {
                answers.addAll(sender.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, Object> customer(int i) {
        long id = 7412883970000L + i;
        return node("id", id, "admin_graphql_api_id", "gid://shopify/Customer/" + id, "email", String.format("journal%02d@example.com", i),
                "first_name", "Journal", "last_name", String.format("Customer %02d", i), "updated_at", "2025-05-01T10:00:00Z");
    }

    private static String webhookId(int i) {
        return String.format("journal-%02d", i);
    }

    /** Where a segment's records end: each is its payload's length, a checksum and the payload; zeros follow the last. */
    private static long recordsEnd(Path segment) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        while (bytes.remaining() >= 8 && bytes.getInt(bytes.position()) > 0) {
            bytes.position(bytes.position() + 8 + bytes.getInt(bytes.position()));
        }
        return bytes.position();
    }

    private static List<Path> segments(Path journal) throws Exception {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".journal")).sorted().toList();
        }
    }

    private static List<String> append(List<String> arguments, String argument) {
        List<String> all = new ArrayList<>(arguments);
        all.add(argument);
        return all;
    }

    private static List<String> rows(CrmProcess server, String select) throws Exception {
        return server.sql(select).stream().map(row -> String.valueOf(row.get(0))).toList();
    }
}
