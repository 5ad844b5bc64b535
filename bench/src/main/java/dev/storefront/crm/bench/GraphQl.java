package dev.storefront.crm.bench;

import dev.storefront.crm.client.CrmClient;
import java.net.URI;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bench's GraphQL requests, sent through the Java client ({@code clients/java}) as an integrator
 * would: one POST per request; any error fails the request.
 */
final class GraphQl {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final CrmClient client;

    /** @param server the server's base URI; @param apiKey the key every request carries */
    GraphQl(URI server, String apiKey) {
        this.client = CrmClient.create(server.toString(), apiKey);
    }

    JsonNode run(String query) {
        return run(query, Map.of());
    }

    /** The {@code data} of the answer, as a tree the fingerprints read. */
    JsonNode run(String query, Map<String, Object> variables) {
        try {
            return JSON.valueToTree(client.query(query, variables).getData());
        } catch (CrmClient.CrmClientException e) {
            throw new GraphQlError(e.status(), e.status() + ": " + e.getMessage());
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
