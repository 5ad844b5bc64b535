package dev.storefront.crm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Custom roles over real HTTP on a database of its own: one declared in configuration ({@code auditor})
 * and one made through GraphQL ({@code support}); each against each operation, their hidden fields
 * absent from introspection, results, filters, sort, aggregates and exports, the SQL console closed,
 * and a field added later hidden until the role is granted it.
 */
class CustomRolesE2EIT extends E2EClient {

    private static final Path DATABASE = newDatabaseFile();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SUPPORT = """
            mutation($name: String!, $customers: [String!], $writable: [String!]) { createRole(input: { name: $name, objects: [
              { object: "customers", operations: [READ, UPDATE], readable: $customers, writable: $writable },
              { object: "orders", operations: [READ, CREATE, DELETE], readable: ["orderNumber", "customer", "totalAmount", "status"],
                writable: ["orderNumber", "customer", "totalAmount"] }] }) { name configured objects { object operations readable writable } } }""";

    @DynamicPropertySource
    static void ownDatabaseAndRoles(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.security.roles.auditor.objects.customers.allow", () -> "read");
        registry.add("crm.security.roles.auditor.objects.customers.readable", () -> "fullName,customerSegment");
    }

    private String key(String name, String customRole) {
        return ok("mutation($n: String!, $c: String) { createApiKey(name: $n, role: CUSTOM, customRole: $c) { secret key { role customRole } } }",
                Map.of("n", name, "c", customRole)).get("createApiKey") instanceof Map<?, ?> created ? (String) created.get("secret") : null;
    }

