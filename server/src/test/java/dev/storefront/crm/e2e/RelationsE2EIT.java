package dev.storefront.crm.e2e;

import java.math.BigDecimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.storage.DuckDb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Relations resolve both ways, through DataLoaders: the SQL statement count does not grow with the page. */
class RelationsE2EIT extends E2ESupport {

    private static final int BUYERS = 60;

    @Autowired
    private DuckDb db;

    private String buyers;
    private String purchases;
    private String lines;

    @BeforeEach
    void createBuyersWithPurchasesAndLines() {
        buyers = unique("buyers");
        purchases = unique("purchases");
        lines = unique("lines");
        createObject(buyers, List.of(field("Name", "TEXT")));
        createObject(purchases, List.of(field("Buyer", "RELATION", "relatedObject", buyers), field("Total", "NUMBER")));
        createObject(lines, List.of(field("Purchase", "RELATION", "relatedObject", purchases), field("Qty", "INTEGER")));

        List<Map<String, Object>> buyerInputs = new ArrayList<>();
        for (int b = 0; b < BUYERS; b++) {
            buyerInputs.add(Map.of("name", "buyer " + b));
        }
        List<String> buyerIds = createMany(buyers, buyerInputs);
        List<Map<String, Object>> purchaseInputs = new ArrayList<>();
        for (int b = 0; b < BUYERS; b++) {
            for (int p = 0; p < 2; p++) {
                purchaseInputs.add(Map.of("buyerId", buyerIds.get(b), "total", b * 10 + p));
            }
        }
        List<String> purchaseIds = createMany(purchases, purchaseInputs);
        List<Map<String, Object>> lineInputs = new ArrayList<>();
        for (int i = 0; i < purchaseIds.size(); i++) {
            for (int l = 1; l <= 2; l++) {
                lineInputs.add(Map.of("purchaseId", purchaseIds.get(i), "qty", l));
            }
        }
        createMany(lines, lineInputs);
    }

    private List<String> createMany(String object, List<Map<String, Object>> inputs) {
        String type = ApiNames.pascal(object + "_item");
        String mutation = "create" + ApiNames.pascal(object);
        return run("mutation($in: [" + type + "CreateInput!]!) { " + mutation + "(inputs: $in) { id } }", Map.of("in", inputs))
                .path(mutation + "[*].id").entityList(String.class).get();
    }

    private String pageQuery(int size) {
        return "{ " + ApiNames.camel(buyers) + "(first: " + size + ") { nodes { id name "
                + ApiNames.camel(purchases) + "(first: 10) { totalCount nodes { total buyer { id name } "
                + ApiNames.camel(lines) + " { nodes { qty purchase { total } } } } } } } }";
    }

    @Test
    void fiftyBuyersWithPurchasesAndLinesTakeAFixedNumberOfStatements() {
        long beforeSmall = db.statementCount();
        run(pageQuery(10)).path(ApiNames.camel(buyers) + ".nodes").entityList(Object.class).hasSize(10);
        long small = db.statementCount() - beforeSmall;

        long beforeLarge = db.statementCount();
        run(pageQuery(50)).path(ApiNames.camel(buyers) + ".nodes").entityList(Object.class).hasSize(50);
        long large = db.statementCount() - beforeLarge;

        // buyers page, purchases per buyer, purchase counts, purchases' buyer, lines per purchase, lines' purchase
        assertThat(large).isEqualTo(small).isEqualTo(6);
    }

