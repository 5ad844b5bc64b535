package dev.storefront.crm.e2e;

import java.math.BigDecimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;

/** Saved views (the shipped ones included) and kanban boards with hand-placed order. */
class ViewsE2EIT extends E2ESupport {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private String viewId(String name) {
        return run("{ views(object: \"customers\") { id name } }").path("views[?(@.name == '" + name + "')].id")
                .entityList(String.class).get().get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> allCustomers() {
        List<Map<String, Object>> all = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            var page = run("{ customers(first: 1000" + (after == null ? "" : ", after: \"" + after + "\"")
                    + ") { nodes { id lifetimeValue totalOrders lastPurchaseDate firstPurchaseDate } pageInfo { hasNextPage endCursor } } }");
            page.path("customers.nodes").entityList(Map.class).get().forEach(m -> all.add((Map<String, Object>) m));
            more = page.path("customers.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("customers.pageInfo.endCursor").entity(String.class).get();
        }
        return all;
    }

    private List<String> viewEntryIds(String viewId) {
        return run("{ viewEntries(view: \"" + viewId + "\", first: 1000) { nodes { id } } }")
                .path("viewEntries.nodes[*].id").entityList(String.class).get();
    }

    private void customer(String name, double value, int orders, LocalDate first, LocalDate last) {
        run("mutation { createCustomer(input: { fullName: \"" + name + "\", lifetimeValue: " + value + ", totalOrders: " + orders
                + ", firstPurchaseDate: \"" + first + "\", lastPurchaseDate: \"" + last + "\" }) { id } }");
    }

    @Test
    void shippedViewsListWhatTheirRulesSay() {
        customer("Vera VIP", 950, 7, TODAY.minusDays(400), TODAY.minusDays(3));
        customer("Rita Risky", 120, 3, TODAY.minusDays(300), TODAY.minusDays(120));
        customer("Otto Once", 45, 1, TODAY.minusDays(10), TODAY.minusDays(10));
        customer("Olga Once", 60, 1, TODAY.minusDays(20), TODAY.minusDays(20));
        List<Map<String, Object>> all = allCustomers();

        List<String> vip = all.stream()
                .filter(c -> c.get("lifetimeValue") != null && new BigDecimal((String) c.get("lifetimeValue")).doubleValue() > 500
                        && c.get("totalOrders") != null && ((Number) c.get("totalOrders")).intValue() > 3)
                .sorted(Comparator.comparing((Map<String, Object> c) -> new BigDecimal((String) c.get("lifetimeValue")).doubleValue()).reversed()
                        .thenComparing(c -> idNumber((String) c.get("id"))))
                .map(c -> (String) c.get("id")).toList();
        assertThat(viewEntryIds(viewId("VIP Customers"))).isNotEmpty().containsExactlyElementsOf(vip);

        List<String> atRisk = all.stream()
                .filter(c -> c.get("lastPurchaseDate") != null && LocalDate.parse((String) c.get("lastPurchaseDate")).isBefore(TODAY.minusDays(90))
                        && c.get("totalOrders") != null && ((Number) c.get("totalOrders")).intValue() > 1)
                .map(c -> (String) c.get("id")).toList();
        assertThat(viewEntryIds(viewId("At Risk"))).isNotEmpty().containsExactlyInAnyOrderElementsOf(atRisk);

        List<String> once = all.stream().filter(c -> c.get("totalOrders") != null && ((Number) c.get("totalOrders")).intValue() == 1)
                .sorted(Comparator.comparing((Map<String, Object> c) -> (String) c.get("firstPurchaseDate"),
                        Comparator.nullsLast(Comparator.<String>naturalOrder().reversed()))
                        .thenComparing(c -> idNumber((String) c.get("id"))))
                .map(c -> (String) c.get("id")).toList();
        assertThat(viewEntryIds(viewId("One-Time Buyers"))).containsExactlyElementsOf(once);

        run("{ viewEntries(view: \"" + viewId("VIP Customers") + "\", first: 1) { totalCount nodes { __typename ... on Customer { fullName } } } }")
                .path("viewEntries.totalCount").entity(Integer.class).isEqualTo(vip.size())
                .path("viewEntries.nodes[0].__typename").entity(String.class).isEqualTo("Customer");
    }

