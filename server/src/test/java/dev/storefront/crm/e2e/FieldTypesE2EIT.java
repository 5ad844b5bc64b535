package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.graphql.ResponseError;

/** Every field type round-trips over HTTP, and every kind of bad value is refused with nothing written. */
class FieldTypesE2EIT extends E2ESupport {

    private String object;
    private String type;
    private String list;

    @BeforeEach
    void createGadgets() {
        object = unique("gadgets");
        type = ApiNames.pascal(object + "_item");
        list = ApiNames.camel(object);
        createObject(object, List.of(
                field("Title", "TEXT", "required", true),
                field("Contact Email", "EMAIL", "unique", true),
                field("Phone", "PHONE"),
                field("Website", "URL"),
                field("Price", "NUMBER"),
                field("Stock", "INTEGER", "defaultValue", "5"),
                field("Active", "BOOLEAN"),
                field("Launch Date", "DATE"),
                field("Last Seen", "DATETIME"),
                field("Color", "ENUM", "options", List.of("Red", "Green", "Deep Blue")),
                field("Sizes", "MULTI_ENUM", "options", List.of("S", "M", "L")),
                field("Labels", "TAGS"),
                field("Body", "RICHTEXT")));
        run("mutation($f: FieldInput!) { addField(object: \"" + object + "\", input: $f) { apiName } }",
                Map.of("f", field("Parent", "RELATION", "relatedObject", object)))
                .path("addField.apiName").entity(String.class).isEqualTo("parent");
    }

    private Map<String, Object> gadget(String title, String email) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("title", title);
        input.put("contactEmail", email);
        return input;
    }

    private String create(Map<String, Object> input) {
        return run("mutation($i: " + type + "CreateInput!) { create" + type + "(input: $i) { id } }", Map.of("i", input))
                .path("create" + type + ".id").entity(String.class).get();
    }

    private long count() {
        return run("{ " + list + " { totalCount } }").path(list + ".totalCount").entity(Long.class).get();
    }

    @Test
    void everyFieldTypeRoundTrips() {
        Map<String, Object> input = gadget("Widget", "Sales@Example.com");
        input.put("phone", "+1 212-555-0147");
        input.put("website", "https://shop.example/widget");
        input.put("price", 19.99);
        input.put("active", true);
        input.put("launchDate", "2025-03-31");
        input.put("lastSeen", "2025-03-03T14:22:07-05:00");
        input.put("color", "DEEP_BLUE");
        input.put("sizes", List.of("S", "L"));
        input.put("labels", List.of("new", "sale"));
        input.put("body", "<p>Hello, <b>world</b></p>");
        String parent = create(input);
        String child = create(new LinkedHashMap<>(Map.of("title", "Part", "parentId", parent)));

        String query = "query($id: ID!) { " + ApiNames.camel(object + "_item") + "(id: $id) { id title contactEmail phone website"
                + " price stock active launchDate lastSeen color sizes labels body parentId createdAt updatedAt } }";
        @SuppressWarnings("unchecked")
        Map<String, Object> read = run(query, Map.of("id", parent)).path(ApiNames.camel(object + "_item"))
                .entity(Map.class).get();
        assertThat(read).containsEntry("title", "Widget").containsEntry("contactEmail", "sales@example.com")
                .containsEntry("phone", "+1 212-555-0147").containsEntry("website", "https://shop.example/widget")
                .containsEntry("price", "19.99").containsEntry("stock", 5).containsEntry("active", true)
                .containsEntry("launchDate", "2025-03-31").containsEntry("lastSeen", "2025-03-03T19:22:07Z")
                .containsEntry("color", "DEEP_BLUE").containsEntry("sizes", List.of("S", "L"))
                .containsEntry("labels", List.of("new", "sale")).containsEntry("body", "<p>Hello, <b>world</b></p>")
                .containsEntry("parentId", null);
        assertThat((String) read.get("createdAt")).endsWith("Z");

        String reverse = ApiNames.camel(object);
        run("query($id: ID!) { c: " + ApiNames.camel(object + "_item") + "(id: $id) { parent { title } }"
                + " p: " + ApiNames.camel(object + "_item") + "(id: \"" + parent + "\") { " + reverse + " { nodes { id title } } } }",
                Map.of("id", child))
                .path("c.parent.title").entity(String.class).isEqualTo("Widget")
                .path("p." + reverse + ".nodes[0].id").entity(String.class).isEqualTo(child);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "contactEmail | contact_email | not-an-email        | VALIDATION      | is not a valid email address",
            "phone        | phone         | call me maybe       | VALIDATION      | is not a valid phone number",
            "website      | website       | ftp://files.example | VALIDATION      | is not a valid http(s) URL",
            "price        | price         | 1000000000000000    | VALIDATION      | is too large",
            "parentId     | parent        | 999999999           | VALIDATION      | does not exist in",
            "launchDate   | launch_date   | 2025-02-30          | VALIDATION      | is not a date",
            "lastSeen     | last_seen     | last tuesday        | VALIDATION      | is not a date-time",
            "stock        | stock         | 2.5                 | VALIDATION      | is not a whole number",
            "color        | color         | PURPLE              | BAD_USER_INPUT  | No value found for name 'PURPLE'"})
    void refusesBadValuesNamingTheFieldAndWritesNothing(String field, String apiName, String value, String code, String problem) {
        long before = count();
        Map<String, Object> input = gadget("Bad", null);
        input.put(field, field.equals("price") || field.equals("stock") ? Double.parseDouble(value) : value);

        ResponseError error = error("mutation($i: " + type + "CreateInput!) { create" + type + "(input: $i) { id } }",
                Map.of("i", input));

        assertThat(error.getMessage()).contains(problem);
        if (code.equals("VALIDATION")) {
            assertThat(error.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("object", object)
                    .containsEntry("field", apiName);
            assertThat(error.getMessage()).startsWith(object + ".").contains(value);
        } else {
            // Type errors are refused by GraphQL itself, before the engine, in graphql-java's words.
            assertThat(error.getExtensions()).containsEntry("code", code);
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void refusesMissingRequiredAndDuplicateUniqueValues() {
        create(gadget("First", "dup@example.com"));
        long before = count();

        ResponseError missing = error("mutation { create" + type + "(input: { phone: \"+44 20 7946 0958\" }) { id } }");
        assertThat(missing.getMessage()).isEqualTo(object + ".title: is required");
        assertThat(missing.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("field", "title");

        ResponseError duplicate = error("mutation { create" + type + "(input: { title: \"Second\", contactEmail: \"DUP@example.com\" }) { id } }");
        assertThat(duplicate.getExtensions()).containsEntry("code", "CONFLICT").containsEntry("field", "contact_email")
                .containsEntry("value", "dup@example.com");
        assertThat(count()).isEqualTo(before);
    }
}
