package dev.storefront.crm.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --peer DIR}: the same questions against any GraphQL endpoint, so another server (PostGraphile
 * over PostgreSQL, see {@code bench/peer/README.md}) is timed the way ours is. {@code DIR/endpoint}
 * holds the URL on its first line and, on further lines, headers to send ({@code Name: value});
 * each {@code DIR/<question>.graphql} is one question, with its variables in {@code <question>.json}
 * if it has any. Each question runs {@code warmup} times untimed, then {@code runs} times one after
 * the other; an answer with {@code errors} stops the run, since a wrong question times nothing.
 */
final class Peer {

    private Peer() {
    }

    static String run(Path dir, int warmup, int runs) throws Exception {
        List<String> endpoint = Files.readAllLines(dir.resolve("endpoint")).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Samples> timed = new LinkedHashMap<>();
        List<Path> questions;
        try (Stream<Path> files = Files.list(dir)) {
            questions = files.filter(f -> f.getFileName().toString().endsWith(".graphql")).sorted().toList();
        }
        for (Path question : questions) {
            String name = question.getFileName().toString().replaceFirst("\\.graphql$", "");
            Path variablesFile = dir.resolve(name + ".json");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", Files.readString(question));
            if (Files.exists(variablesFile)) {
                body.put("variables", GraphQl.JSON.readValue(variablesFile.toFile(), Map.class));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.get(0))).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(GraphQl.JSON.writeValueAsString(body)));
            endpoint.stream().skip(1).forEach(header -> request.header(header.substring(0, header.indexOf(':')).strip(),
                    header.substring(header.indexOf(':') + 1).strip()));
            HttpRequest built = request.build();
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long started = System.nanoTime();
                HttpResponse<String> answer = http.send(built, HttpResponse.BodyHandlers.ofString());
                double took = (System.nanoTime() - started) / 1e6;
                if (answer.statusCode() != 200 || GraphQl.JSON.readTree(answer.body()).has("errors")) {
                    throw new IllegalStateException(name + " answered " + answer.statusCode() + ": "
                            + answer.body().substring(0, Math.min(300, answer.body().length())));
                }
                if (i >= warmup) {
                    millis.add(took);
                }
            }
            timed.put(name, Samples.of(millis.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s, %d runs after %d warm-up%n%-40s | %10s | %10s%n",
                endpoint.get(0), runs, warmup, "question", "median ms", "p95 ms"));
        timed.forEach((name, samples) -> out.append(String.format(Locale.ROOT, "%-40s | %10.2f | %10.2f%n", name, samples.median(), samples.p95())));
        return out.toString();
    }
}