    @Test
    void shippedSegmentsBoardHasAColumnPerSegmentCountedLikeTheAggregate() {
        customer("Kim Kanban", 10, 1, TODAY, TODAY);
        run("mutation { createCustomer(input: { fullName: \"Vic Vip\", customerSegment: VIP, lifetimeValue: 999 }) { id } }");
        var board = run("{ kanban(view: \"" + viewId("Customer Segments") + "\", first: 3) { view { name kanbanField }"
                + " columns { key value count entries { ... on Customer { customerSegment lifetimeValue } } } } }");
        board.path("kanban.view.kanbanField").entity(String.class).isEqualTo("customerSegment");
        board.path("kanban.columns[*].value").entityList(String.class)
                .containsExactly("VIP", "Loyal", "Potential Loyal", "Active", "New", "At Risk", "Churned", "Lapsed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = run("{ customersAggregate(groupBy: [{ field: CUSTOMER_SEGMENT }]) { key { customerSegment } count } }")
                .path("customersAggregate").entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();
        List<String> keys = board.path("kanban.columns[*].key").entityList(String.class).get();
        List<Integer> counts = board.path("kanban.columns[*].count").entityList(Integer.class).get();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            int expected = groups.stream().filter(g -> key.equals(((Map<?, ?>) g.get("key")).get("customerSegment")))
                    .mapToInt(g -> ((Number) g.get("count")).intValue()).sum();
            assertThat(counts.get(i)).as(key).isEqualTo(expected);
        }
        assertThat(counts.get(0)).isPositive();
        board.path("kanban.columns[0].entries[*].customerSegment").entityList(String.class).satisfies(
                segments -> assertThat(segments).isNotEmpty().allMatch("VIP"::equals));
        List<Double> values = board.path("kanban.columns[0].entries[*].lifetimeValue").entityList(Double.class).get();
        assertThat(values).isSortedAccordingTo(Comparator.nullsLast(Comparator.<Double>reverseOrder()));
    }

