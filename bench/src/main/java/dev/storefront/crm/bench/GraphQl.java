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
    private final String authorization;

    GraphQl(HttpClient http, URI endpoint) {
        this(http, endpoint, ServerProcess.AUTHORIZATION);
    }

    /** @param authorization the {@code Authorization} header of every request, e.g. {@code Bearer crm_...} */
    GraphQl(HttpClient http, URI endpoint, String authorization) {
        this.http = http;
        this.endpoint = endpoint;
        this.authorization = authorization;
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
                .header("Authorization", authorization)
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || answer.path("errors").size() > 0) {
            throw new GraphQlError(response.statusCode(), response.statusCode() + ": " + answer.path("errors"));
        }
        return answer.path("data");
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
