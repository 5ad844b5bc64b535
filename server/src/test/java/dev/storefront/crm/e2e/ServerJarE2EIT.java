package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server jar in its own process, as a store owner runs it: the first start of the
 * self-contained jar prints an admin key; a key over its rate gets 429; and SIGKILL at random moments
 * during a burst of writes, 20 times over, loses no acknowledged write and leaves no batch half-written,
 * nor a batch without its audit row (the unpacked jar with its archive, README's run command, which
 * starts in about half the CPU).
 */
class ServerJarE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern PRINTED_KEY = Pattern.compile("^\\s+(crm_[A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);
    private static final int KILLS = 20;
    private static final int BATCH = 5;
    /** The JVM options of every start: a small heap, and the client compiler only, which is all a short run needs. */
    private static final String[] JVM = {"-Xmx256m", "-XX:TieredStopAtLevel=1"};

    private record Server(Process process, int port, Path log) {

        JsonNode post(String key, String query) throws IOException, InterruptedException {
            HttpResponse<String> response = send(key, query);
            return JSON.readTree(response.body());
        }

        HttpResponse<String> send(String key, String query) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts {@code java -jar target/storefront-crm.jar}, the one self-contained jar README also documents. */
    private static Server startJar(Path database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(JVM));
        command.add(TestFolders.serverTempOption());
        command.addAll(List.of("-jar", Path.of("target/storefront-crm.jar").toAbsolutePath().toString()));
        return start(command, database, args);
    }

    /** Starts the unpacked jar with the build's archive, as README's run command does. */
    private static Server startApp(Path database, String... args) throws Exception {
        return start(CrmProcess.java(JVM), database, args);
    }

    private static Server start(List<String> java, Path database, String... args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = database.resolveSibling("server-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + port, "--crm.database=" + database,
                "--crm.schema-dir=../schema", "--crm.plugins-dir=" + database.resolveSibling("no-plugins")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("server exited; see %s", log).isTrue();
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphiql"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return new Server(process, port, log);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        process.destroyForcibly();
        throw new AssertionError("server did not start in 90 s; see " + log);
    }

    private static String createKey(Server server, String admin, String role) throws Exception {
        return server.post(admin, "mutation { createApiKey(name: \"" + role + " key\", role: " + role + ") { secret } }")
                .path("data").path("createApiKey").path("secret").asString();
    }

    @Test
    void firstStartPrintsAnAdminKeyAndKeysAreRateLimited() throws Exception {
        Path database = TestFolders.create("crm-jar").resolve("crm.duckdb");
        Server server = startJar(database, "--crm.rate-limit.requests-per-second=2", "--crm.rate-limit.burst=10",
                "--crm.security.introspection=admin");
        try {
            Matcher printed = PRINTED_KEY.matcher(Files.readString(server.log()));
            assertThat(printed.find()).as("the admin key in %s", server.log()).isTrue();
            String admin = printed.group(1);
            assertThat(server.post(admin, "{ apiKeys { name role } }").path("data").path("apiKeys").toString())
                    .isEqualTo("[{\"name\":\"first admin key\",\"role\":\"ADMIN\"}]");
            String viewer = createKey(server, admin, "VIEWER");
            assertThat(server.post(viewer, "{ __schema { queryType { name } } }").path("errors").get(0).path("message").asString())
                    .isEqualTo("The viewer role cannot use __schema; it needs admin");

            // The viewer used 2 of its 10; 12 more at once: 8 pass, 4 are refused with Retry-After.
            int passed = 0;
            List<HttpResponse<String>> refused = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = server.send(viewer, "{ __typename }");
                if (response.statusCode() == 200) {
                    passed++;
                } else {
                    refused.add(response);
                }
            }
            assertThat(passed).isBetween(8, 9);
            assertThat(refused).hasSize(12 - passed).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
            });
            // Another key has its own bucket.
            assertThat(server.send(admin, "{ __typename }").statusCode()).isEqualTo(200);
        } finally {
            server.kill();
        }
    }

    @Test
    void sigkillDuringWritesLosesNoAcknowledgedWrite() throws Exception {
        Path database = TestFolders.create("crm-crash").resolve("crm.duckdb");
        String key = "crm_crash_test_key";
        Random random = new Random(11);
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < KILLS; round++) {
            Server server = startApp(database, "--crm.security.admin-key=" + key);
            if (round > 0) {
                assertEveryAcknowledgedWriteIsThere(server, key, acknowledged);
            }
            AtomicBoolean killed = new AtomicBoolean();
            int currentRound = round;
            Thread writer = new Thread(() -> {
                for (int batch = 0; !killed.get(); batch++) {
                    StringBuilder inputs = new StringBuilder();
                    List<String> emails = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        String email = "r" + currentRound + "b" + batch + "i" + i + "@crash.example";
                        emails.add(email);
                        inputs.append("{ fullName: \"Crash ").append(batch).append("\", email: \"").append(email)
                                .append("\", notes: \"crash r").append(currentRound).append(" b").append(batch).append("\" } ");
                    }
                    try {
                        JsonNode answer = server.post(key, "mutation { createCustomers(inputs: [" + inputs + "]) { id } }");
                        if (answer.path("data").path("createCustomers").size() == BATCH) {
                            synchronized (acknowledged) {
                                acknowledged.addAll(emails);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            writer.start();
            Thread.sleep(200 + random.nextInt(600));
            killed.set(true);
            server.kill();
            writer.join();
        }
        Server last = startApp(database, "--crm.security.admin-key=" + key);
        try {
            assertEveryAcknowledgedWriteIsThere(last, key, acknowledged);
            assertThat(acknowledged).hasSizeGreaterThan(KILLS * BATCH);
        } finally {
            last.kill();
        }
    }

    /**
     * Every acknowledged email is stored, every batch is stored whole or not at all, and the audit log
     * has one row per stored batch: the row is committed with the batch, whatever moment the kill hit.
     */
    private static void assertEveryAcknowledgedWriteIsThere(Server server, String key, Set<String> acknowledged) throws Exception {
        Set<String> stored = new HashSet<>();
        Map<String, Integer> perBatch = new HashMap<>();
        String after = null;
        while (true) {
            JsonNode page = server.post(key, "{ customers(first: 1000" + (after == null ? "" : ", after: \"" + after + "\"")
                    + ", where: { email: { endsWith: \"@crash.example\" } }) { pageInfo { hasNextPage endCursor } nodes { email notes } } }")
                    .path("data").path("customers");
            for (JsonNode node : page.path("nodes")) {
                stored.add(node.path("email").asString());
                perBatch.merge(node.path("notes").asString(), 1, Integer::sum);
            }
            if (!page.path("pageInfo").path("hasNextPage").asBoolean()) {
                break;
            }
            after = page.path("pageInfo").path("endCursor").asString();
        }
        synchronized (acknowledged) {
            assertThat(stored).containsAll(acknowledged);
        }
        assertThat(perBatch.values()).allSatisfy(count -> assertThat(count).isEqualTo(BATCH));
        JsonNode audited = server.post(key, "{ sql(query: \"SELECT count(*) FROM crm_audit WHERE action = 'createCustomers'\") { rows } }");
        assertThat(audited.path("data").path("sql").path("rows").get(0).get(0).asLong()).as(audited.toString()).isEqualTo(perBatch.size());
    }
}
