package dev.storefront.crm.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.PageRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The YAML model loader against a database of its own: the shipped {@code schema/} is applied at
 * start and re-applying it changes nothing; new YAML objects and fields are applied once; a YAML
 * change that would corrupt data or an unknown type fails naming the file, object and field, and
 * leaves the model and the data as they were.
 */
@SpringBootTest
@DirtiesContext
class SchemaYamlLoaderIT {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final Path SHIPPED = Path.of("../schema");
    private static final List<String> SHIPPED_OBJECTS = List.of("companies", "customers", "products", "orders",
            "order_items", "campaigns", "campaign_recipients", "returns", "support_tickets");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
    }

    @Autowired
    private SchemaYamlLoader loader;

    @Autowired
    private SchemaService schema;

    @Autowired
    private EntryService entries;

    @Test
    void reapplyingTheShippedYamlIsANoOp() {
        MetadataSnapshot before = schema.current();

        int changes = loader.apply(SHIPPED);

        assertThat(changes).isZero();
        assertThat(schema.current().version()).isEqualTo(before.version());
        assertThat(schema.current()).isSameAs(before);
        assertThat(loader.apply(SHIPPED)).isZero();
    }

    @Test
    void allShippedObjectsExistWithTheirDeclaredFields() {
        MetadataSnapshot model = schema.current();
        assertThat(model.objects()).extracting(ObjectDef::apiName).filteredOn(name -> !name.startsWith("yaml_"))
                .containsExactlyInAnyOrderElementsOf(SHIPPED_OBJECTS);

        ObjectDef customers = model.object("customers");
        assertThat(customers.singularApiName()).isEqualTo("customer");
        assertThat(customers.singularLabel()).isEqualTo("Customer");
        assertThat(customers.pluralLabel()).isEqualTo("Customers");
        assertThat(customers.description()).isEqualTo("People who buy from the store. Order totals are kept in step with their orders.");
        assertThat(customers.fields()).extracting(FieldDef::apiName, FieldDef::kind).containsExactlyInAnyOrder(
                tuple("full_name", FieldKind.TEXT), tuple("first_name", FieldKind.TEXT), tuple("last_name", FieldKind.TEXT),
                tuple("email", FieldKind.EMAIL), tuple("phone", FieldKind.PHONE), tuple("company", FieldKind.RELATION),
                tuple("accepts_marketing", FieldKind.BOOLEAN), tuple("tags", FieldKind.TAGS),
                tuple("total_orders", FieldKind.INTEGER), tuple("lifetime_value", FieldKind.NUMBER),
                tuple("average_order_value", FieldKind.NUMBER), tuple("first_purchase_date", FieldKind.DATE),
                tuple("last_purchase_date", FieldKind.DATE), tuple("return_rate", FieldKind.NUMBER),
                tuple("customer_segment", FieldKind.ENUM), tuple("acquisition_source", FieldKind.ENUM),
                tuple("notes", FieldKind.RICHTEXT));
        assertThat(customers.uniqueFields()).extracting(FieldDef::apiName).containsExactly("email");
        assertThat(customers.field("email").orElseThrow().label()).isEqualTo("Email");
        assertThat(customers.field("full_name").orElseThrow().label()).isEqualTo("Full Name");
        assertThat(customers.field("customer_segment").orElseThrow().options())
                .containsExactly("VIP", "Loyal", "Potential Loyal", "Active", "New", "At Risk", "Churned", "Lapsed");
        assertThat(customers.field("acquisition_source").orElseThrow().options())
                .containsExactly("Organic Search", "Paid Ads", "Social", "Referral", "Email", "Direct");
        assertThat(customers.field("accepts_marketing").orElseThrow().defaultValue()).isEqualTo(false);
        assertThat(customers.field("total_orders").orElseThrow().defaultValue()).isEqualTo(0L);
        assertThat((BigDecimal) customers.field("lifetime_value").orElseThrow().defaultValue()).isEqualByComparingTo("0");
        assertThat(customers.field("return_rate").orElseThrow().description()).isEqualTo("Share of orders returned, 0 to 1");
        assertThat(customers.field("company").orElseThrow().relatedObject()).isEqualTo("companies");
        assertThat(customers.fields()).filteredOn(FieldDef::required).isEmpty();

        FieldDef orderCustomer = model.field("orders", "customer");
        assertThat(orderCustomer.kind()).isEqualTo(FieldKind.RELATION);
        assertThat(orderCustomer.relatedObject()).isEqualTo("customers");
        assertThat(orderCustomer.column()).isEqualTo("customer_id");
        FieldDef orderNumber = model.field("orders", "order_number");
        assertThat(orderNumber.required()).isTrue();
        assertThat(orderNumber.unique()).isTrue();
        assertThat(model.field("orders", "status").defaultValue()).isEqualTo("Pending");
        assertThat(model.field("orders", "currency").defaultValue()).isEqualTo("USD");

        List<ReverseRelation> reverse = model.reverseRelationsOf("customers");
        assertThat(reverse).filteredOn(r -> r.source().apiName().equals("orders")).singleElement().satisfies(r -> {
            assertThat(r.apiName()).isEqualTo("orders");
            assertThat(r.field().apiName()).isEqualTo("customer");
        });
        assertThat(reverse).extracting(ReverseRelation::apiName)
                .contains("orders", "returns", "support_tickets", "campaign_recipients");
        assertThat(model.reverseRelationsOf("orders")).extracting(ReverseRelation::apiName).contains("order_items");
    }

    @Test
    void yamlAddingAnObjectAndAFieldIsAppliedOnceThenIsANoOp(@TempDir Path dir) throws IOException {
        ObjectDef products = schema.current().object("products");
        Entry mug = entries.create(products, Map.of("name", "Mug", "sku", "MUG-YAML-1"));
        write(dir, "yaml_widgets.yaml", """
                object: yaml_widgets
                singular: Yaml Widget
                plural: Yaml Widgets
                description: Widgets declared by a test
                fields:
                  - {name: Label, type: text, required: true}
                  - name: Size
                    type: enum
                    options: [Small, Large]
                    default: Small
                  - {name: Buyer, type: relation, related_object: customers}
                """);
        write(dir, "products.yaml", """
                object: products
                singular: Product
                plural: Products
                fields:
                  - {name: Weight Grams, type: integer, default: 0}
                """);
        long version = schema.current().version();

        int applied = loader.apply(dir);

        assertThat(applied).isEqualTo(3);
        MetadataSnapshot model = schema.current();
        assertThat(model.version()).isEqualTo(version + 1);
        ObjectDef widgets = model.object("yaml_widgets");
        assertThat(widgets.singularApiName()).isEqualTo("yaml_widget");
        assertThat(widgets.description()).isEqualTo("Widgets declared by a test");
        assertThat(widgets.fields()).extracting(FieldDef::apiName, FieldDef::kind, FieldDef::required)
                .containsExactlyInAnyOrder(tuple("label", FieldKind.TEXT, true), tuple("size", FieldKind.ENUM, false),
                        tuple("buyer", FieldKind.RELATION, false));
        assertThat(widgets.field("size").orElseThrow().options()).containsExactly("Small", "Large");
        assertThat(widgets.field("size").orElseThrow().defaultValue()).isEqualTo("Small");
        assertThat(widgets.field("buyer").orElseThrow().relatedObject()).isEqualTo("customers");
        assertThat(model.reverseRelationsOf("customers")).extracting(ReverseRelation::apiName).contains("yaml_widgets");

        ObjectDef productsAfter = model.object("products");
        assertThat(productsAfter.fields()).extracting(FieldDef::apiName)
                .containsExactly("name", "sku", "price", "category", "status", "weight_grams");
        FieldDef weight = productsAfter.field("weight_grams").orElseThrow();
        assertThat(weight.kind()).isEqualTo(FieldKind.INTEGER);
        assertThat(weight.defaultValue()).isEqualTo(0L);
        assertThat(entries.get(productsAfter, mug.id()).get("weight_grams")).isEqualTo(0L);
        assertThat(entries.get(productsAfter, mug.id()).get("name")).isEqualTo("Mug");

        // The tables are there: entries can be written to the new object and read back.
        Entry widget = entries.create(widgets, Map.of("label", "w1"));
        assertThat(entries.get(widgets, widget.id()).values()).containsEntry("label", "w1").containsEntry("size", "Small");

        assertThat(loader.apply(dir)).isZero();
        assertThat(schema.current().version()).isEqualTo(version + 1);
        assertThat(loader.apply(SHIPPED)).isZero();
    }

    @Test
    void yamlRetypeToIntegerOfValuesThatDoNotConvertFailsNamingFileObjectAndFieldAndChangesNothing(@TempDir Path dir)
            throws IOException {
        retypeRefused(dir, "yaml_codes", "Yaml Code", "integer", List.of("12", "abc"), "abc");
    }

    @Test
    void yamlRetypeToEmailOfValuesThatAreNotEmailsFailsNamingFileObjectAndFieldAndChangesNothing(@TempDir Path dir)
            throws IOException {
        retypeRefused(dir, "yaml_contacts", "Yaml Contact", "email", List.of("ann@example.com", "call me"), "call me");
    }

    private void retypeRefused(Path dir, String object, String singular, String newType, List<String> values, String bad)
            throws IOException {
        Path first = Files.createDirectory(dir.resolve("v1"));
        write(first, object + ".yaml", declaration(object, singular, "text"));
        assertThat(loader.apply(first)).isEqualTo(1);
        ObjectDef created = schema.current().object(object);
        List<Long> ids = values.stream().map(v -> entries.create(created, Map.of("code", v)).id()).toList();
        MetadataSnapshot before = schema.current();

        Path second = Files.createDirectory(dir.resolve("v2"));
        Path file = write(second, object + ".yaml", declaration(object, singular, newType));
        CrmException failure = catchThrowableOfType(CrmException.class, () -> loader.apply(second));

        assertThat(failure).as("applying %s", file).isNotNull();
        assertThat(failure.code()).as("code of: %s", failure.getMessage()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(failure.getMessage()).startsWith(file.toString()).contains(object + ".code").contains(bad);
        assertThat(failure.details()).containsEntry("object", object).containsEntry("field", "code");

        assertThat(schema.current()).isSameAs(before);
        FieldDef code = schema.current().field(object, "code");
        assertThat(code.kind()).isEqualTo(FieldKind.TEXT);
        assertThat(entries.page(created, PageRequest.first(10)).entries()).extracting(Entry::id, e -> e.get("code"))
                .containsExactly(tuple(ids.get(0), values.get(0)), tuple(ids.get(1), values.get(1)));
        // The stored model still matches the first declaration exactly.
        assertThat(loader.apply(first)).isZero();
    }

    @Test
    void yamlWithAnUnknownFieldTypeFailsNamingFileAndField(@TempDir Path dir) throws IOException {
        Path file = write(dir, "yaml_weird.yaml", """
                object: yaml_weird
                singular: Yaml Weird
                plural: Yaml Weirds
                fields:
                  - {name: Size, type: text}
                  - {name: Weight Class, type: heavyish}
                """);
        MetadataSnapshot before = schema.current();

        CrmException failure = catchThrowableOfType(CrmException.class, () -> loader.apply(dir));

        assertThat(failure).isNotNull();
        assertThat(failure.code()).as("code of: %s", failure.getMessage()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(failure.getMessage()).startsWith(file.toString()).contains("yaml_weird.Weight Class")
                .contains("type must be one of");
        assertThat(failure.details()).containsEntry("object", "yaml_weird").containsEntry("field", "Weight Class");
        assertThat(schema.current()).isSameAs(before);
        assertThat(schema.current().find("yaml_weird")).isEmpty();
    }

    private static String declaration(String object, String singular, String type) {
        return "object: " + object + "\nsingular: " + singular + "\nplural: " + singular + "s\nfields:\n"
                + "  - {name: Code, type: " + type + "}\n";
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
