package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bench's GraphQL requests, to our server and to a peer: one POST per request over kept-alive
 * HTTP/1.1 connections. The rows measure the server, so the request path is as lean as a client can be:
 * each document's JSON prefix is written once, only the variables are written per request, and the
 * answer is read as bytes into one tree, on a {@link BlockingHttp} client. The typed Java client
 * ({@code clients/java}) adds Spring's reactive decoding on top (README, "Benchmark"). Any error fails
 * the request; nothing is retried.
 */
final class GraphQl {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte[] NO_VARIABLES = "{}}".getBytes(StandardCharsets.UTF_8);

    /** More than the most clients a row runs at once (32, and the burst row's), so none waits for a connection. */
    private static final int CONNECTIONS = 64;

    private final CloseableHttpClient http;
    private final URI endpoint;
    private final Map<String, String> headers;
    /** {@code {"query":"…","variables":} of each document asked, by its text. */
    private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

    /** @param server the server's base URI; @param apiKey the key every request carries */
    GraphQl(URI server, String apiKey) {
        this(server.resolve("/graphql"), Map.of("Authorization", "Bearer " + apiKey));
    }

    /** @param endpoint the GraphQL URL; @param headers sent with every request, besides its content type */
    GraphQl(URI endpoint, Map<String, String> headers) {
        this.http = BlockingHttp.client(CONNECTIONS);
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
    }

    JsonNode run(String query) {
        return run(query, Map.of());
    }

    /** The {@code data} of the answer, as a tree the fingerprints read. */
    JsonNode run(String query, Map<String, Object> variables) {
        byte[] prefix = prefixes.computeIfAbsent(query, q -> {
            String start = JSON.writeValueAsString(Map.of("query", q));
            return (start.substring(0, start.length() - 1) + ",\"variables\":").getBytes(StandardCharsets.UTF_8);
        });
        byte[] rest = variables.isEmpty() ? NO_VARIABLES : (JSON.writeValueAsString(variables) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + rest.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(rest, 0, body, prefix.length, rest.length);
        HttpPost post = new HttpPost(endpoint);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        Answer answer;
        try {
            answer = http.execute(post, response -> new Answer(response.getCode(), EntityUtils.toByteArray(response.getEntity())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode tree = parse(answer);
        JsonNode errors = tree.path("errors");
        if (answer.status() != 200 || !errors.isMissingNode() && !errors.isEmpty()) {
            StringBuilder messages = new StringBuilder();
            errors.forEach(error -> messages.append(messages.isEmpty() ? "" : "; ").append(error.path("message").asString()));
            throw new GraphQlError(answer.status(), answer.status() + ": " + messages);
        }
        return tree.path("data");
    }

    /** An HTTP answer: its status and body. */
    private record Answer(int status, byte[] body) {
    }

    private static JsonNode parse(Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (RuntimeException notJson) {
            throw new GraphQlError(answer.status(), answer.status() + ": "
                    + new String(answer.body(), 0, Math.min(300, answer.body().length), StandardCharsets.UTF_8));
        }
    }

    static final class GraphQlError extends RuntimeException {

        private final int status;

        GraphQlError(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status: 429 when the key was over its rate. */
        int status() {
            return status;
        }
    }
}
