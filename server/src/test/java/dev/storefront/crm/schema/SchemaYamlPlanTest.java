package dev.storefront.crm.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.metadata.MetadataSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaYamlPlanTest {

    private static ObjectYaml.FieldYaml field(String name, String type, String related) {
        return new ObjectYaml.FieldYaml(name, null, type, null, null, null, null, related, null, null, null, null, null);
    }

    @Test
    void createsObjectsBeforeTheRelationsBetweenThem() {
        List<ObjectYaml> documents = List.of(
                new ObjectYaml("orders", "Order", "Orders", null,
                        List.of(field("Customer", "relation", "customers"), field("Total", "number", null))),
                new ObjectYaml("customers", "Customer", "Customers", null, List.of(field("Name", "text", null))));

        List<SchemaChange> plan = SchemaYamlLoader.plan(MetadataSnapshot.empty(), documents);

        assertThat(plan).hasSize(3);
        assertThat(plan.get(0)).isInstanceOfSatisfying(SchemaChange.CreateObject.class,
                c -> assertThat(c.fields()).extracting(FieldSpec::label).containsExactly("Total"));
        assertThat(plan.get(1)).isInstanceOf(SchemaChange.CreateObject.class);
        assertThat(plan.get(2)).isInstanceOfSatisfying(SchemaChange.AddField.class,
                a -> assertThat(a.field().relatedObject()).isEqualTo("customers"));
    }
}
