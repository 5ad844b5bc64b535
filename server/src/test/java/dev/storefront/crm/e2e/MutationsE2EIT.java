package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;

/** Create many (all or nothing), update, upsert and delete, on objects of the test's own. */
class MutationsE2EIT extends E2ESupport {

    @Autowired
    private DuckDb db;
    @Autowired
    private EntryService entries;
    @Autowired
    private SchemaService schema;

    /**
     * Updates inside a caller's transaction (a plugin's inTransaction) commit together or not at all:
     * the first is not committed alone, although by itself an update commits with its own statement.
     */
    @Test
    void updatesInOneTransactionCommitTogetherOrNotAtAll() {
        ObjectDef customers = schema.current().object("customers");
        long first = entries.create(customers, Map.of("full_name", "Tess Together")).id();
        long second = entries.create(customers, Map.of("full_name", "Tom Together")).id();
        db.write(tx -> {
            entries.update(customers, first, Map.of("notes", "first of two"));
            return entries.update(customers, second, Map.of("notes", "second of two"));
        });
        assertThat(entries.get(customers, first).get("notes")).isEqualTo("first of two");
        assertThat(entries.get(customers, second).get("notes")).isEqualTo("second of two");
        assertThatThrownBy(() -> db.write(tx -> {
            entries.update(customers, first, Map.of("notes", "undone"));
            throw new IllegalStateException("refused after the update");
        })).hasMessage("refused after the update");
        assertThat(entries.get(customers, first).get("notes")).isEqualTo("first of two");
    }

    private String members;
    private String notes;
    private String type;

    @BeforeEach
    void createMembersAndNotes() {
        members = unique("members");
        notes = unique("notes");
        type = ApiNames.pascal(members + "_item");
        createObject(members, List.of(field("Name", "TEXT", "required", true), field("Code", "TEXT", "unique", true),
                field("Email", "EMAIL"), field("Points", "INTEGER")));
        createObject(notes, List.of(field("Body", "TEXT"), field("Member", "RELATION", "relatedObject", members),
                field("Owner", "RELATION", "relatedObject", members, "required", true)));
    }

    private long count(String object) {
        return run("{ " + ApiNames.camel(object) + " { totalCount } }").path(ApiNames.camel(object) + ".totalCount")
                .entity(Long.class).get();
    }

    private String createMember(String name, String code) {
        return run("mutation { create" + type + "(input: { name: \"" + name + "\", code: \"" + code + "\" }) { id } }")
                .path("create" + type + ".id").entity(String.class).get();
    }

    @Test
    void createManyWritesAllOrNothing() {
        String mutation = "mutation($in: [" + type + "CreateInput!]!) { create" + ApiNames.pascal(members) + "(inputs: $in) { id name } }";
        ResponseError refused = error(mutation, Map.of("in", List.of(
                Map.of("name", "Ann", "code", "A1"), Map.of("name", "Bob", "code", "B1", "email", "bob-at-example"),
                Map.of("name", "Cy", "code", "C1"))));
        assertThat(refused.getMessage()).isEqualTo("inputs[1]: " + members + ".email: 'bob-at-example' is not a valid email address");
        assertThat(refused.getExtensions()).containsEntry("index", 1).containsEntry("field", "email");

        ResponseError duplicate = error(mutation, Map.of("in", List.of(Map.of("name", "Ann", "code", "X"), Map.of("name", "Bob", "code", "X"))));
        assertThat(duplicate.getExtensions()).containsEntry("code", "CONFLICT").containsEntry("field", "code");
        assertThat(count(members)).isZero();

        run(mutation, Map.of("in", List.of(Map.of("name", "Ann", "code", "A1"), Map.of("name", "Bob", "code", "B1"))))
                .path("create" + ApiNames.pascal(members) + "[*].name").entityList(String.class).containsExactly("Ann", "Bob");
        assertThat(count(members)).isEqualTo(2);
    }

