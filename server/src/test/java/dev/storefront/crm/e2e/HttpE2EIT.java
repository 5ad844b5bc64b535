package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What plain HTTP clients see: GraphQL-over-HTTP status codes, JSON errors for every refusal, and GraphiQL served with no internet. */
class HttpE2EIT extends E2ESupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String body, String accept) throws Exception {
        return http.send(authorized(URI.create(baseUrl() + "/graphql"))
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(authorized(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestErrorsAre400AndFieldErrors200() throws Exception {
        HttpResponse<String> invalid = post("{\"query\":\"{ customers { nodes { noSuchField } } }\"}", "application/graphql-response+json");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("noSuchField");

        HttpResponse<String> unparsable = post("{\"query\":\"{ customers { \"}", "application/graphql-response+json");
        assertThat(unparsable.statusCode()).isEqualTo(400);

        HttpResponse<String> fieldError = post("{\"query\":\"mutation { createCustomer(input: {email: \\\"x\\\"}) { id } }\"}",
                "application/graphql-response+json");
        assertThat(fieldError.statusCode()).isEqualTo(200);
        assertThat(fieldError.body()).contains("\"code\":\"VALIDATION\"").contains("\"data\":null");
    }

    /**
     * Requests refused before any GraphQL runs still answer the GraphQL error shape, with the HTTP
     * status the GraphQL-over-HTTP spec gives and a code from the README's table.
     */
    @ParameterizedTest(name = "{0} {1} [{2}] {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "POST | /graphql | application/json | `{\"query\": \"{ __typename }\"` | 400 | VALIDATION"
                    + " | The request body is not a GraphQL request: send JSON {\"query\": \"...\", \"variables\": {...}} with query a string and variables an object",
            "POST | /graphql | application/json | `{}` | 400 | VALIDATION"
                    + " | The request body is not a GraphQL request: send JSON {\"query\": \"...\", \"variables\": {...}} with query a string and variables an object",
            "POST | /graphql | application/json | `{\"query\": \"{ __typename }\", \"variables\": [1]}` | 400 | VALIDATION"
                    + " | The request body is not a GraphQL request: send JSON {\"query\": \"...\", \"variables\": {...}} with query a string and variables an object",
            "POST | /graphql | application/json | `` | 400 | VALIDATION"
                    + " | The request body must be a JSON object: {\"query\": \"...\", \"variables\": {...}}",
            "POST | /graphql | text/plain | `{\"query\": \"{ __typename }\"}` | 415 | VALIDATION"
                    + " | Send GraphQL requests as JSON: Content-Type: application/json with {\"query\": \"...\", \"variables\": {...}}",
            "PUT | /graphql | application/json | `{\"query\": \"{ __typename }\"}` | 405 | METHOD_NOT_ALLOWED"
                    + " | /graphql does not take PUT; it takes GET (queries) and POST",
            "GET | /graphql | | | 405 | METHOD_NOT_ALLOWED | A GET of /graphql needs a query: /graphql?query={...}&variables={...}",
            "GET | /graphql?query=mutation%20%7B%20deleteCustomer(id%3A%20%221%22)%20%7B%20id%20%7D%20%7D | | | 405 | METHOD_NOT_ALLOWED"
                    + " | Only queries may be sent with GET; send a mutation with POST",
            "GET | /no/such/page | | | 404 | NOT_FOUND | There is nothing at /no/such/page"})
    void httpRefusalsAreGraphQlErrorsWithACode(String method, String path, String contentType, String body, int status, String code,
                                               String message) throws Exception {
        HttpRequest.Builder request = authorized(URI.create(baseUrl() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        // GraphQL's own refusals use the spec's media type, the server's the plain one: both JSON.
        assertThat(response.headers().firstValue("Content-Type").orElse("")).matches("application/(graphql-response\\+)?json.*");
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("message").asString()).isEqualTo(message);
        assertThat(error.path("extensions").path("code").asString()).isEqualTo(code);
    }

    @Test
    void aResponseTypeTheServerCannotWriteIs406AsJson() throws Exception {
        HttpResponse<String> response = post("{\"query\":\"{ __typename }\"}", "application/xml");
        assertThat(response.statusCode()).isEqualTo(406);
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("message").asString())
                .isEqualTo("The answer can only be JSON: accept application/json or application/graphql-response+json");
        assertThat(error.path("extensions").path("code").asString()).isEqualTo("VALIDATION");
    }

    @Test
    void graphiqlIsServedWithEveryAssetLocal() throws Exception {
        HttpResponse<String> page = get("/graphiql");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("GraphiQL").doesNotContain("https://").doesNotContain("http://");
        Matcher assets = Pattern.compile("(?:src|href)=\"(/webjars/[^\"]+)\"").matcher(page.body());
        int found = 0;
        while (assets.find()) {
            assertThat(get(assets.group(1)).statusCode()).as(assets.group(1)).isEqualTo(200);
            found++;
        }
        assertThat(found).isEqualTo(4);
    }
}