    private GraphQlTester as(String secret) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl(baseUrl() + "/graphql")
                .defaultHeader("Authorization", "Bearer " + secret).responseTimeout(Duration.ofSeconds(60)).build());
    }

    private HttpResponse<String> get(String path, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + secret).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(GraphQlTester tester, String type, String members) {
        return tester.document("{ __type(name: \"" + type + "\") { " + members + " { name } } }").execute()
                .path("__type." + members + "[*].name").entityList(String.class).get().stream().sorted().toList();
    }

    private static String refusal(GraphQlTester tester, String document) {
        StringBuilder message = new StringBuilder();
        tester.document(document).execute().errors().satisfy(errors -> {
            assertThat(errors).hasSize(1);
            message.append(errors.get(0).getMessage());
        });
        return message.toString();
    }

    private String customer(String fullName, String email, String segment) {
        return ok("mutation($n: String, $e: String, $s: CustomerCustomerSegment) { createCustomer(input: { fullName: $n, email: $e, "
                + "customerSegment: $s, phone: \"+1 555 0100\" }) { id } }", Map.of("n", fullName, "e", email, "s", segment))
                .get("createCustomer") instanceof Map<?, ?> c ? (String) c.get("id") : null;
    }

    @Test
    void aConfiguredRoleSeesAndReadsOnlyWhatItGrants() throws Exception {
        customer("Ada Auditor", "ada@auditor.example", "VIP");
        customer("Bob Auditor", "bob@auditor.example", "VIP");
        customer("Cy Auditor", "cy@auditor.example", "Loyal".toUpperCase());
        GraphQlTester auditor = as(key("auditor desk", "auditor"));

        assertThat(names(auditor, "Customer", "fields")).containsExactly("createdAt", "customerSegment", "fullName", "id", "updatedAt");
        assertThat(names(auditor, "CustomerWhere", "inputFields"))
                .containsExactly("and", "createdAt", "customerSegment", "fullName", "id", "not", "or", "updatedAt");
        assertThat(names(auditor, "CustomerSortField", "enumValues")).containsExactly("CREATED_AT", "CUSTOMER_SEGMENT", "FULL_NAME", "ID",
                "UPDATED_AT");
        assertThat(names(auditor, "CustomerAggregate", "fields")).containsExactly("count", "key");
        assertThat(names(auditor, "Query", "fields")).containsExactly("customer", "customers", "customersAggregate");
        auditor.document("{ __schema { mutationType { name } } }").execute().path("__schema.mutationType").valueIsNull();
        for (String hidden : List.of("Order", "CustomerNumbers", "CustomerUpdateInput", "SqlResult", "ApiKey")) {
            auditor.document("{ __type(name: \"" + hidden + "\") { name } }").execute().path("__type").valueIsNull();
        }

        String where = "where: { fullName: { endsWith: \" Auditor\" } }";
        auditor.document("{ customers(" + where + ", orderBy: [{ field: FULL_NAME, direction: DESC }]) { nodes { fullName customerSegment } } }")
                .execute().path("customers.nodes[*].fullName").entityList(String.class).containsExactly("Cy Auditor", "Bob Auditor", "Ada Auditor")
                .path("customers.nodes[*].customerSegment").entityList(String.class).containsExactly("LOYAL", "VIP", "VIP");
        auditor.document("{ customersAggregate(groupBy: [{ field: CUSTOMER_SEGMENT }], " + where + ") { key { customerSegment } count } }")
                .execute().path("customersAggregate[*].key.customerSegment").entityList(String.class).containsExactly("LOYAL", "VIP")
                .path("customersAggregate[*].count").entityList(Integer.class).containsExactly(1, 2);

        assertThat(refusal(auditor, "{ customers { nodes { email } } }")).contains("'email'");
        assertThat(refusal(auditor, "{ customers(where: { email: { eq: \"ada@auditor.example\" } }) { totalCount } }")).contains("email");
        assertThat(refusal(auditor, "{ customers(orderBy: [{ field: EMAIL }]) { totalCount } }")).contains("EMAIL");
        assertThat(refusal(auditor, "{ customersAggregate(groupBy: [{ field: PHONE }]) { count } }")).contains("PHONE");
        assertThat(refusal(auditor, "{ orders { totalCount } }")).contains("'orders'");
        assertThat(refusal(auditor, "{ sql(query: \"SELECT email FROM customers\") { rows } }")).contains("'sql'");
        assertThat(refusal(auditor, "mutation { deleteCustomer(id: \"x\") { id } }")).contains("Mutation");

        String secret = key("auditor export", "auditor");
        HttpResponse<String> export = get("/export/customers.csv?where="
                + URLEncoder.encode("{\"fullName\":{\"endsWith\":\" Auditor\"}}", StandardCharsets.UTF_8)
                + "&orderBy=" + URLEncoder.encode("[{\"field\":\"FULL_NAME\"}]", StandardCharsets.UTF_8), secret);
        assertThat(export.statusCode()).isEqualTo(200);
        List<List<String>> rows = ExportE2EIT.parse(export.body());
        assertThat(rows.get(0)).containsExactly("Id", "Full Name", "Customer Segment", "Created At", "Updated At");
        assertThat(rows.stream().skip(1).map(r -> r.get(1) + "/" + r.get(2)).toList())
                .containsExactly("Ada Auditor/VIP", "Bob Auditor/VIP", "Cy Auditor/Loyal");
        HttpResponse<String> hiddenColumn = get("/export/customers.csv?fields=fullName,email", secret);
        assertThat(hiddenColumn.statusCode()).isEqualTo(400);
        assertThat(hiddenColumn.body()).contains("email");
        HttpResponse<String> hiddenFilter = get("/export/customers.csv?where="
                + URLEncoder.encode("{\"email\":{\"eq\":\"ada@auditor.example\"}}", StandardCharsets.UTF_8), secret);
        assertThat(hiddenFilter.statusCode()).isEqualTo(400);
        assertThat(hiddenFilter.body()).contains("has no field 'email'");
        assertThat(get("/export/orders.csv", secret).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/sql")).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void aRoleMadeThroughGraphQlUsesExactlyItsOperations() {
        String ada = customer("Ada Support", "ada@support.example", "NEW");
        ok(SUPPORT, Map.of("name", "support", "customers", List.of("fullName", "email", "customerSegment"), "writable", List.of("customerSegment")));
        GraphQlTester support = as(key("support desk", "support"));

        assertThat(names(support, "Query", "fields")).containsExactly("customer", "customers", "customersAggregate", "order", "orders",
                "ordersAggregate");
        // No incrementCustomer: the role writes no number field of customers, so there is nothing to add to.
        assertThat(names(support, "Mutation", "fields")).containsExactly("createOrder", "createOrders", "deleteOrder", "updateCustomer");
        assertThat(names(support, "Customer", "fields")).containsExactly("createdAt", "customerSegment", "email", "fullName", "id", "orders",
                "updatedAt");
        assertThat(names(support, "Order", "fields")).containsExactly("createdAt", "customer", "customerId", "id", "orderNumber", "status",
                "totalAmount", "updatedAt");
        assertThat(names(support, "CustomerUpdateInput", "inputFields")).containsExactly("customerSegment");
        assertThat(names(support, "OrderCreateInput", "inputFields")).containsExactly("customerId", "orderNumber", "totalAmount");

        support.document("mutation($id: ID!) { updateCustomer(id: $id, input: { customerSegment: VIP }) { fullName customerSegment } }")
                .variable("id", ada).execute().path("updateCustomer.customerSegment").entity(String.class).isEqualTo("VIP");
        assertThat(refusal(support, "mutation { updateCustomer(id: \"" + ada + "\", input: { email: \"x@y.example\" }) { id } }"))
                .contains("email");
        assertThat(refusal(support, "mutation { createCustomer(input: { fullName: \"No\" }) { id } }")).contains("'createCustomer'");
        assertThat(refusal(support, "mutation { deleteCustomer(id: \"" + ada + "\") { id } }")).contains("'deleteCustomer'");
        String order = support.document("mutation($c: ID!) { createOrder(input: { orderNumber: \"S-1\", customerId: $c, totalAmount: 12.5 }) "
                + "{ id orderNumber totalAmount customer { fullName } } }").variable("c", ada).execute()
                .path("createOrder.customer.fullName").entity(String.class).isEqualTo("Ada Support")
                .path("createOrder.totalAmount").entity(String.class).isEqualTo("12.50")
                .path("createOrder.id").entity(String.class).get();
        assertThat(refusal(support, "mutation { updateOrder(id: \"" + order + "\", input: { totalAmount: 1 }) { id } }")).contains("'updateOrder'");
        support.document("{ customer(id: \"" + ada + "\") { orders { nodes { orderNumber } } } }").execute()
                .path("customer.orders.nodes[*].orderNumber").entityList(String.class).containsExactly("S-1");
        support.document("mutation($id: ID!) { deleteOrder(id: $id) { orderNumber } }").variable("id", order).execute()
                .path("deleteOrder.orderNumber").entity(String.class).isEqualTo("S-1");
        graphQl.document("{ auditLog(first: 3) { keyName action fields } }").execute()
                .path("auditLog[*].action").entityList(String.class).containsExactly("deleteOrder", "createOrder", "updateCustomer")
                .path("auditLog[*].keyName").entityList(String.class).containsExactly("support desk", "support desk", "support desk");

        List<Map<String, Object>> roles = graphQl.document("{ roles { name configured objects { object operations readable writable } } }")
                .execute().path("roles").entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(roles.stream().filter(r -> List.of("auditor", "support").contains(r.get("name"))).toList()).containsExactly(
                Map.of("name", "auditor", "configured", true, "objects", List.of(Map.of("object", "customers", "operations", List.of("READ"),
                        "readable", List.of("customerSegment", "fullName"), "writable", List.of()))),
                Map.of("name", "support", "configured", false, "objects", List.of(
                        Map.of("object", "customers", "operations", List.of("READ", "UPDATE"),
                                "readable", List.of("customerSegment", "email", "fullName"), "writable", List.of("customerSegment")),
                        Map.of("object", "orders", "operations", List.of("READ", "CREATE", "DELETE"),
                                "readable", List.of("customer", "orderNumber", "status", "totalAmount"),
                                "writable", List.of("customer", "orderNumber", "totalAmount")))));
    }

    @Test
    void aFieldAddedLaterIsHiddenUntilGranted() {
        String ada = customer("Ada Later", "ada@later.example", "NEW");
        ok(SUPPORT, Map.of("name", "later", "customers", List.of("fullName"), "writable", List.of()));
        GraphQlTester later = as(key("later desk", "later"));
        ok("mutation { addField(object: \"customers\", input: { label: \"Loyalty Note\", type: TEXT }) { apiName } }");
        ok("mutation($id: ID!) { updateCustomer(id: $id, input: { loyaltyNote: \"likes tea\" }) { id } }", Map.of("id", ada));

        assertThat(names(later, "Customer", "fields")).containsExactly("createdAt", "fullName", "id", "orders", "updatedAt");
        assertThat(refusal(later, "{ customer(id: \"" + ada + "\") { loyaltyNote } }")).contains("'loyaltyNote'");

        ok(SUPPORT.replace("createRole", "updateRole"), Map.of("name", "later", "customers", List.of("fullName", "loyaltyNote"),
                "writable", List.of()));
        assertThat(names(later, "Customer", "fields")).containsExactly("createdAt", "fullName", "id", "loyaltyNote", "orders", "updatedAt");
        later.document("{ customer(id: \"" + ada + "\") { fullName loyaltyNote } }").execute()
                .path("customer.loyaltyNote").entity(String.class).isEqualTo("likes tea");
    }

    @Test
    void badRoleDefinitionsAndKeysAreRefusedInPlainWords() {
        assertThat(error(SUPPORT, Map.of("name", "typo", "customers", List.of("fullName", "emial"), "writable", List.of())).getMessage())
                .isEqualTo("objects: role 'typo' names what the model does not have: customers.emial");
        ResponseError unread = error(SUPPORT, Map.of("name", "unread", "customers", List.of("fullName"), "writable", List.of("email")));
        assertThat(unread.getMessage()).isEqualTo("objects.customers.writable: email must also be readable");
        assertThat(unread.getExtensions()).containsEntry("code", "VALIDATION");
        assertThat(error("mutation { createRole(input: { name: \"blind\", objects: [{ object: \"customers\", operations: [DELETE] }] }) { name } }")
                .getMessage()).isEqualTo("objects.customers.operations: include read; a role that may delete customers must also read them");
        assertThat(error("mutation { createRole(input: { name: \"Editor\", objects: [{ object: \"customers\", operations: [READ] }] }) { name } }")
                .getMessage()).startsWith("name: 'Editor' is not a role name");
        assertThat(error("mutation { updateRole(input: { name: \"auditor\", objects: [{ object: \"customers\", operations: [READ] }] }) { name } }")
                .getMessage()).isEqualTo("name: role 'auditor' is declared in the configuration (crm.security.roles); change it there");
        assertThat(error("mutation { createApiKey(name: \"k\", role: CUSTOM) { secret } }").getMessage())
                .isEqualTo("customRole: a key of role CUSTOM names its custom role");
        assertThat(error("mutation { createApiKey(name: \"k\", role: CUSTOM, customRole: \"nobody\") { secret } }").getMessage())
                .isEqualTo("customRole: there is no custom role 'nobody'; create it with createRole");
        assertThat(error("mutation { createApiKey(name: \"k\", role: VIEWER, customRole: \"auditor\") { secret } }").getMessage())
                .isEqualTo("customRole: only a key of role CUSTOM has a custom role");
    }

    /** The rows of model, key and role changes commit with the change: a refused change leaves none. */
    @Test
    void modelKeyAndRoleChangesAreAuditedWithTheirChange() {
        ok(SUPPORT, Map.of("name", "audited", "customers", List.of("fullName"), "writable", List.of()));
        String id = (String) ((Map<?, ?>) ((Map<?, ?>) ok("mutation { createApiKey(name: \"audited desk\", role: CUSTOM, customRole: \"audited\") "
                + "{ key { id } } }").get("createApiKey")).get("key")).get("id");
        ok("mutation($id: ID!) { revokeApiKey(id: $id) { id } }", Map.of("id", id));
        ok("mutation { addField(object: \"orders\", input: { label: \"Gift Wrap\", type: BOOLEAN }) { apiName } }");
        assertThat(error("mutation { addField(object: \"orders\", input: { label: \"Gift Wrap\", type: TEXT }) { apiName } }")
                .getExtensions()).containsEntry("code", "CONFLICT");
        assertThat(error(SUPPORT.replace("createRole", "updateRole"), Map.of("name", "audited", "customers", List.of("nope"),
                "writable", List.of())).getExtensions()).containsEntry("code", "VALIDATION");

        graphQl.document("{ auditLog(first: 4) { keyName action object fields } }").execute()
                .path("auditLog[*].action").entityList(String.class).containsExactly("addField", "revokeApiKey", "createApiKey", "createRole")
                .path("auditLog[*].keyName").entityList(String.class).containsExactly("crm.security.admin-key", "crm.security.admin-key",
                        "crm.security.admin-key", "crm.security.admin-key")
                .path("auditLog[0].object").entity(String.class).isEqualTo("orders");
    }
    /** A role is deleted only once no key that still works has it; refusals leave no audit row, the delete leaves one. */
    @Test
    void aRoleIsDeletedOnlyWhenNoWorkingKeyHasIt() {
        ok(SUPPORT, Map.of("name", "retired", "customers", List.of("fullName"), "writable", List.of()));
        String working = keyId("retired desk");
        ok("mutation($id: ID!) { revokeApiKey(id: $id) { id } }", Map.of("id", keyId("old retired desk")));

        ResponseError used = error("mutation { deleteRole(name: \"retired\") { name } }");
        assertThat(used.getMessage()).isEqualTo("name: role 'retired' is the role of 1 API key (retired desk); revoke it first");
        assertThat(used.getExtensions()).containsEntry("code", "CONFLICT");
        assertThat(error("mutation { deleteRole(name: \"auditor\") { name } }").getMessage())
                .isEqualTo("name: role 'auditor' is declared in the configuration (crm.security.roles); delete it there");
        assertThat(error("mutation { deleteRole(name: \"nobody\") { name } }").getExtensions()).containsEntry("code", "NOT_FOUND");

        ok("mutation($id: ID!) { revokeApiKey(id: $id) { id } }", Map.of("id", working));
        graphQl.document("mutation { deleteRole(name: \"retired\") { name objects { object readable } } }").execute()
                .path("deleteRole.objects[*].object").entityList(String.class).containsExactly("customers", "orders")
                .path("deleteRole.objects[0].readable").entityList(String.class).containsExactly("fullName");
        graphQl.document("{ roles { name } }").execute().path("roles[*].name").entityList(String.class).doesNotContain("retired");
        assertThat(error("mutation { createApiKey(name: \"late\", role: CUSTOM, customRole: \"retired\") { secret } }").getMessage())
                .isEqualTo("customRole: there is no custom role 'retired'; create it with createRole");
        graphQl.document("{ auditLog(first: 3) { action entryId } }").execute()
                .path("auditLog[*].action").entityList(String.class).containsExactly("deleteRole", "revokeApiKey", "revokeApiKey")
                .path("auditLog[0].entryId").entity(String.class).isEqualTo("retired");
    }

    private String keyId(String name) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) ok("mutation($n: String!) { createApiKey(name: $n, role: CUSTOM, customRole: \"retired\") "
                + "{ key { id } } }", Map.of("n", name)).get("createApiKey")).get("key")).get("id");
    }
}