    /**
     * A bulk create of the largest batch is checked whole before anything is written, and answers each
     * entry with the fields it is asked for, from the checked rows: asked for ids alone, or for values.
     */
    @Test
    void aBulkCreateRefusesOneBadInputOfTenThousandAndAnswersWhatItIsAskedFor() {
        String create = "create" + ApiNames.pascal(members);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            inputs.add(Map.of("name", "Member " + i, "code", "K" + i, "points", i));
        }
        List<Map<String, Object>> oneBad = new ArrayList<>(inputs);
        oneBad.set(7_000, Map.of("name", "Member 7000", "code", "K7000", "email", "member-at-example"));
        ResponseError refused = error("mutation($in: [" + type + "CreateInput!]!) { " + create + "(inputs: $in) { id } }",
                Map.of("in", oneBad));
        assertThat(refused.getMessage()).isEqualTo("inputs[7000]: " + members + ".email: 'member-at-example' is not a valid email address");
        assertThat(refused.getExtensions()).containsEntry("index", 7_000).containsEntry("field", "email");
        assertThat(count(members)).isZero();

        // Two halves: the test client buffers at most 256 KB of an answer.
        List<String> ids = run("mutation($in: [" + type + "CreateInput!]!) { " + create + "(inputs: $in) { id } }",
                Map.of("in", inputs.subList(0, 5_000))).path(create + "[*].id").entityList(String.class).get();
        assertThat(ids).hasSize(5_000).doesNotHaveDuplicates();
        String one = ApiNames.camel(members + "_item");
        run("query($id: ID!) { " + one + "(id: $id) { name code points } }", Map.of("id", ids.get(4_999))).path(one)
                .entity(Map.class).isEqualTo(mapOf("name", "Member 4999", "code", "K4999", "points", 4_999));

        List<Map<String, Object>> answered = new ArrayList<>();
        for (int i = 5_000; i < 10_000; i++) {
            answered.add(mapOf("name", "Member " + i, "points", i));
        }
        run("mutation($in: [" + type + "CreateInput!]!) { " + create + "(inputs: $in) { name points } }",
                Map.of("in", inputs.subList(5_000, 10_000))).path(create).entityList(Map.class).isEqualTo(answered);
        assertThat(count(members)).isEqualTo(10_000);
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndNullClears() {
        String id = createMember("Ann", "A1");
        run("mutation { update" + type + "(id: \"" + id + "\", input: { email: \"ann@example.com\", points: 10 }) { id } }");
        Map<String, Object> changes = new HashMap<>();
        changes.put("points", null);
        run("mutation($in: " + type + "UpdateInput!) { update" + type + "(id: \"" + id + "\", input: $in) { name code email points } }",
                Map.of("in", changes))
                .path("update" + type).entity(Map.class)
                .isEqualTo(mapOf("name", "Ann", "code", "A1", "email", "ann@example.com", "points", null));

        ResponseError clearRequired = error("mutation { update" + type + "(id: \"" + id + "\", input: { name: null }) { id } }");
        assertThat(clearRequired.getMessage()).isEqualTo(members + ".name: is required and cannot be cleared");

        ResponseError missing = error("mutation { update" + type + "(id: \"987654321\", input: { points: 1 }) { id } }");
        assertThat(missing.getExtensions()).containsEntry("code", "NOT_FOUND");
    }

