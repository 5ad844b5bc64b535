package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;

/** Relay pagination forward and backward, with stable cursors and clear refusals. */
class PaginationE2EIT extends E2ESupport {

    private String object;
    private String list;

    @BeforeEach
    void createSevenEntries() {
        object = unique("pages");
        list = ApiNames.camel(object);
        createObject(object, List.of(field("N", "INTEGER")));
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            inputs.add(Map.of("n", n));
        }
        run("mutation($in: [" + ApiNames.pascal(object + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(object)
                + "(inputs: $in) { id } }", Map.of("in", inputs));
    }

    private Map<String, Object> page(String arguments) {
        @SuppressWarnings("unchecked")
        Map<String, Object> page = run("{ " + list + "(" + arguments + ") { totalCount nodes { n }"
                + " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }").path(list).entity(Map.class).get();
        return page;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ns(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("nodes")).stream().map(n -> n.get("n")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> info(Map<String, Object> page) {
        return (Map<String, Object>) page.get("pageInfo");
    }

    @Test
    void pagesForwardThroughEveryEntryOnce() {
        Map<String, Object> first = page("first: 3");
        assertThat(ns(first)).containsExactly(1, 2, 3);
        assertThat(first.get("totalCount")).isEqualTo(7);
        assertThat(info(first)).containsEntry("hasNextPage", true).containsEntry("hasPreviousPage", false);

        Map<String, Object> second = page("first: 3, after: \"" + info(first).get("endCursor") + "\"");
        assertThat(ns(second)).containsExactly(4, 5, 6);
        assertThat(info(second)).containsEntry("hasNextPage", true).containsEntry("hasPreviousPage", true);

        Map<String, Object> third = page("first: 3, after: \"" + info(second).get("endCursor") + "\"");
        assertThat(ns(third)).containsExactly(7);
        assertThat(info(third)).containsEntry("hasNextPage", false);
    }

    @Test
    void pagesBackwardFromTheEnd() {
        Map<String, Object> last = page("last: 2");
        assertThat(ns(last)).containsExactly(6, 7);
        assertThat(info(last)).containsEntry("hasPreviousPage", true).containsEntry("hasNextPage", false);

        Map<String, Object> before = page("last: 4, before: \"" + info(last).get("startCursor") + "\"");
        assertThat(ns(before)).containsExactly(2, 3, 4, 5);
        assertThat(info(before)).containsEntry("hasPreviousPage", true).containsEntry("hasNextPage", true);
    }

    @Test
    void readsWhatFragmentsAliasesAndDirectivesSelect() {
        String type = ApiNames.pascal(object + "_item");
        String document = "query($with: Boolean!) { " + list + "(first: 2) { ... { totalCount } edges { node { number: n } }"
                + " nodes { ...N } included: nodes @include(if: $with) { ... on " + type + " { n } } } }"
                + " fragment N on " + type + " { id n }";
        @SuppressWarnings("unchecked")
        Map<String, Object> page = run(document, Map.of("with", true)).path(list).entity(Map.class).get();
        assertThat(page.get("totalCount")).isEqualTo(7);
        assertThat(page.get("edges")).isEqualTo(List.of(Map.of("node", Map.of("number", 1)), Map.of("node", Map.of("number", 2))));
        assertThat(ns(page)).containsExactly(1, 2);
        assertThat(page.get("included")).isEqualTo(List.of(Map.of("n", 1), Map.of("n", 2)));
        assertThat(run(document, Map.of("with", false)).path(list).entity(Map.class).get()).doesNotContainKey("included");

        @SuppressWarnings("unchecked")
        String id = (String) ((List<Map<String, Object>>) page.get("nodes")).get(1).get("id");
        String one = ApiNames.camel(object + "_item");
        assertThat(run("query($id: ID!) { " + one + "(id: $id) { ...on " + type + " { value: n } ...M } } fragment M on " + type
                + " { id }", Map.of("id", id)).path(one).entity(Map.class).get()).isEqualTo(Map.of("value", 2, "id", id));
    }

    @Test
    void refusesContradictoryOrForgedArguments() {
        ResponseError both = error("{ " + list + "(first: 2, last: 2) { totalCount } }");
        assertThat(both.getMessage()).isEqualTo("Give either 'first' or 'last', not both");
        assertThat(both.getExtensions()).containsEntry("code", "VALIDATION");

        ResponseError forged = error("{ " + list + "(after: \"bm90LWEtY3Vyc29y\") { totalCount } }");
        assertThat(forged.getMessage()).isEqualTo("'after' is not a cursor this API gave out (or one made with another database)");

        ResponseError tooMany = error("{ " + list + "(first: 100000) { totalCount } }");
        assertThat(tooMany.getMessage()).isEqualTo("'first' must be between 0 and 1000, was 100000");
    }
}
