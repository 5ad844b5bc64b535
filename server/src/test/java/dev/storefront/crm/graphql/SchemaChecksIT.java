package dev.storefront.crm.graphql;

import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLObjectType.newObject;
import static graphql.schema.GraphQLTypeReference.typeRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.SchemaBuild;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import graphql.Scalars;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema is served without graphql-java's validation, so what that validation would refuse
 * and the claimed names cannot rule out is checked when a change's schema is built. Each case is a
 * contribution that breaks the schema once object {@code gadgets} exists: creating the object is
 * refused with a VALIDATION error naming the problem, the schema in force stays, and nothing is
 * written (after a restart without the contribution the object can be created, so no table of it
 * was left behind).
 */
class SchemaChecksIT {

    @TempDir
    Path folder;

    @Test
    void aReferenceToATypeNothingDefinesIsRefused() {
        refusedOnceGadgetsExist(build -> build.query(newFieldDefinition().name("gadgetReport").type(typeRef("GadgetReport"))
                        .build(), env -> null),
                "This change cannot be made: in the GraphQL API, type Query would use type GadgetReport, which nothing defines");
    }

    @Test
    void aTypeWithoutFieldsIsRefused() {
        refusedOnceGadgetsExist(build -> build.add(newObject().name("GadgetStats").build()),
                "This change cannot be made: in the GraphQL API, type GadgetStats would have no fields");
    }

    @Test
    void aSecondRootFieldOfOneNameIsRefusedRatherThanDroppedSilently() {
        refusedOnceGadgetsExist(build -> build.query(newFieldDefinition().name("gadgets").type(Scalars.GraphQLInt).build(),
                        env -> 0),
                "This change cannot be made: in the GraphQL API, Query.gadgets would be defined twice");
    }

    @Test
    void aSecondTypeOfOneNameIsRefused() {
        refusedOnceGadgetsExist(build -> build.add(newObject().name("Gadget")
                        .field(newFieldDefinition().name("size").type(Scalars.GraphQLInt)).build()),
                "This change cannot be made: in the GraphQL API, two types would be named Gadget");
    }

    private void refusedOnceGadgetsExist(Consumer<SchemaBuild> breaking, String message) {
        Path file = folder.resolve("crm.duckdb");
        try (ModelParts parts = new ModelParts(file)) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            parts.generator.addContributor(build -> {
                if (build.snapshot().find("gadgets").isPresent()) {
                    breaking.accept(build);
                }
            });
            long version = parts.schema.current().version();

            assertThatThrownBy(() -> parts.schema.apply(gadgets()))
                    .isInstanceOfSatisfying(CrmException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
                    .hasMessage(message);

            assertThat(parts.schema.current().version()).isEqualTo(version);
            assertThat(parts.schema.current().find("gadgets")).isEmpty();
            assertThat(parts.graphQl.schema().getQueryType().getFieldDefinition("gadgets")).isNull();
            assertThat(parts.graphQl.schema().getQueryType().getFieldDefinition("notes")).isNotNull();
        }
        try (ModelParts restarted = new ModelParts(file)) {
            assertThat(restarted.schema.current().find("gadgets")).isEmpty();
            restarted.schema.apply(gadgets());
            assertThat(restarted.execute("{ gadgets { totalCount } }").getData().toString()).isEqualTo("{gadgets={totalCount=0}}");
        }
    }

    private static SchemaChange gadgets() {
        return new SchemaChange.CreateObject("gadgets", "Gadget", "Gadgets", null, List.of(text("Name")));
    }

    private static FieldSpec text(String label) {
        return new FieldSpec(label, null, FieldKind.TEXT, false, false, null, null, null, null);
    }
}