    /** With nothing reading the entry as it was, an update is one statement: it still moves the version and checks the input. */
    @Test
    void eachUpdateIsANewVersionAndARefusedOneChangesNothing() {
        String id = createMember("Cy", "C1");
        createMember("Dee", "C2");
        String update = "mutation($id: ID!, $in: " + type + "UpdateInput!) { update" + type + "(id: $id, input: $in) { points updatedAt } }";
        List<java.time.OffsetDateTime> versions = new java.util.ArrayList<>();
        for (int points = 1; points <= 5; points++) {
            versions.add(java.time.OffsetDateTime.parse(run(update, Map.of("id", id, "in", Map.of("points", points)))
                    .path("update" + type + ".updatedAt").entity(String.class).get()));
        }
        for (int i = 1; i < versions.size(); i++) {
            assertThat(versions.get(i)).isAfter(versions.get(i - 1));
        }

        ResponseError clash = error(update, Map.of("id", id, "in", Map.of("code", "C2", "points", 99)));
        assertThat(clash.getMessage()).startsWith(members + ".code: 'C2' must be unique but is used already by entry ");
        String one = ApiNames.camel(members + "_item");
        Map<?, ?> stored = run("query($id: ID!) { " + one + "(id: $id) { code points updatedAt } }", Map.of("id", id))
                .path(one).entity(Map.class).get();
        assertThat(stored.get("code")).isEqualTo("C1");
        assertThat(stored.get("points")).isEqualTo(5);
        assertThat(java.time.OffsetDateTime.parse((String) stored.get("updatedAt"))).isEqualTo(versions.get(versions.size() - 1));

        // A relation is checked after the one statement: its refusal rolls the statement back.
        String noteType = ApiNames.pascal(notes + "_item");
        String note = run("mutation { create" + noteType + "(input: { body: \"kept\", ownerId: \"" + id + "\" }) { id } }")
                .path("create" + noteType + ".id").entity(String.class).get();
        ResponseError missingTarget = error("mutation { update" + noteType + "(id: \"" + note + "\", input: { body: \"lost\", memberId: \"987654321\" })"
                + " { id } }");
        assertThat(missingTarget.getMessage()).contains("does not exist in " + members);
        run("{ " + ApiNames.camel(notes + "_item") + "(id: \"" + note + "\") { body memberId } }").path(ApiNames.camel(notes + "_item"))
                .entity(Map.class).isEqualTo(mapOf("body", "kept", "memberId", null));
    }

    @Test
    void upsertCreatesThenUpdatesByTheUniqueField() {
        String upsert = "mutation($in: " + type + "CreateInput!) { upsert" + type + "(input: $in, onConflict: CODE) { id name points } }";
        String created = run(upsert, Map.of("in", Map.of("name", "Ann", "code", "U1", "points", 1)))
                .path("upsert" + type + ".id").entity(String.class).get();
        run(upsert, Map.of("in", Map.of("name", "Ann B.", "code", "U1", "points", 2)))
                .path("upsert" + type).entity(Map.class).isEqualTo(mapOf("id", created, "name", "Ann B.", "points", 2));
        assertThat(count(members)).isEqualTo(1);
    }

    @Test
    void deleteReturnsTheEntryClearsOptionalLinksAndRefusesRequiredOnes() {
        String owner = createMember("Owner", "O1");
        String member = createMember("Member", "M1");
        String noteType = ApiNames.pascal(notes + "_item");
        String note = run("mutation { create" + noteType + "(input: { body: \"hi\", memberId: \"" + member + "\", ownerId: \""
                + owner + "\" }) { id } }").path("create" + noteType + ".id").entity(String.class).get();

        run("mutation { delete" + type + "(id: \"" + member + "\") { id name } }")
                .path("delete" + type).entity(Map.class).isEqualTo(Map.of("id", member, "name", "Member"));
        String one = ApiNames.camel(notes + "_item");
        run("{ " + one + "(id: \"" + note + "\") { memberId ownerId } }")
                .path(one).entity(Map.class).isEqualTo(mapOf("memberId", null, "ownerId", owner));
        run("{ " + ApiNames.camel(members + "_item") + "(id: \"" + member + "\") { id } }")
                .path(ApiNames.camel(members + "_item")).valueIsNull();

        ResponseError refused = error("mutation { delete" + type + "(id: \"" + owner + "\") { id } }");
        assertThat(refused.getExtensions()).containsEntry("code", "CONFLICT");
        assertThat(refused.getMessage()).contains("required field owner");
        assertThat(count(members)).isEqualTo(1);
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
