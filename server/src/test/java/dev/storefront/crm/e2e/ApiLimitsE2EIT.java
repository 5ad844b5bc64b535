package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.DuckDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the adversarial probe found, each refused cleanly: bad HTTP bodies, query bombs refused
 * before any SQL runs, out-of-range values answered VALIDATION, long values not echoed, the SQL
 * console's sandbox holes and limits.
 */
class ApiLimitsE2EIT extends E2ESupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    DuckDb db;

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = authorized(URI.create(baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode firstError(HttpResponse<String> response) {
        return JSON.readTree(response.body()).path("errors").get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json | null                  | 400 | The request body must be a JSON object",
            "application/json | []                    | 400 | The request body must be a JSON object",
            "application/json | '   \"text\"'         | 400 | The request body must be a JSON object",
            "*/*              | '{\"query\": \"{ __typename }\"}' | 415 | Send GraphQL requests as JSON",
            "text/plain       | '{\"query\": \"{ __typename }\"}' | 415 | Send GraphQL requests as JSON",
            "application/*    | '{\"query\": \"{ __typename }\"}' | 415 | Send GraphQL requests as JSON"})
    void aGraphQlBodyThatIsNotAJsonObjectIsAJsonError(String contentType, String body, int status, String message) throws Exception {
        HttpResponse<String> response = post("/graphql", contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(firstError(response).path("message").asString()).startsWith(message);
        assertThat(firstError(response).path("extensions").path("code").asString()).isEqualTo("VALIDATION");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String padding = "x".repeat(3 * 1024 * 1024);
        HttpResponse<String> response = post("/graphql", "application/json", "{\"query\": \"{ __typename }\", \"pad\": \"" + padding + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(firstError(response).path("message").asString())
                .isEqualTo("The request body is larger than 2097152 bytes (crm.http.max-body-size)");
    }

    @Test
    void aDepthBombIsRefusedBeforeAnySqlRuns() {
        String query = "{ customers { nodes { " + "company { customers { nodes { ".repeat(6) + "id" + " } } }".repeat(6) + " } } }";
        long statements = db.statementCount();
        ResponseError error = error(query);
        assertThat(error.getMessage()).isEqualTo("The query is nested 21 fields deep; at most 15 are allowed");
        assertThat(error.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(db.statementCount()).isEqualTo(statements);
    }

    @Test
    void aFragmentBombIsMeasuredWithoutExpandingItAndRefused() {
        StringBuilder query = new StringBuilder("{ ...F0 } fragment F26 on Query { __typename }");
        for (int level = 0; level < 26; level++) {
            query.append(" fragment F").append(level).append(" on Query { ...F").append(level + 1).append(" a").append(level)
                    .append(": __typename ...F").append(level + 1).append(" }");
        }
        long statements = db.statementCount();
        ResponseError error = error(query.toString());
        // Level k adds one alias and twice the fields of level k+1: 2^27 - 1 fields in all.
        assertThat(error.getMessage()).isEqualTo("The query selects " + ((1L << 27) - 1)
                + " fields (aliases and fragments counted where used); at most 500 are allowed");
        assertThat(db.statementCount()).isEqualTo(statements);
    }

    @Test
    void thousandsOfAliasesAreRefused() {
        String aliases = IntStream.range(0, 1000).mapToObj(i -> "a" + i + ": objects { apiName }").collect(Collectors.joining(" "));
        long statements = db.statementCount();
        assertThat(error("{ " + aliases + " }").getMessage())
                .isEqualTo("The query selects 2000 fields (aliases and fragments counted where used); at most 500 are allowed");
        assertThat(db.statementCount()).isEqualTo(statements);
    }

    @Test
    void aQueryThatCouldReturnTooManyValuesIsRefusedWithItsVariables() {
        String query = "query($n: Int) { customers(first: $n) { nodes { id orders(first: 1000) { nodes { id totalAmount } } } } }";
        // customers: 1 + 1,000 x (nodes: 1 + id 1 + orders: 1 + 1,000 x (nodes: 1 + 2 fields)) = 3,003,001.
        assertThat(error(query, Map.of("n", 1000)).getMessage()).isEqualTo("The query could return 3003001 values (fields times "
                + "the page sizes around them); at most 1000000 are allowed: ask for smaller pages (first:) or fewer nested lists");
        run(query, Map.of("n", 2)).errors().verify();
    }

    @Test
    void valuesOutOfRangeAreValidationErrors() {
        String id = run("mutation($n: String!) { createCampaign(input: { campaignName: $n, revenueGenerated: 10 }) { id } }",
                Map.of("n", unique("Range Rita"))).path("createCampaign.id").entity(String.class).get();
        ResponseError huge = error("mutation($id: ID!) { updateCampaign(id: $id, input: { revenueGenerated: 1e400 }) { id } }", Map.of("id", id));
        assertThat(huge.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("field", "revenue_generated");
        ResponseError farFuture = error("mutation($id: ID!) { updateCampaign(id: $id, input: { launchDate: \"+999999999-01-01\" }) { id } }",
                Map.of("id", id));
        assertThat(farFuture.getMessage()).isEqualTo("campaigns.launch_date: '+999999999-01-01' is out of range (years 1 to 9999)");
        ResponseError beforeYearOne = error("mutation($id: ID!) { updateCampaign(id: $id, input: { launchDate: \"-0005-01-01\" }) { id } }",
                Map.of("id", id));
        assertThat(beforeYearOne.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(error("{ jobs(limit: -1) { id } }").getMessage()).isEqualTo("jobs(limit:) must be between 1 and 1000, got -1");
        run("query($id: ID!) { campaign(id: $id) { revenueGenerated launchDate } }", Map.of("id", id))
                .path("campaign.revenueGenerated").entity(String.class).isEqualTo("10.00")
                .path("campaign.launchDate").valueIsNull();
    }

    @Test
    void aLongInvalidValueIsNotEchoedAndTextHasASizeLimit() {
        String longEmail = "not-an-email-" + "x".repeat(1_000_000);
        ResponseError error = error("mutation($e: String) { createCustomer(input: { email: $e }) { id } }", Map.of("e", longEmail));
        assertThat(error.getMessage()).isEqualTo("customers.email: 'not-an-email-" + "x".repeat(87) + "… (1000013 characters)' is too long "
                + "(1000013 characters; at most 100000)");
        assertThat(error.getExtensions().get("value")).isEqualTo("not-an-email-" + "x".repeat(87) + "… (1000013 characters)");
        ResponseError notes = error("mutation($n: String) { createCustomer(input: { fullName: \"Long Lou\", notes: $n }) { id } }",
                Map.of("n", "n".repeat(100_001)));
        assertThat(notes.getMessage()).endsWith("is too long (100001 characters; at most 100000)");
        run("{ customers(where: { fullName: { eq: \"Long Lou\" } }) { totalCount } }").path("customers.totalCount").entity(Integer.class).isEqualTo(0);
    }

    @Test
    void errorsNameNoJavaClass() {
        List<String> documents = List.of("{ customers(first: \"x\") { totalCount } }", "{ customer(id: 1.5) { id } }",
                "mutation { createCampaign(input: { campaignName: \"Big\", customersTargeted: 1e30 }) { id } }", "{ nope }", "{ customers(where: { id: { in: [\"a\"] } }) { totalCount } }");
        for (String document : documents) {
            run(document).errors().satisfy(errors -> assertThat(errors).allSatisfy(e ->
                    assertThat(e.getMessage()).doesNotContainPattern("(java|graphql|dev\\.storefront|tools\\.jackson)\\.[a-z]+\\.")
                            .doesNotContain("Exception")));
        }
    }
}
