package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reverse list ({@code shop.items}) paged per parent, sorted on a text field whose values tie across
 * the page cuts (and one empty value): every page holds exactly the ids the test sorts itself, forward
 * and backward, for many parents in one batch and for one parent through its cursors.
 */
class ReversePagesE2EIT extends E2ESupport {

    /** Each shop's items' codes, in creation order: ties of "a" and "b" straddle every cut of 2. */
    private static final List<List<String>> CODES = List.of(
            java.util.Arrays.asList("b", "a", "b", "a", "c", null, "b", "a"),
            java.util.Arrays.asList("a", "a", "a"),
            List.of());

    private String shops;
    private String items;
    private final List<String> shopIds = new ArrayList<>();
    /** Per shop, its items as {id, code}, in creation order. */
    private final List<List<Item>> byShop = new ArrayList<>();

    private record Item(String id, String code, int n) {
    }

    @BeforeEach
    void createShopsWithCodedItems() {
        shops = unique("shops");
        items = unique("items");
        createObject(shops, List.of(field("Name", "TEXT")));
        createObject(items, List.of(field("Shop", "RELATION", "relatedObject", shops), field("Code", "TEXT"), field("N", "INTEGER")));
        for (int s = 0; s < CODES.size(); s++) {
            shopIds.add(create(shops, Map.of("name", "shop " + s)));
        }
        int n = 0;
        for (int s = 0; s < CODES.size(); s++) {
            List<Item> created = new ArrayList<>();
            for (String code : CODES.get(s)) {
                Map<String, Object> input = new java.util.HashMap<>(Map.of("shopId", shopIds.get(s), "n", n));
                if (code != null) {
                    input.put("code", code);
                }
                created.add(new Item(create(items, input), code, n++));
            }
            byShop.add(created);
        }
    }

    private String create(String object, Map<String, Object> input) {
        String mutation = "create" + ApiNames.pascal(object + "_item");
        return run("mutation($in: " + ApiNames.pascal(object + "_item") + "CreateInput!) { " + mutation + "(input: $in) { id } }",
                Map.of("in", input)).path(mutation + ".id").entity(String.class).get();
    }

    /** A shop's items in the list's order: code ascending, empty codes last, ties by id (creation order). */
    private List<Item> sorted(int shop, boolean descending) {
        Comparator<Item> byCode = Comparator.comparing(Item::code, Comparator.nullsLast(descending
                ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder()));
        return byShop.get(shop).stream().sorted(byCode.thenComparing(item -> idNumber(item.id()))).toList();
    }

    private static List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> nodeIds(Map<String, Object> connection) {
        return ((List<Map<String, Object>>) connection.get("nodes")).stream().map(node -> (String) node.get("id")).toList();
    }

    @Test
    void everyShopsFirstPageInOneBatchHoldsItsOwnSortedItems() {
        String list = ApiNames.camel(items);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) ok("{ " + ApiNames.camel(shops)
                + "(first: 10) { nodes { id " + list + "(first: 3, orderBy: [{field: CODE}]) { totalCount pageInfo { hasNextPage }"
                + " nodes { id } } } } }").get(ApiNames.camel(shops))).get("nodes");
        assertThat(nodes).extracting(node -> node.get("id")).containsExactlyElementsOf(shopIds);
        for (int s = 0; s < CODES.size(); s++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> connection = (Map<String, Object>) nodes.get(s).get(list);
            List<Item> expected = sorted(s, false);
            assertThat(nodeIds(connection)).as("shop %d", s).containsExactlyElementsOf(ids(expected.subList(0, Math.min(3, expected.size()))));
            assertThat(connection.get("totalCount")).isEqualTo(expected.size());
            assertThat(connection).extracting("pageInfo").isEqualTo(Map.of("hasNextPage", expected.size() > 3));
        }
    }

    @Test
    void oneShopPagesForwardAndBackwardThroughTiesByCursor() {
        List<String> forward = walk("first: 2, orderBy: [{field: CODE}]", "after", "endCursor", "hasNextPage");
        assertThat(forward).containsExactlyElementsOf(ids(sorted(0, false)));

        List<String> backward = walk("last: 2, orderBy: [{field: CODE, direction: DESC}]", "before", "startCursor", "hasPreviousPage");
        // Backward pages come last first; each page is itself in list order, so the walk reads the list's pages in reverse.
        assertThat(backward).containsExactlyElementsOf(pagesReversed(ids(sorted(0, true)), 2));
    }

    @Test
    void aFilteredPageRanksOnlyTheMatchingItems() {
        String list = ApiNames.camel(items);
        String one = ApiNames.camel(shops + "_item");
        @SuppressWarnings("unchecked")
        Map<String, Object> connection = (Map<String, Object>) ((Map<String, Object>) ok("{ " + one + "(id: \"" + shopIds.get(0)
                + "\") { " + list + "(first: 2, where: {n: {gt: 2}}, orderBy: [{field: CODE}]) { totalCount nodes { id } } } }").get(one)).get(list);
        List<Item> expected = sorted(0, false).stream().filter(item -> item.n() > 2).toList();
        assertThat(nodeIds(connection)).containsExactlyElementsOf(ids(expected.subList(0, 2)));
        assertThat(connection.get("totalCount")).isEqualTo(expected.size());
    }

    /** Shop 0's items, page by page through {@code cursorArgument}, until the page says there is no more. */
    @SuppressWarnings("unchecked")
    private List<String> walk(String arguments, String cursorArgument, String cursorField, String more) {
        String list = ApiNames.camel(items);
        String one = ApiNames.camel(shops + "_item");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10; pages++) {
            String page = arguments + (cursor == null ? "" : ", " + cursorArgument + ": \"" + cursor + "\"");
            Map<String, Object> connection = (Map<String, Object>) ((Map<String, Object>) ok("{ " + one + "(id: \"" + shopIds.get(0)
                    + "\") { " + list + "(" + page + ") { pageInfo { " + cursorField + " " + more + " } nodes { id } } } }").get(one)).get(list);
            seen.addAll(nodeIds(connection));
            Map<String, Object> info = (Map<String, Object>) connection.get("pageInfo");
            if (!(Boolean) info.get(more)) {
                return seen;
            }
            cursor = (String) info.get(cursorField);
        }
        throw new AssertionError("more than 10 pages of 2 for 8 items: " + seen);
    }

    /** {@code ids} cut in pages of {@code size} from the end, the last page first, each page in order. */
    private static List<String> pagesReversed(List<String> ids, int size) {
        List<String> out = new ArrayList<>();
        for (int end = ids.size(); end > 0; end -= size) {
            out.addAll(ids.subList(Math.max(0, end - size), end));
        }
        return out;
    }
}
