package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What plain HTTP clients see: GraphQL-over-HTTP status codes, and GraphiQL served with no internet. */
class HttpE2EIT extends E2ESupport {

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
