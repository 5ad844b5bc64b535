package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.ResponseError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes to the model through the metadata API, over real HTTP, each on an object of its own: the
 * GraphQL schema follows at once, stored values survive renames and conversions, and every change
 * that would lose or corrupt data is refused with CONFLICT naming what is in the way, leaving the
 * model and the data exactly as they were.
 */
class SchemaChangesE2EIT extends E2ESupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    // ------------------------------------------------------------------ addField

    @Test
    void addedFieldIsQueryableOnTheVeryNextRequestAndItsDefaultFillsExistingEntries() {
        Obj gadget = newObject("addf", field("Name", "TEXT"));
        String first = create(gadget, Map.of("name", "alpha"));
        String second = create(gadget, Map.of("name", "beta"));

        Map<String, Object> added = ok("mutation($input: FieldInput!) { addField(object: \"" + gadget.apiName
                        + "\", input: $input) { apiName graphqlName type defaultValue required } }",
                Map.of("input", field("Stock Level", "INTEGER", "defaultValue", "5")));
        assertThat(at(added, "addField")).containsEntry("apiName", "stock_level").containsEntry("graphqlName", "stockLevel")
                .containsEntry("type", "INTEGER").containsEntry("defaultValue", "5").containsEntry("required", false);

        // The very next request, no restart: the field is in the schema and existing entries hold the default.
        assertThat(entries(gadget, "name stockLevel")).extracting(e -> e.get("id"), e -> e.get("name"), e -> e.get("stockLevel"))
                .containsExactly(tuple(first, "alpha", 5), tuple(second, "beta", 5));

        // An enum field: its default is filled as the option, read back as the GraphQL enum value.
        ok("mutation($input: FieldInput!) { addField(object: \"" + gadget.apiName + "\", input: $input) { apiName } }",
                Map.of("input", field("Availability", "ENUM", "options", List.of("In Stock", "Sold Out"),
                        "defaultValue", "In Stock")));
        assertThat(entries(gadget, "availability")).extracting(e -> e.get("availability"))
                .containsExactly("IN_STOCK", "IN_STOCK");

        // The create input has the new fields too.
        String third = create(gadget, Map.of("name", "gamma", "stockLevel", 9, "availability", "SOLD_OUT"));
        assertThat(entries(gadget, "name stockLevel availability")).filteredOn(e -> e.get("id").equals(third))
                .singleElement().satisfies(e -> assertThat(e).containsEntry("stockLevel", 9)
                        .containsEntry("availability", "SOLD_OUT"));
    }

    // ------------------------------------------------------------------ rename

    @Test
    void renamingAFieldKeepsEveryValueUnderTheNewNameAndTheOldNameIsGone() {
        Obj gadget = newObject("ren", field("Nickname", "TEXT"), field("Score", "INTEGER"));
        String a = create(gadget, Map.of("nickname", "a", "score", 1));
        String b = create(gadget, Map.of("score", 2));
        String c = create(gadget, Map.of("nickname", "c"));

        Map<String, Object> renamed = ok("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"nickname\", input: {apiName: \"alias_name\", label: \"Alias Name\"}) { apiName graphqlName label type } }");
        assertThat(at(renamed, "updateField")).containsEntry("apiName", "alias_name").containsEntry("graphqlName", "aliasName")
                .containsEntry("label", "Alias Name").containsEntry("type", "TEXT");
        ok("mutation { updateField(object: \"" + gadget.apiName + "\", field: \"score\", input: {apiName: \"match_score\"}) { apiName } }");

        assertThat(entries(gadget, "aliasName matchScore"))
                .extracting(e -> e.get("id"), e -> e.get("aliasName"), e -> e.get("matchScore"))
                .containsExactly(tuple(a, "a", 1), tuple(b, null, 2), tuple(c, "c", null));

        // The old names are gone from the schema, from the metadata and from the inputs.
        ResponseError oldName = error("{ " + gadget.many + "(first: 10) { nodes { nickname } } }");
        assertThat(oldName.getMessage()).contains("nickname").contains("undefined");
        ResponseError oldScore = error("{ " + gadget.many + "(first: 10) { nodes { score } } }");
        assertThat(oldScore.getMessage()).contains("score").contains("undefined");
        assertThat(fieldNames(gadget)).containsExactly("alias_name", "match_score");
        ResponseError oldInput = error("mutation { " + gadget.create + "(input: {nickname: \"x\"}) { id } }");
        assertThat(oldInput.getMessage()).contains("nickname");

        // New entries are written under the new names.
        String d = create(gadget, Map.of("aliasName", "d", "matchScore", 4));
        assertThat(entries(gadget, "aliasName matchScore")).filteredOn(e -> e.get("id").equals(d)).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("aliasName", "d").containsEntry("matchScore", 4));
    }

    // ------------------------------------------------------------------ type changes

    @Test
    void textToIntegerConvertsWhenEveryValueConverts() {
        Obj gadget = newObject("t2i", field("Code", "TEXT"));
        String a = create(gadget, Map.of("code", "12"));
        String b = create(gadget, Map.of("code", "-3"));
        String c = create(gadget, Map.of());

        Map<String, Object> changed = ok("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"code\", input: {type: INTEGER}) { apiName type } }");
        assertThat(at(changed, "updateField")).containsEntry("apiName", "code").containsEntry("type", "INTEGER");

        assertThat(entries(gadget, "code")).extracting(e -> e.get("id"), e -> e.get("code"))
                .containsExactly(tuple(a, 12), tuple(b, -3), tuple(c, null));
        assertThat(fieldMeta(gadget, "code")).containsEntry("type", "INTEGER");
        // The schema says Long now: digits as text are a whole number, other text is refused naming the field.
        ResponseError asText = error("mutation { " + gadget.create + "(input: {code: \"seven\"}) { id } }");
        assertThat(asText.getMessage()).isEqualTo(gadget.apiName + ".code: 'seven' is not a whole number");
    }

    @Test
    void textToIntegerIsRefusedNamingTheValuesThatDoNotConvertAndNothingChanges() {
        Obj gadget = newObject("t2ibad", field("Code", "TEXT"));
        create(gadget, Map.of("code", "12"));
        create(gadget, Map.of("code", "abc"));
        create(gadget, Map.of("code", "x1"));
        List<Map<String, Object>> metadataBefore = fields(gadget);

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"code\", input: {type: INTEGER}) { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(gadget.apiName + ".code").contains("abc").contains("x1").doesNotContain("12,");
        assertThat(refused.getExtensions()).containsEntry("object", gadget.apiName).containsEntry("field", "code");
        assertThat(values(refused)).containsExactlyInAnyOrder("abc", "x1");
        // Nothing changed: the old type and every value are still there.
        assertThat(fieldMeta(gadget, "code")).containsEntry("type", "TEXT");
        assertThat(entries(gadget, "code")).extracting(e -> e.get("code")).containsExactly("12", "abc", "x1");
        assertThat(fields(gadget)).isEqualTo(metadataBefore);
    }

    @Test
    void textWithDecimalsToIntegerIsRefusedRatherThanRounded() {
        Obj gadget = newObject("t2idec", field("Code", "TEXT"));
        create(gadget, Map.of("code", "12"));
        create(gadget, Map.of("code", "12.5"));

        String retype = "mutation { updateField(object: \"" + gadget.apiName + "\", field: \"code\", input: {type: INTEGER}) { type } }";
        GraphQlResponse response = graphQl.document(retype).execute().returnResponse();
        if (response.getErrors().isEmpty()) {
            throw new AssertionError("'12.5' is not a whole number, yet the field became " + at(response.getData(), "updateField")
                    + " and the entries now hold " + entries(gadget, "code"));
        }
        assertThat(response.getErrors()).hasSize(1);
        ResponseError refused = response.getErrors().get(0);

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains("12.5");
        assertThat(values(refused)).containsExactly("12.5");
        assertThat(fieldMeta(gadget, "code")).containsEntry("type", "TEXT");
        assertThat(entries(gadget, "code")).extracting(e -> e.get("code")).containsExactly("12", "12.5");
    }

    @Test
    void numberWithDecimalsToIntegerIsRefusedNamingTheValue() {
        Obj gadget = newObject("n2i", field("Weight", "NUMBER"));
        create(gadget, Map.of("weight", 2.5));
        create(gadget, Map.of("weight", 3));

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"weight\", input: {type: INTEGER}) { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(gadget.apiName + ".weight").contains("2.5");
        assertThat(values(refused)).singleElement().satisfies(v -> assertThat(new BigDecimal(v)).isEqualByComparingTo("2.5"));
        assertThat(fieldMeta(gadget, "weight")).containsEntry("type", "NUMBER");
        assertThat(entries(gadget, "weight")).extracting(e -> new BigDecimal((String) e.get("weight")).doubleValue())
                .containsExactly(2.5, 3.0);
    }

    @Test
    void textToEmailIsRefusedNamingTheBadValueAndWorksOnceItIsFixed() {
        Obj gadget = newObject("t2e", field("Contact", "TEXT"));
        create(gadget, Map.of("contact", "ann@example.com"));
        String bad = create(gadget, Map.of("contact", "not-an-email"));

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"contact\", input: {type: EMAIL}) { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains("not-an-email").doesNotContain("ann@example.com");
        assertThat(values(refused)).containsExactly("not-an-email");
        assertThat(fieldMeta(gadget, "contact")).containsEntry("type", "TEXT");
        assertThat(entries(gadget, "contact")).extracting(e -> e.get("contact"))
                .containsExactly("ann@example.com", "not-an-email");

        ok("mutation { " + gadget.update + "(id: \"" + bad + "\", input: {contact: \"bob@example.com\"}) { id } }");
        ok("mutation { updateField(object: \"" + gadget.apiName + "\", field: \"contact\", input: {type: EMAIL}) { type } }");
        assertThat(fieldMeta(gadget, "contact")).containsEntry("type", "EMAIL");
        assertThat(entries(gadget, "contact")).extracting(e -> e.get("contact"))
                .containsExactly("ann@example.com", "bob@example.com");
        ResponseError invalid = error("mutation { " + gadget.create + "(input: {contact: \"nope\"}) { id } }");
        assertCode(invalid, "VALIDATION");
    }

    @Test
    void integerToTextKeepsTheValuesAsText() {
        Obj gadget = newObject("i2t", field("Quantity", "INTEGER"));
        create(gadget, Map.of("quantity", 42));
        create(gadget, Map.of("quantity", -7));
        create(gadget, Map.of());

        Map<String, Object> changed = ok("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"quantity\", input: {type: TEXT}) { type } }");

        assertThat(at(changed, "updateField")).containsEntry("type", "TEXT");
        assertThat(entries(gadget, "quantity")).extracting(e -> e.get("quantity")).containsExactly("42", "-7", null);
        create(gadget, Map.of("quantity", "a dozen"));
        assertThat(entries(gadget, "quantity")).extracting(e -> e.get("quantity")).containsExactly("42", "-7", null, "a dozen");
    }

    // ------------------------------------------------------------------ enum options

    @Test
    void removingAnEnumOptionInUseIsRefusedNamingItWhileAddingOrRemovingUnusedOptionsWorks() {
        Obj gadget = newObject("opt", field("Status", "ENUM", "options", List.of("In Stock", "Sold Out", "Backorder")));
        create(gadget, Map.of("status", "IN_STOCK"));
        String soldOut = create(gadget, Map.of("status", "SOLD_OUT"));

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"status\", input: {options: [\"In Stock\", \"Backorder\"]}) { options } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains("Sold Out").doesNotContain("In Stock");
        assertThat(values(refused)).containsExactly("Sold Out");
        assertThat(fieldMeta(gadget, "status").get("options")).isEqualTo(List.of("In Stock", "Sold Out", "Backorder"));
        assertThat(entries(gadget, "status")).extracting(e -> e.get("status")).containsExactly("IN_STOCK", "SOLD_OUT");

        Map<String, Object> added = ok("mutation { updateField(object: \"" + gadget.apiName + "\", field: \"status\","
                + " input: {options: [\"In Stock\", \"Sold Out\", \"Backorder\", \"Discontinued\"]}) { options } }");
        assertThat(at(added, "updateField").get("options")).isEqualTo(List.of("In Stock", "Sold Out", "Backorder", "Discontinued"));
        String discontinued = create(gadget, Map.of("status", "DISCONTINUED"));
        assertThat(entries(gadget, "status")).filteredOn(e -> e.get("id").equals(discontinued)).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("status", "DISCONTINUED"));

        // An option nobody uses can go.
        ok("mutation { updateField(object: \"" + gadget.apiName + "\", field: \"status\","
                + " input: {options: [\"In Stock\", \"Sold Out\", \"Discontinued\"]}) { options } }");
        assertThat(fieldMeta(gadget, "status").get("options")).isEqualTo(List.of("In Stock", "Sold Out", "Discontinued"));
        ResponseError gone = error("mutation { " + gadget.update + "(id: \"" + soldOut + "\", input: {status: BACKORDER}) { id } }");
        assertThat(gone.getMessage()).contains("BACKORDER");
    }

    // ------------------------------------------------------------------ required / unique

    @Test
    void makingAFieldRequiredNeedsAValueForEveryEntryOrADefaultThatFillsThem() {
        Obj gadget = newObject("req", field("Note", "TEXT"));
        String withNote = create(gadget, Map.of("note", "kept"));
        String without = create(gadget, Map.of());

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"note\", input: {required: true}) { required } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(gadget.apiName + ".note").contains("1 entries have no value");
        assertThat(refused.getExtensions()).containsEntry("object", gadget.apiName).containsEntry("field", "note");
        assertThat(fieldMeta(gadget, "note")).containsEntry("required", false);
        assertThat(entries(gadget, "note")).extracting(e -> e.get("note")).containsExactly("kept", null);

        Map<String, Object> required = ok("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"note\", input: {required: true, defaultValue: \"n/a\"}) { required defaultValue } }");

        assertThat(at(required, "updateField")).containsEntry("required", true).containsEntry("defaultValue", "n/a");
        assertThat(entries(gadget, "note")).extracting(e -> e.get("id"), e -> e.get("note"))
                .containsExactly(tuple(withNote, "kept"), tuple(without, "n/a"));
    }

    @Test
    void makingAFieldUniqueWithDuplicatesIsRefusedNamingTheDuplicates() {
        Obj gadget = newObject("uniq", field("Sku", "TEXT"));
        for (String sku : List.of("A1", "A1", "B2", "C3", "B2")) {
            create(gadget, Map.of("sku", sku));
        }

        ResponseError refused = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"sku\", input: {unique: true}) { unique } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains("A1").contains("B2").doesNotContain("C3");
        assertThat(values(refused)).containsExactlyInAnyOrder("A1", "B2");
        assertThat(fieldMeta(gadget, "sku")).containsEntry("unique", false);
        assertThat(entries(gadget, "sku")).extracting(e -> e.get("sku")).containsExactly("A1", "A1", "B2", "C3", "B2");
    }

    // ------------------------------------------------------------------ deletes

    @Test
    void deletingAFieldThatHoldsDataNeedsConfirmation() {
        Obj gadget = newObject("delf", field("Name", "TEXT"), field("Secret", "TEXT"), field("Spare", "TEXT"));
        create(gadget, Map.of("name", "one", "secret", "s1"));
        create(gadget, Map.of("name", "two"));

        ResponseError refused = error("mutation { deleteField(object: \"" + gadget.apiName + "\", field: \"secret\") { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(gadget.apiName + ".secret").contains("confirm: true");
        assertThat(refused.getExtensions()).containsEntry("object", gadget.apiName).containsEntry("field", "secret")
                .containsEntry("entries", 1);
        assertThat(fieldNames(gadget)).containsExactly("name", "secret", "spare");
        assertThat(entries(gadget, "secret")).extracting(e -> e.get("secret")).containsExactly("s1", null);

        // A field holding nothing goes without confirmation.
        Map<String, Object> spare = ok("mutation { deleteField(object: \"" + gadget.apiName + "\", field: \"spare\") { apiName } }");
        assertThat(at(spare, "deleteField")).containsEntry("apiName", "spare");

        Map<String, Object> deleted = ok("mutation { deleteField(object: \"" + gadget.apiName
                + "\", field: \"secret\", confirm: true) { apiName type } }");
        assertThat(at(deleted, "deleteField")).containsEntry("apiName", "secret").containsEntry("type", "TEXT");
        assertThat(fieldNames(gadget)).containsExactly("name");
        assertThat(error("{ " + gadget.many + "(first: 10) { nodes { secret } } }").getMessage()).contains("secret");
        assertThat(entries(gadget, "name")).extracting(e -> e.get("name")).containsExactly("one", "two");
    }

    @Test
    void deletingAnObjectWithEntriesNeedsConfirmation() {
        Obj gadget = newObject("delo", field("Name", "TEXT"));
        create(gadget, Map.of("name", "kept"));

        ResponseError refused = error("mutation { deleteObject(apiName: \"" + gadget.apiName + "\") { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(gadget.apiName).contains("1 entries").contains("confirm: true");
        assertThat(refused.getExtensions()).containsEntry("object", gadget.apiName).containsEntry("entries", 1);
        assertThat(objectNames()).contains(gadget.apiName);
        assertThat(entries(gadget, "name")).extracting(e -> e.get("name")).containsExactly("kept");

        Map<String, Object> deleted = ok("mutation { deleteObject(apiName: \"" + gadget.apiName
                + "\", confirm: true) { apiName typeName } }");
        assertThat(at(deleted, "deleteObject")).containsEntry("apiName", gadget.apiName).containsEntry("typeName", gadget.type);
        assertThat(objectNames()).doesNotContain(gadget.apiName);
        Map<String, Object> lookup = ok("{ object(apiName: \"" + gadget.apiName + "\") { apiName } }");
        assertThat(lookup).containsEntry("object", null);
        assertThat(error("{ " + gadget.many + "(first: 10) { nodes { id } } }").getMessage()).contains(gadget.many);
    }

    @Test
    void deletingAnObjectThatARelationPointsAtIsRefused() {
        Obj target = newObject("tgt", field("Name", "TEXT"));
        Obj source = newObject("src", field("Title", "TEXT"),
                field("Owner", "RELATION", "relatedObject", target.apiName));
        String targetId = create(target, Map.of("name", "t"));
        create(source, Map.of("title", "s", "ownerId", targetId));

        ResponseError refused = error("mutation { deleteObject(apiName: \"" + target.apiName + "\", confirm: true) { apiName } }");

        assertCode(refused, "CONFLICT");
        assertThat(refused.getMessage()).contains(target.apiName).contains(source.apiName + ".owner");
        assertThat(refused.getExtensions()).containsEntry("object", target.apiName)
                .containsEntry("fields", List.of(source.apiName + ".owner"));
        assertThat(objectNames()).contains(target.apiName, source.apiName);
        assertThat(entries(target, "name")).extracting(e -> e.get("name")).containsExactly("t");
        assertThat(entries(source, "title owner { id name }")).singleElement()
                .satisfies(e -> assertThat(e.get("owner")).isEqualTo(Map.of("id", targetId, "name", "t")));

        // Once the relation is gone the target can go.
        ok("mutation { deleteField(object: \"" + source.apiName + "\", field: \"owner\", confirm: true) { apiName } }");
        ok("mutation { deleteObject(apiName: \"" + target.apiName + "\", confirm: true) { apiName } }");
        assertThat(objectNames()).contains(source.apiName).doesNotContain(target.apiName);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void schemaChangesUnderConcurrentRequestsNeverBreakARequest() throws Exception {
        Obj gadget = newObject("conc", field("Name", "TEXT"));
        for (String name : List.of("a", "b", "c")) {
            create(gadget, Map.of("name", name));
        }
        String body = JSON.writeValueAsString(Map.of("query", "{ " + gadget.many + "(first: 50) { nodes { id name } totalCount }"
                + " object(apiName: \"" + gadget.apiName + "\") { fields { apiName } } }"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = authorized(URI.create(baseUrl() + "/graphql"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();

        // Every reader sends exactly this many requests; the changes start once each reader has had its first answer.
        int threads = 6;
        int requestsEach = 60;
        CountDownLatch readersStarted = new CountDownLatch(threads);
        AtomicInteger responses = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < requestsEach; i++) {
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            responses.incrementAndGet();
                            String problem = problemOf(response, gadget);
                            if (problem != null) {
                                failures.add(problem);
                            }
                        } catch (Exception e) {
                            failures.add("request failed: " + e);
                        }
                        if (i == 0) {
                            readersStarted.countDown();
                        }
                    }
                });
            }
            assertThat(readersStarted.await(60, TimeUnit.SECONDS)).as("readers started").isTrue();
            for (int i = 1; i <= 10; i++) {
                String label = "Extra " + i;
                String graphqlName = "extra" + i;
                String value = "v" + i;
                Map<String, Object> added = ok("mutation($input: FieldInput!) { addField(object: \"" + gadget.apiName
                        + "\", input: $input) { graphqlName } }", Map.of("input", field(label, "TEXT", "defaultValue", value)));
                assertThat(at(added, "addField")).containsEntry("graphqlName", graphqlName);
                // Right after addField returns, the new field is served.
                assertThat(entries(gadget, "name " + graphqlName)).extracting(e -> e.get(graphqlName))
                        .as("%s right after addField", graphqlName).containsExactly(value, value, value);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("readers stopped").isTrue();
        }

        assertThat(failures).as("problems seen by concurrent readers").isEmpty();
        assertThat(responses.get()).isEqualTo(threads * requestsEach);
        assertThat(fieldNames(gadget)).hasSize(11).startsWith("name").endsWith("extra_10");
    }

    private static String problemOf(HttpResponse<String> response, Obj gadget) {
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode() + ": " + response.body();
        }
        JsonNode json = JSON.readTree(response.body());
        if (json.has("errors")) {
            return "errors: " + json.get("errors");
        }
        JsonNode list = json.path("data").path(gadget.many);
        if (list.path("totalCount").asInt(-1) != 3 || list.path("nodes").size() != 3) {
            return "wrong list: " + response.body();
        }
        if (!json.path("data").path("object").path("fields").isArray()) {
            return "no metadata: " + response.body();
        }
        return null;
    }

    // ------------------------------------------------------------------ invalid metadata input

    @Test
    void invalidMetadataInputIsRefusedWithAClearErrorAndTheRightCode() {
        Obj gadget = newObject("inv", field("Name", "TEXT"));
        List<String> before = objectNames();

        ResponseError badObjectName = error("mutation { createObject(input: {apiName: \"Bad Name\", singularLabel: \"Bad\","
                + " pluralLabel: \"Bads\"}) { apiName } }");
        assertCode(badObjectName, "VALIDATION");
        assertThat(badObjectName.getMessage()).contains("'Bad Name'").contains("cannot name an object");

        ResponseError badFieldName = error("mutation { addField(object: \"" + gadget.apiName
                + "\", input: {label: \"Bad\", apiName: \"Bad Name\", type: TEXT}) { apiName } }");
        assertCode(badFieldName, "VALIDATION");
        assertThat(badFieldName.getMessage()).contains("Bad Name").contains("must start with a letter");
        assertThat(badFieldName.getExtensions()).containsEntry("object", gadget.apiName).containsEntry("field", "Bad Name");

        ResponseError duplicate = error("mutation { addField(object: \"" + gadget.apiName
                + "\", input: {label: \"Name\", type: INTEGER}) { apiName } }");
        assertCode(duplicate, "CONFLICT");
        assertThat(duplicate.getMessage()).isEqualTo(gadget.apiName + " already has a field named 'name'");
        assertThat(duplicate.getExtensions()).containsEntry("field", "name");

        String twice = unique("dup");
        ResponseError duplicateInCreate = error("mutation { createObject(input: {apiName: \"" + twice + "\", singularLabel: \""
                + twice + " item\", pluralLabel: \"Dups\", fields: [{label: \"Code\", type: TEXT}, {label: \"code\", type: INTEGER}]}) { apiName } }");
        assertCode(duplicateInCreate, "CONFLICT");
        assertThat(duplicateInCreate.getMessage()).contains("already has a field named 'code'");

        ResponseError noOptions = error("mutation { addField(object: \"" + gadget.apiName
                + "\", input: {label: \"Level\", type: ENUM, options: []}) { apiName } }");
        assertCode(noOptions, "VALIDATION");
        assertThat(noOptions.getMessage()).contains(gadget.apiName + ".level").contains("needs at least one option");
        ResponseError missingOptions = error("mutation { addField(object: \"" + gadget.apiName
                + "\", input: {label: \"Flavours\", type: MULTI_ENUM}) { apiName } }");
        assertCode(missingOptions, "VALIDATION");
        assertThat(missingOptions.getMessage()).contains("needs at least one option");

        String missing = unique("nowhere");
        ResponseError badRelation = error("mutation { addField(object: \"" + gadget.apiName
                + "\", input: {label: \"Owner\", type: RELATION, relatedObject: \"" + missing + "\"}) { apiName } }");
        assertCode(badRelation, "VALIDATION");
        assertThat(badRelation.getMessage()).contains(gadget.apiName + ".owner").contains("must name an existing object")
                .contains("'" + missing + "'");

        ResponseError taken = error("mutation { createObject(input: {apiName: \"" + gadget.apiName + "\", singularLabel: \""
                + gadget.apiName + " other\", pluralLabel: \"Others\"}) { apiName } }");
        assertCode(taken, "CONFLICT");
        assertThat(taken.getMessage()).contains("already uses the name '" + gadget.apiName + "'");
        ResponseError takenSingular = error("mutation { createObject(input: {apiName: \"" + unique("other")
                + "\", singularLabel: \"" + gadget.apiName + " item\", pluralLabel: \"Others\"}) { apiName } }");
        assertCode(takenSingular, "CONFLICT");
        assertThat(takenSingular.getMessage()).contains("already uses the name '" + gadget.apiName + "_item'");

        ResponseError noObject = error("mutation { addField(object: \"" + missing + "\", input: {label: \"X\", type: TEXT}) { apiName } }");
        assertCode(noObject, "NOT_FOUND");
        assertThat(noObject.getMessage()).isEqualTo("No object named '" + missing + "'");
        ResponseError noField = error("mutation { updateField(object: \"" + gadget.apiName
                + "\", field: \"nope\", input: {label: \"X\"}) { apiName } }");
        assertCode(noField, "NOT_FOUND");
        assertThat(noField.getMessage()).isEqualTo("No field 'nope' on object '" + gadget.apiName + "'");

        // None of the refused changes left anything behind.
        assertThat(objectNames()).doesNotContain(twice).containsAll(before);
        assertThat(fieldNames(gadget)).containsExactly("name");
    }

    // ------------------------------------------------------------------ helpers

    /** An object of one test, with the GraphQL names TypeNames gives it. */
    private static final class Obj {
        final String apiName;
        final String type;
        final String many;
        final String create;
        final String update;

        Obj(String apiName) {
            this.apiName = apiName;
            this.type = pascal(apiName + "_item");
            this.many = camel(apiName);
            this.create = "create" + type;
            this.update = "update" + type;
        }
    }

    @SafeVarargs
    private Obj newObject(String prefix, Map<String, Object>... fields) {
        String apiName = unique(prefix);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("apiName", apiName);
        input.put("singularLabel", apiName + " item");
        input.put("pluralLabel", apiName + " items");
        input.put("fields", Arrays.asList(fields));
        Map<String, Object> created = ok("mutation($input: CreateObjectInput!) { createObject(input: $input) {"
                + " apiName singularApiName typeName fields { apiName } } }", Map.of("input", input));
        Obj object = new Obj(apiName);
        assertThat(at(created, "createObject")).containsEntry("apiName", apiName)
                .containsEntry("singularApiName", apiName + "_item").containsEntry("typeName", object.type);
        return object;
    }

    private String create(Obj object, Map<String, Object> input) {
        Map<String, Object> data = ok("mutation($input: " + object.type + "CreateInput!) { " + object.create
                + "(input: $input) { id } }", Map.of("input", input));
        return (String) at(data, object.create).get("id");
    }

    /** Every entry of the object, oldest first, with {@code selection} besides the id. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(Obj object, String selection) {
        Map<String, Object> data = ok("{ " + object.many + "(first: 500) { nodes { id " + selection + " } totalCount } }");
        Map<String, Object> list = at(data, object.many);
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) list.get("nodes");
        assertThat(list.get("totalCount")).isEqualTo(nodes.size());
        return nodes;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> fields(Obj object) {
        Map<String, Object> data = ok("{ object(apiName: \"" + object.apiName + "\") { fields { apiName graphqlName label type"
                + " required unique defaultValue options } } }");
        return (List<Map<String, Object>>) at(data, "object").get("fields");
    }

    private List<String> fieldNames(Obj object) {
        return fields(object).stream().map(f -> (String) f.get("apiName")).collect(Collectors.toList());
    }

    private Map<String, Object> fieldMeta(Obj object, String apiName) {
        return fields(object).stream().filter(f -> apiName.equals(f.get("apiName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + apiName + " on " + object.apiName));
    }

    @SuppressWarnings("unchecked")
    private List<String> objectNames() {
        List<Map<String, Object>> objects = (List<Map<String, Object>>) ok("{ objects { apiName } }").get("objects");
        return objects.stream().map(o -> (String) o.get("apiName")).collect(Collectors.toList());
    }

    private static void assertCode(ResponseError error, String code) {
        assertThat(error.getExtensions().get("code")).as("code of error '%s' %s", error.getMessage(), error.getExtensions())
                .isEqualTo(code);
    }

    @SuppressWarnings("unchecked")
    private static List<String> values(ResponseError error) {
        Object values = error.getExtensions().get("values");
        assertThat(values).as("extensions.values of: %s", error.getMessage()).isInstanceOf(List.class);
        return new ArrayList<>((List<String>) values);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> data, String key) {
        Object value = data.get(key);
        assertThat(value).as("data.%s", key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private static String pascal(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static String camel(String snake) {
        String pascal = pascal(snake);
        return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    }
}
