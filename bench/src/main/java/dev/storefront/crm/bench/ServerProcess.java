package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server jar in a child process on 127.0.0.1, ready once it answers a GraphQL request. */
final class ServerProcess implements AutoCloseable {

    /** The admin key this run's server accepts: generated per run, sent with every request. */
    static final String KEY = "bench_" + java.util.UUID.randomUUID();
    static final String AUTHORIZATION = "Bearer " + KEY;

    /**
     * A heap line of jcmd's {@code GC.heap_info}: G1 prints one for the whole heap, the throughput and serial collectors
     * one per generation (young, old); Metaspace's lines have no total, so they are not counted.
     */
    private static final Pattern GENERATION_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final Process process;
    private final int port;
    private final Path log;
    private final double startMillis;

    private ServerProcess(Process process, int port, Path log, double startMillis) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startMillis = startMillis;
    }

    static ServerProcess start(Path jar, Path database, Path schema, Path log, List<String> extraArgs, Duration timeout)
            throws IOException, InterruptedException {
        return start(jar, database, schema, log, List.of(), extraArgs, timeout);
    }

    static ServerProcess start(Path jar, Path database, Path schema, Path log, List<String> jvmArgs, List<String> extraArgs,
                               Duration timeout) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(appArguments(jar));
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--crm.database=" + database);
        command.add("--crm.schema-dir=" + schema);
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--crm.security.admin-key=" + KEY);
        command.addAll(extraArgs);
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").header("Authorization", AUTHORIZATION).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{__typename}\"}")).build();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new ServerProcess(process, port, log, (System.nanoTime() - started) / 1e6);
                }
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The server was not ready within " + timeout + "; see " + log);
    }

    /**
     * The JVM options the build writes beside the unpacked jar (server/target/app/storefront-crm.args: the training
     * start's class-data archive or AOT cache, Spring AOT on), passed as README's run command passes them; none for a
     * jar without that file (the fat jar, a build before it), which then starts plain.
     */
    static List<String> appArguments(Path jar) {
        Path arguments = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".args"));
        return Files.isRegularFile(arguments) ? List.of("@" + arguments) : List.of();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** From process start to the first answered GraphQL request. */
    double startMillis() {
        return startMillis;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Heap in use after a full GC, in MB (through jcmd, as an operator would look). */
    double heapAfterGcMb() throws IOException, InterruptedException {
        jcmd("GC.run");
        return heapUsedMb(jcmd("GC.heap_info"));
    }

    /** The heap in use that {@code GC.heap_info} reports, every generation summed, in MB. */
    static double heapUsedMb(String heapInfo) {
        Matcher used = GENERATION_USED.matcher(heapInfo);
        double mb = Double.NaN;
        while (used.find()) {
            mb = (Double.isNaN(mb) ? 0 : mb) + Long.parseLong(used.group(1)) / 1024.0;
        }
        return mb;
    }

    String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(jdkTool("jcmd"), Long.toString(pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    static String jdkTool(String name) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path tool = java.resolveSibling(name);
        return Files.isExecutable(tool) ? tool.toString() : name;
    }

    /** Stops gracefully (DuckDB checkpoints on close), forcibly after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
