package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.graphql.CrmGraphQlSource;
import dev.storefront.crm.graphql.types.TypeNames;
import graphql.schema.GraphQLSchema;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every model change goes one way: checked, its schema built, and only then written. Each test
 * here reproduces a finding of issue 10 (each failed before the pipeline), on a database of this
 * class's own, so every count is exact.
 */
@DirtiesContext
class ModelPipelineE2EIT extends E2EClient {

    private static final Path OWN_DATABASE = newDatabaseFile();

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("crm.database", OWN_DATABASE::toString);
    }

    @Autowired
    SchemaService schema;
    @Autowired
    EntryService entries;
    @Autowired
    CrmGraphQlSource graphQlSource;

    @Autowired
    CrmProperties properties;

    @Test
    void runsOnItsOwnDatabase() {
        assertThat(properties.databaseFile()).isEqualTo(OWN_DATABASE);
    }

    /** TypeNames lists the host's names by hand: every name in the schema is an object's or listed, and every listed one exists. */
    @Test
    void theReservedHostNamesAreExactlyTheNamesNoObjectMakes() {
        GraphQLSchema served = graphQlSource.schema();
        Set<String> inSchema = new HashSet<>();
        served.getAllTypesAsList().forEach(type -> inSchema.add(type.getName()));
        served.getQueryType().getFieldDefinitions().forEach(f -> inSchema.add(TypeNames.queryKey(f.getName())));
        served.getMutationType().getFieldDefinitions().forEach(f -> inSchema.add(TypeNames.mutationKey(f.getName())));
        inSchema.removeIf(name -> name.startsWith("__"));
        schema.current().objects().forEach(object -> inSchema.removeAll(TypeNames.claims(object).keySet()));

        Set<String> host = new HashSet<>(TypeNames.HOST_TYPES);
        host.addAll(TypeNames.HOST_ROOT_FIELDS);
        // GraphQL's own names that this schema does not use, reserved all the same.
        host.remove("Subscription");
        assertThat(inSchema).isEqualTo(host);
    }

    @Test
    void anObjectWhoseTypeNameIsAnEnumOfAnotherObjectIsRefusedAndNothingIsWritten() {
        ResponseError refused = error("mutation { createObject(input: { apiName: \"order_statuses\", singularLabel: \"Order Status\","
                + " pluralLabel: \"Order Statuses\", fields: [{ label: \"Name\", type: TEXT }] }) { apiName } }");

        assertThat(refused.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("object", "order_statuses");
        assertThat(refused.getMessage()).isEqualTo("This change cannot be made: the API would use the name 'OrderStatus'"
                + " for both the options of field orders.status and object order_statuses; choose another name");
        assertThat(schema.current().find("order_statuses")).isEmpty();
        assertThat(tables("order_statuses")).isZero();
        assertThat(ok("{ __type(name: \"OrderStatus\") { kind } }")).isEqualTo(Map.of("__type", Map.of("kind", "ENUM")));
    }

    @Test
    void anObjectNamedJobsIsRefusedAndTheHostApiStays() {
        ResponseError refused = error("mutation { createObject(input: { apiName: \"jobs\", singularLabel: \"Job\","
                + " pluralLabel: \"Jobs\" }) { apiName } }");

        assertThat(refused.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(refused.getMessage()).isEqualTo("This change cannot be made: the API would use the name 'Job' for both"
                + " the CRM's own API and object jobs; choose another name");
        assertThat(schema.current().find("jobs")).isEmpty();
        assertThat(tables("jobs")).isZero();
        assertThat(ok("{ jobs(limit: 1) { id } plugins { id } }")).containsOnlyKeys("jobs", "plugins");
    }

    @Test
    void aFieldWhoseEnumTypeWouldTakeAnotherTypesNameIsRefused() {
        String object = unique("gizmos");
        createObject(object, List.of(field("Name", "TEXT")));
        String type = pascal(object + "_item");

        ResponseError refused = error("mutation { addField(object: \"" + object + "\", input: { label: \"Edge\", type: ENUM,"
                + " options: [\"A\"] }) { apiName } }");

        assertThat(refused.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(refused.getMessage()).isEqualTo("This change cannot be made: the API would use the name '" + type
                + "Edge' for both object " + object + " and the options of field " + object + ".edge; choose another name");
        assertThat(schema.current().object(object).fields()).extracting(f -> f.apiName()).containsExactly("name");
        assertThat(columns(object)).containsExactly("id", "created_at", "updated_at", "name");
    }

    @Test
    void anObjectWithNoFieldsAndAnObjectWhoseLastFieldIsDeletedStayUsable() {
        String empty = unique("blanks");
        createObject(empty, List.of());
        String type = pascal(empty + "_item");
        String many = camel(empty);
        ok("mutation { create" + type + " { id } }");
        ok("mutation { create" + type + " { id } }");
        assertThat(ok("{ " + many + " { totalCount } }")).isEqualTo(Map.of(many, Map.of("totalCount", 2)));

        String shrinking = unique("shrinks");
        createObject(shrinking, List.of(field("Note", "TEXT")));
        String shrinkingType = pascal(shrinking + "_item");
        ok("mutation { create" + shrinkingType + "(input: { note: \"kept until the field goes\" }) { id } }");
        ok("mutation { deleteField(object: \"" + shrinking + "\", field: \"note\", confirm: true) { apiName } }");
        ok("mutation { create" + shrinkingType + " { id } }");
        assertThat(ok("{ " + camel(shrinking) + " { totalCount } }")).isEqualTo(Map.of(camel(shrinking), Map.of("totalCount", 2)));

        ok("mutation { addField(object: \"" + shrinking + "\", input: { label: \"Note\", type: TEXT }) { apiName } }");
        ok("mutation { create" + shrinkingType + "(input: { note: \"back\" }) { id } }");
        assertThat(ok("{ " + camel(shrinking) + "(where: { note: { eq: \"back\" } }) { totalCount } }"))
                .isEqualTo(Map.of(camel(shrinking), Map.of("totalCount", 1)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void orderByIdDescendingIsHonouredAcrossPages() {
        String object = unique("numbered");
        createObject(object, List.of(field("Label", "TEXT")));
        String type = pascal(object + "_item");
        List<String> ids = new ArrayList<>();
        for (String label : List.of("a", "b", "c", "d", "e")) {
            Map<String, Object> created = ok("mutation { create" + type + "(input: { label: \"" + label + "\" }) { id } }");
            ids.add((String) ((Map<String, Object>) created.get("create" + type)).get("id"));
        }
        String many = camel(object);

        Map<String, Object> first = (Map<String, Object>) ok("{ " + many + "(first: 3, orderBy: [{ field: ID, direction: DESC }])"
                + " { nodes { id } pageInfo { endCursor } } }").get(many);
        String cursor = (String) ((Map<String, Object>) first.get("pageInfo")).get("endCursor");
        Map<String, Object> second = (Map<String, Object>) ok("{ " + many + "(first: 3, after: \"" + cursor + "\","
                + " orderBy: [{ field: ID, direction: DESC }, { field: LABEL }]) { nodes { id } } }").get(many);

        assertThat(idsOf(first)).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(idsOf(second)).containsExactly(ids.get(1), ids.get(0));
    }

    @Test
    void aViewCannotBeRenamedToTheNameOfAnotherViewOfItsObject() {
        String object = unique("boards");
        createObject(object, List.of(field("Title", "TEXT")));
        String first = createView(object, "Mine");
        String second = createView(object, "Theirs");

        ResponseError refused = error("mutation { updateView(id: \"" + second + "\", input: { name: \"Mine\" }) { name } }");

        assertThat(refused.getExtensions()).containsEntry("code", "CONFLICT").containsEntry("view", "Mine");
        assertThat(refused.getMessage()).isEqualTo(object + " already has a view named 'Mine'");
        assertThat(ok("{ views(object: \"" + object + "\") { id name } }")).isEqualTo(Map.of("views",
                List.of(Map.of("id", first, "name", "Mine"), Map.of("id", second, "name", "Theirs"))));
        // Keeping its own name is no clash.
        ok("mutation { updateView(id: \"" + first + "\", input: { name: \"Mine\" }) { name } }");
    }

    /** A write that began before a field became unique is checked against the rule in force when it commits. */
    @Test
    void aWriteCommittedAfterAFieldBecameUniqueIsCheckedAgainstIt() {
        String object = unique("coupons");
        createObject(object, List.of(field("Code", "TEXT")));
        ok("mutation { create" + pascal(object + "_item") + "(input: { code: \"SPRING\" }) { id } }");
        ObjectDef asTheRequestSawIt = schema.current().object(object);

        ok("mutation { updateField(object: \"" + object + "\", field: \"code\", input: { unique: true }) { unique } }");

        assertThatThrownBy(() -> entries.create(asTheRequestSawIt, Map.of("code", "SPRING")))
                .isInstanceOf(ConflictException.class)
                .hasMessage(object + ".code: 'SPRING' must be unique but is used already by entry 1");
        assertThat(ok("{ " + camel(object) + " { totalCount } }")).isEqualTo(Map.of(camel(object), Map.of("totalCount", 1)));
    }

    /** Writers that never touch the fields being added and deleted all succeed while the fields come and go. */
    @Test
    void writesDuringFieldAddsAndDeletesNeverFail() throws Exception {
        String object = unique("busy");
        createObject(object, List.of(field("Name", "TEXT")));
        String create = "mutation($name: String) { create" + pascal(object + "_item") + "(input: { name: $name }) { id name } }";
        int writers = 4;
        int writesEach = 25;
        CountDownLatch started = new CountDownLatch(writers);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                done.add(pool.submit(() -> {
                    HttpGraphQlTester client = writerClient();
                    for (int i = 0; i < writesEach; i++) {
                        GraphQlResponse response = client.document(create).variable("name", writer + "-" + i).execute()
                                .returnResponse();
                        if (!response.getErrors().isEmpty()) {
                            failures.add(response.getErrors().toString());
                        }
                        if (i == 0) {
                            started.countDown();
                        }
                    }
                }));
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            for (int change = 0; change < 12; change++) {
                ok("mutation { addField(object: \"" + object + "\", input: { label: \"Extra\", type: TEXT, defaultValue: \"x\" }) { apiName } }");
                ok("mutation { deleteField(object: \"" + object + "\", field: \"extra\", confirm: true) { apiName } }");
            }
            for (Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(failures).as("errors answered to writers").isEmpty();
        Set<String> expected = new HashSet<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < writesEach; i++) {
                expected.add("w" + w + "-" + i);
            }
        }
        assertThat(namesOf(object)).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Creates of one value race the change that makes the field unique: whichever commits first, the
     * field never ends unique while holding the value twice (the finding: seven equal values).
     */
    @Test
    @SuppressWarnings("unchecked")
    void createsRacingAChangeToUniqueNeverLeaveAUniqueFieldWithTheValueTwice() throws Exception {
        String object = unique("vouchers");
        createObject(object, List.of(field("Code", "TEXT")));
        String create = "mutation { create" + pascal(object + "_item") + "(input: { code: \"SAME\" }) { id } }";
        int writers = 4;
        int writesEach = 5;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger created = new AtomicInteger();
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        GraphQlResponse change;
        try {
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    HttpGraphQlTester client = writerClient();
                    go.await();
                    for (int i = 0; i < writesEach; i++) {
                        GraphQlResponse response = client.document(create).execute().returnResponse();
                        if (response.getErrors().isEmpty()) {
                            created.incrementAndGet();
                        } else {
                            refusals.add(response.getErrors().get(0).getMessage());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            change = writerClient().document("mutation { updateField(object: \"" + object + "\", field: \"code\","
                    + " input: { unique: true }) { unique } }").execute().returnResponse();
            for (Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Object> stored = (Map<String, Object>) ok("{ " + camel(object) + "(first: 1) { totalCount nodes { id } } }")
                .get(camel(object));
        assertThat(stored.get("totalCount")).isEqualTo(created.get());
        if (change.getErrors().isEmpty()) {
            // Made unique before a second SAME committed: every later create was refused by the rule.
            assertThat(created.get()).isEqualTo(1);
            long first = idNumber(idsOf(stored).get(0));
            assertThat(refusals).hasSize(writers * writesEach - 1).allMatch(message ->
                    message.equals(object + ".code: 'SAME' must be unique but is used already by entry " + first));
        } else {
            // Two SAMEs committed first: the change is refused, and no create was.
            assertThat(change.getErrors().get(0).getExtensions()).containsEntry("code", "CONFLICT");
            assertThat(refusals).isEmpty();
            assertThat(created.get()).isEqualTo(writers * writesEach);
        }
    }

    private HttpGraphQlTester writerClient() {
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl(baseUrl() + "/graphql")
                .defaultHeader("Authorization", "Bearer " + ADMIN_KEY).responseTimeout(java.time.Duration.ofSeconds(60)).build());
    }

    @SuppressWarnings("unchecked")
    private List<String> namesOf(String object) {
        Map<String, Object> list = (Map<String, Object>) ok("{ " + camel(object) + "(first: 1000) { totalCount nodes { name } } }")
                .get(camel(object));
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) list.get("nodes");
        assertThat(list.get("totalCount")).isEqualTo(nodes.size());
        return nodes.stream().map(n -> (String) n.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private String createView(String object, String name) {
        Map<String, Object> created = ok("mutation { createView(input: { name: \"" + name + "\", object: \"" + object
                + "\" }) { id } }");
        return (String) ((Map<String, Object>) created.get("createView")).get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<String> idsOf(Map<String, Object> connection) {
        return ((List<Map<String, Object>>) connection.get("nodes")).stream().map(n -> (String) n.get("id")).toList();
    }

    /** How many tables of that name the database holds (through the read-only SQL console). */
    @SuppressWarnings("unchecked")
    private int tables(String name) {
        Map<String, Object> sql = (Map<String, Object>) ok("query($q: String!) { sql(query: $q) { rows } }", Map.of("q",
                "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + name + "'")).get("sql");
        return ((Number) ((List<List<Object>>) sql.get("rows")).get(0).get(0)).intValue();
    }

    @SuppressWarnings("unchecked")
    private List<String> columns(String table) {
        Map<String, Object> sql = (Map<String, Object>) ok("query($q: String!) { sql(query: $q) { rows } }", Map.of("q",
                "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position"))
                .get("sql");
        return ((List<List<Object>>) sql.get("rows")).stream().map(row -> (String) row.get(0)).toList();
    }

    private static String pascal(String snake) {
        return dev.storefront.crm.metadata.ApiNames.pascal(snake);
    }

    private static String camel(String snake) {
        return dev.storefront.crm.metadata.ApiNames.camel(snake);
    }
}