    @Test
    void createUpdateAndDeleteAViewCheckedAgainstTheModel() {
        String object = unique("tasks");
        createObject(object, List.of(field("Title", "TEXT"), field("Points", "INTEGER"),
                field("Stage", "ENUM", "options", List.of("Todo", "Doing", "Done"))));
        String view = run("mutation($in: ViewInput!) { createView(input: $in) { id name type filter sort } }", Map.of("in", Map.of(
                "name", "Big ones", "object", object, "filter", Map.of("points", Map.of("gte", 5)),
                "sort", List.of(Map.of("field", "POINTS", "direction", "DESC")), "fields", List.of("title", "points"))))
                .path("createView.type").entity(String.class).isEqualTo("TABLE")
                .path("createView.filter").entity(Map.class).isEqualTo(Map.of("points", Map.of("gte", 5)))
                .path("createView.id").entity(String.class).get();
        String type = ApiNames.pascal(object + "_item");
        run("mutation($in: [" + type + "CreateInput!]!) { create" + ApiNames.pascal(object) + "(inputs: $in) { id } }",
                Map.of("in", List.of(Map.of("title", "a", "points", 3), Map.of("title", "b", "points", 8), Map.of("title", "c", "points", 5))));
        run("{ viewEntries(view: \"" + view + "\") { nodes { ... on " + type + " { title } } } }")
                .path("viewEntries.nodes[*].title").entityList(String.class).containsExactly("b", "c");

        run("mutation { updateView(id: \"" + view + "\", input: { filter: { points: { lt: 5 } } }) { name } }")
                .path("updateView.name").entity(String.class).isEqualTo("Big ones");
        run("{ viewEntries(view: \"" + view + "\") { nodes { ... on " + type + " { title } } } }")
                .path("viewEntries.nodes[*].title").entityList(String.class).containsExactly("a");

        ResponseError unknownField = error("mutation { createView(input: { name: \"x\", object: \"" + object
                + "\", filter: { nope: { eq: 1 } } }) { id } }");
        assertThat(unknownField.getMessage()).isEqualTo(object + " has no field 'nope' to filter on");
        ResponseError badValue = error("mutation { createView(input: { name: \"x\", object: \"" + object
                + "\", filter: { stage: { eq: \"Blocked\" } } }) { id } }");
        assertThat(badValue.getMessage()).isEqualTo(object + ".stage: 'Blocked' is not one of the options: Todo, Doing, Done");
        ResponseError badKanban = error("mutation { createView(input: { name: \"x\", object: \"" + object
                + "\", type: KANBAN, kanbanField: \"title\" }) { id } }");
        assertThat(badKanban.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("field", "title");

        run("mutation { deleteView(id: \"" + view + "\") { id } }");
        run("{ view(id: \"" + view + "\") { id } }").path("view").valueIsNull();
    }

    @Test
    void kanbanShowsEveryColumnAndKeepsTheOrderEntriesWereMovedTo() {
        String object = unique("cards");
        createObject(object, List.of(field("Title", "TEXT"), field("Stage", "ENUM", "options", List.of("Todo", "Doing", "Done", "Archived"))));
        String type = ApiNames.pascal(object + "_item");
        List<String> ids = run("mutation($in: [" + type + "CreateInput!]!) { create" + ApiNames.pascal(object) + "(inputs: $in) { id } }",
                Map.of("in", List.of(Map.of("title", "a", "stage", "TODO"), Map.of("title", "b", "stage", "TODO"),
                        Map.of("title", "c", "stage", "TODO"), Map.of("title", "d", "stage", "DOING"))))
                .path("create" + ApiNames.pascal(object) + "[*].id").entityList(String.class).get();
        String board = run("mutation { createView(input: { name: \"Board\", object: \"" + object
                + "\", type: KANBAN, kanbanField: \"stage\", sort: [{ field: TITLE }] }) { id } }")
                .path("createView.id").entity(String.class).get();
        String query = "{ kanban(view: \"" + board + "\") { columns { key count entries { ... on " + type + " { title } } } } }";

        run(query).path("kanban.columns[*].key").entityList(String.class).containsExactly("TODO", "DOING", "DONE", "ARCHIVED")
                .path("kanban.columns[*].count").entityList(Integer.class).containsExactly(3, 1, 0, 0)
                .path("kanban.columns[0].entries[*].title").entityList(String.class).containsExactly("a", "b", "c");

        run("mutation { moveEntry(view: \"" + board + "\", id: \"" + ids.get(2) + "\", to: \"TODO\", position: 0) { id } }");
        run(query).path("kanban.columns[0].entries[*].title").entityList(String.class).containsExactly("c", "a", "b");

        run("mutation { moveEntry(view: \"" + board + "\", id: \"" + ids.get(0) + "\", to: \"Doing\", position: 1) {"
                + " ... on " + type + " { stage } } }").path("moveEntry.stage").entity(String.class).isEqualTo("DOING");
        run(query).path("kanban.columns[*].count").entityList(Integer.class).containsExactly(2, 2, 0, 0)
                .path("kanban.columns[0].entries[*].title").entityList(String.class).containsExactly("c", "b")
                .path("kanban.columns[1].entries[*].title").entityList(String.class).containsExactly("d", "a");

        run("mutation { moveEntry(view: \"" + board + "\", id: \"" + ids.get(0) + "\", to: \"DOING\", position: 0) { id } }");
        run(query).path("kanban.columns[1].entries[*].title").entityList(String.class).containsExactly("a", "d");
    }
}