    /**
     * Only a request whose operation reaches a relation gets the DataLoaders: a point read answers
     * without them, and relations reached through a named fragment, an inline fragment and
     * {@code node(id:)} still batch (without their loaders these fields would fail).
     */
    @Test
    void readsWithoutRelationsAnswerAloneAndRelationsInsideFragmentsStillBatch() {
        String list = ApiNames.camel(buyers);
        String buyerType = ApiNames.pascal(buyers + "_item");
        String purchaseType = ApiNames.pascal(purchases + "_item");
        String buyerId = run("{ " + list + "(first: 1) { nodes { id } } }").path(list + ".nodes[0].id").entity(String.class).get();

        String one = ApiNames.camel(buyers + "_item");
        long beforeOne = db.statementCount();
        run("{ " + one + "(id: \"" + buyerId + "\") { id name } }").path(one).entity(Map.class)
                .isEqualTo(Map.of("id", buyerId, "name", "buyer 0"));
        assertThat(db.statementCount() - beforeOne).isEqualTo(1);

        String throughFragments = "query($n: Int) { " + list + "(first: $n) { nodes { ...B } } } fragment B on " + buyerType
                + " { name ... on " + buyerType + " { " + ApiNames.camel(purchases) + "(first: 10) { nodes { id total buyer { name } } } } }";
        long beforeSmall = db.statementCount();
        run(throughFragments, Map.of("n", 10)).path(list + ".nodes").entityList(Object.class).hasSize(10);
        long small = db.statementCount() - beforeSmall;
        long beforeLarge = db.statementCount();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = run(throughFragments, Map.of("n", 50)).path(list + ".nodes").entityList(Map.class).get()
                .stream().map(m -> (Map<String, Object>) m).toList();
        // buyers page, purchases per buyer, purchases' buyer
        assertThat(db.statementCount() - beforeLarge).isEqualTo(small).isEqualTo(3);
        assertThat(nodes).hasSize(50);
        for (int b = 0; b < 50; b++) {
            String name = "buyer " + b;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> owned = (List<Map<String, Object>>)
                    ((Map<String, Object>) nodes.get(b).get(ApiNames.camel(purchases))).get("nodes");
            assertThat(nodes.get(b).get("name")).isEqualTo(name);
            assertThat(owned).extracting(p -> new BigDecimal((String) p.get("total")).intValue()).containsExactly(b * 10, b * 10 + 1);
            assertThat(owned).allSatisfy(p -> assertThat(p.get("buyer")).isEqualTo(Map.of("name", name)));
        }

        @SuppressWarnings("unchecked")
        String purchaseId = (String) ((List<Map<String, Object>>) ((Map<String, Object>) nodes.get(3).get(ApiNames.camel(purchases)))
                .get("nodes")).get(1).get("id");
        run("{ node(id: \"" + purchaseId + "\") { ... on " + purchaseType + " { total buyer { name } } } }")
                .path("node.total").entity(String.class).isEqualTo("31")
                .path("node.buyer.name").entity(String.class).isEqualTo("buyer 3");
    }

    @Test
    void relationsResolveToTheRightEntriesBothWays() {
        String list = ApiNames.camel(buyers);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = run(pageQuery(BUYERS)).path(list + ".nodes").entityList(Map.class).get()
                .stream().map(m -> (Map<String, Object>) m).toList();
        assertThat(nodes).hasSize(BUYERS);
        for (Map<String, Object> buyer : nodes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> connection = (Map<String, Object>) buyer.get(ApiNames.camel(purchases));
            assertThat(connection.get("totalCount")).isEqualTo(2);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> owned = (List<Map<String, Object>>) connection.get("nodes");
            int index = Integer.parseInt(((String) buyer.get("name")).substring("buyer ".length()));
            assertThat(owned).extracting(p -> new BigDecimal((String) p.get("total")).intValue()).containsExactly(index * 10, index * 10 + 1);
            for (Map<String, Object> purchase : owned) {
                assertThat(purchase.get("buyer")).isEqualTo(Map.of("id", buyer.get("id"), "name", buyer.get("name")));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> lineNodes = (List<Map<String, Object>>)
                        ((Map<String, Object>) purchase.get(ApiNames.camel(lines))).get("nodes");
                assertThat(lineNodes).extracting(l -> l.get("qty")).containsExactly(1, 2);
                assertThat(lineNodes).allSatisfy(l -> assertThat(l.get("purchase")).isEqualTo(Map.of("total", purchase.get("total"))));
            }
        }
    }

    @Test
    void reverseListsPage() {
        String buyerId = run("{ " + ApiNames.camel(buyers) + "(first: 1) { nodes { id } } }")
                .path(ApiNames.camel(buyers) + ".nodes[0].id").entity(String.class).get();
        String one = ApiNames.camel(buyers + "_item");
        String list = ApiNames.camel(purchases);
        String cursor = run("{ " + one + "(id: \"" + buyerId + "\") { " + list + "(first: 1) { pageInfo { hasNextPage endCursor } nodes { total } } } }")
                .path(one + "." + list + ".pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true)
                .path(one + "." + list + ".nodes[0].total").entity(Double.class).isEqualTo(0.0)
                .path(one + "." + list + ".pageInfo.endCursor").entity(String.class).get();
        run("{ " + one + "(id: \"" + buyerId + "\") { " + list + "(first: 5, after: \"" + cursor + "\") { pageInfo { hasNextPage } nodes { total } } } }")
                .path(one + "." + list + ".pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false)
                .path(one + "." + list + ".nodes[*].total").entityList(Double.class).containsExactly(1.0);
    }
}
