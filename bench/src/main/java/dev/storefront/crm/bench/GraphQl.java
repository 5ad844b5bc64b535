package dev.storefront.crm.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain GraphQL-over-HTTP client: one POST per request, errors thrown. */
final class GraphQl {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI endpoint;

    GraphQl(HttpClient http, URI endpoint) {
        this.http = http;
        this.endpoint = endpoint;
    }

    JsonNode run(String query) throws IOException, InterruptedException {
        return run(query, Map.of());
    }

    /** The {@code data} of the answer; any error fails the request. */
    JsonNode run(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (!variables.isEmpty()) {
            body.put("variables", variables);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Authorization", ServerProcess.AUTHORIZATION)
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || answer.path("errors").size() > 0) {
            throw new GraphQlError(response.statusCode() + ": " + answer.path("errors"));
        }
        return answer.path("data");
    }

    static final class GraphQlError extends RuntimeException {
        GraphQlError(String message) {
            super(message);
        }
    }
}
