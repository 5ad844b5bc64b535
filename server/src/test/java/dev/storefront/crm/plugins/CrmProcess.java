package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.TestFolders;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built server in a child process on 127.0.0.1, started as README's "Run it" starts it (the
 * unpacked jar with the JVM options the build wrote beside it: its class-data archive, Spring AOT),
 * for tests that must kill the server (SIGKILL) and start it again on the same database. Talks to it
 * over HTTP only: GraphQL and the read-only SQL endpoint.
 */
public final class CrmProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;

    private CrmProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with {@code --name=value} arguments and waits until it answers GraphQL. */
    public static CrmProcess start(Path log, List<String> arguments) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = java("-Xmx512m");
        command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + port,
                "--crm.security.admin-key=" + E2EClient.ADMIN_KEY, "--crm.rate-limit.requests-per-second=1000000",
                "--crm.rate-limit.burst=1000000"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CrmProcess server = new CrmProcess(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                server.graphQl("{ __typename }", Map.of());
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("The server was not ready within 120 s; see " + log);
                }
                Thread.sleep(25);
            }
        }
    }

    /**
     * The command up to the server's own arguments: this JVM's java with the given options and the build's
     * {@code target/app/storefront-crm.args}, the file README's run command uses. Its archive was made by this JDK
     * from these jars, so the JVM loads the classes a start needs from it instead of the jars (about half the
     * CPU of {@code java -jar target/storefront-crm.jar}; bench/NOTES.md, eighteenth session, h19t).
     */
    public static List<String> java(String... options) {
        Path app = Path.of("target", "app");
        Path jar = app.resolve("storefront-crm.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + jar.toAbsolutePath() + "; the package phase builds it before integration tests");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(options));
        command.add(TestFolders.serverTempOption());
        command.addAll(List.of("@" + app.resolve("storefront-crm.args"), "-jar", jar.toString()));
        return command;
    }

    /** The {@code data} of a GraphQL answer; an answer with errors fails the test. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> graphQl(String document, Map<String, Object> variables) throws IOException, InterruptedException {
        Map<String, Object> answer = post("/graphql", Map.of("query", document, "variables", variables));
        if (answer.get("errors") != null) {
            throw new AssertionError("GraphQL errors: " + answer.get("errors"));
        }
        return (Map<String, Object>) answer.get("data");
    }

    /** The rows of a read-only SELECT through {@code POST /sql}. */
    @SuppressWarnings("unchecked")
    public List<List<Object>> sql(String select) throws IOException, InterruptedException {
        return (List<List<Object>>) post("/sql", Map.of("query", select)).get("rows");
    }

    /** POSTs raw bytes with the given headers, as a webhook sender does. */
    public HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = E2EClient.authorized(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(E2EClient.authorized(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readValue(response.body(), Map.class);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The server did not die within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
