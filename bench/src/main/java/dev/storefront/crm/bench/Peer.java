package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Another GraphQL server asked the bench's questions (PostGraphile over PostgreSQL, see
 * {@code bench/peer/README.md}). {@code DIR/endpoint} holds the URL on its first line and, on further
 * lines, headers to send ({@code Name: value}); each {@code DIR/<question>.graphql} is one question,
 * with its variables in {@code <question>.json} if it has any. An answer with {@code errors} stops the
 * run, since a wrong question times nothing.
 */
final class Peer {

    /** The question files a peer folder names after the bench's read rows, so a main run times them beside ours. */
    static final Map<String, String> QUESTIONS = Map.of(Report.ONE, "customer-by-id", Report.FILTER, "filtered-page",
            Report.ORDERS, "last-5-orders", Report.TICKETS, "tickets", Report.REVENUE, "revenue-by-month");

    private final Path dir;
    private final String url;
    private final GraphQl graphQl;
    /** Each question's document, by file name, read once so no run times the disk. */
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    Peer(Path dir) throws Exception {
        this.dir = dir;
        List<String> endpoint = Files.readAllLines(dir.resolve("endpoint")).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        this.url = endpoint.get(0);
        Map<String, String> headers = new LinkedHashMap<>();
        endpoint.stream().skip(1).forEach(header -> headers.put(header.substring(0, header.indexOf(':')).strip(),
                header.substring(header.indexOf(':') + 1).strip()));
        this.graphQl = new GraphQl(URI.create(url), headers);
    }

    String url() {
        return url;
    }

    /** Whether the folder asks the question of bench row {@code work}. */
    boolean asks(String work) {
        return QUESTIONS.containsKey(work) && Files.exists(dir.resolve(QUESTIONS.get(work) + ".graphql"));
    }

    /** The {@code data} of the peer's answer to bench row {@code work}, with {@code id} for a question that takes one. */
    JsonNode ask(String work, long id) throws Exception {
        return send(work, QUESTIONS.get(work), Map.of("id", Long.toString(id)));
    }

    /**
     * The fingerprint of an answer, as ours and the SQL side write it. The questions alias their
     * fields to our answer's shape ({@code customers: allCustomers ...}, {@code id: rowId}); revenue
     * comes as one node per month with {@code revenue} and {@code orders}.
     */
    static String fingerprint(String work, JsonNode data) {
        if (!work.equals(Report.REVENUE)) {
            return CrmStore.fingerprint(work, data);
        }
        JsonNode months = data.path("ordersAggregate").path("nodes");
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (JsonNode month : months) {
            orders += Long.parseLong(month.path("orders").asString());
            revenue = month.path("revenue").isNull() ? revenue : revenue.add(new BigDecimal(month.path("revenue").asString()));
        }
        return Fingerprints.revenue(months.size(), orders, revenue);
    }

    /** {@code --peer DIR [RUNS]}: every question of the folder, timed alone. */
    static String run(Path dir, int warmup, int runs) throws Exception {
        Peer peer = new Peer(dir);
        Map<String, Samples> timed = new LinkedHashMap<>();
        List<Path> questions;
        try (Stream<Path> files = Files.list(dir)) {
            questions = files.filter(f -> f.getFileName().toString().endsWith(".graphql")).sorted().toList();
        }
        for (Path question : questions) {
            String name = question.getFileName().toString().replaceFirst("\\.graphql$", "");
            Path variablesFile = dir.resolve(name + ".json");
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = Files.exists(variablesFile) ? GraphQl.JSON.readValue(variablesFile.toFile(), Map.class) : Map.of();
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long started = System.nanoTime();
                peer.send(name, name, variables);
                double took = (System.nanoTime() - started) / 1e6;
                if (i >= warmup) {
                    millis.add(took);
                }
            }
            timed.put(name, Samples.of(millis.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s, %d runs after %d warm-up%n%-40s | %10s | %10s%n",
                peer.url(), runs, warmup, "question", "median ms", "p95 ms"));
        timed.forEach((name, samples) -> out.append(String.format(Locale.ROOT, "%-40s | %10.2f | %10.2f%n", name, samples.median(), samples.p95())));
        return out.toString();
    }

    /**
     * The {@code data} of the peer's answer to question {@code name} (variables it does not declare are
     * ignored by a GraphQL server); an answer with errors stops the run, naming {@code label}.
     */
    private JsonNode send(String label, String name, Map<String, Object> variables) throws Exception {
        String document = documents.computeIfAbsent(name, n -> {
            try {
                return Files.readString(dir.resolve(n + ".graphql"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return graphQl.run(document, variables);
        } catch (GraphQl.GraphQlError error) {
            throw new IllegalStateException(label + " answered " + error.getMessage(), error);
        }
    }
}
