package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import dev.storefront.crm.security.CustomRole;
import dev.storefront.crm.security.CustomRole.ObjectGrant;
import dev.storefront.crm.security.CustomRole.Operation;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom role's schema derived from the full one, for a small model: {@code authors} (name, email)
 * and {@code notes} (code, body, mood, weight, author). Members of every kind of derived type are
 * checked by name; the end-to-end behaviour over HTTP is CustomRolesE2EIT's.
 */
class RoleSchemaIT {

    @TempDir
    Path folder;

    private static final CustomRole EDITOR_OF_MOODS = new CustomRole("moods", Map.of(
            "notes", new ObjectGrant(Set.of(Operation.READ, Operation.UPDATE), Set.of("code", "mood", "author"), Set.of("mood")),
            "authors", new ObjectGrant(Set.of(Operation.READ), Set.of("name"), Set.of())), false);

    @Test
    void theRoleSeesOnlyWhatItReadsAndSetsOnlyWhatItWrites() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(List.of(
                    new SchemaChange.CreateObject("authors", "Author", "Authors", null, List.of(field("Name", FieldKind.TEXT),
                            field("Email", FieldKind.EMAIL))),
                    new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(
                            new FieldSpec("Code", null, FieldKind.TEXT, true, true, null, null, null, null),
                            field("Body", FieldKind.TEXT),
                            new FieldSpec("Mood", null, FieldKind.ENUM, false, false, null, List.of("Calm", "Upset"), null, null),
                            field("Weight", FieldKind.NUMBER),
                            new FieldSpec("Author", null, FieldKind.RELATION, false, false, null, null, "authors", null)))));
            GraphQLSchema role = RoleSchema.restrict(parts.graphQl.schema(), parts.schema.current(), EDITOR_OF_MOODS);

            assertThat(members(role, "Query")).containsExactly("author", "authors", "authorsAggregate", "note", "notes", "notesAggregate");
            assertThat(members(role, "Mutation")).containsExactly("updateNote");
            assertThat(members(role, "Note")).containsExactly("author", "authorId", "code", "createdAt", "id", "mood", "updatedAt");
            assertThat(members(role, "Author")).containsExactly("createdAt", "id", "name", "notes", "updatedAt");
            assertThat(members(role, "NoteWhere")).containsExactly("and", "author", "authorId", "code", "createdAt", "id", "mood", "not",
                    "or", "updatedAt");
            assertThat(members(role, "NoteSortField")).containsExactly("AUTHOR", "CODE", "CREATED_AT", "ID", "MOOD", "UPDATED_AT");
            assertThat(members(role, "NoteGroupField")).containsExactly("AUTHOR", "CODE", "CREATED_AT", "MOOD", "UPDATED_AT");
            assertThat(members(role, "NoteAggregateKey")).containsExactly("authorId", "code", "createdAt", "mood", "updatedAt");
            assertThat(members(role, "NoteAggregate")).containsExactly("count", "key");
            assertThat(members(role, "NoteUpdateInput")).containsExactly("mood");
            assertThat(members(role, "NoteMood")).containsExactly("CALM", "UPSET");
            for (String gone : List.of("NoteNumbers", "NoteCreateInput", "NoteIncrementInput", "NoteUniqueField", "AuthorUpdateInput", "SqlResult", "ApiKey")) {
                assertThat(role.getType(gone)).as(gone).isNull();
            }
        }
    }

    private static List<String> members(GraphQLSchema schema, String name) {
        GraphQLNamedType type = (GraphQLNamedType) schema.getType(name);
        assertThat(type).as(name).isNotNull();
        List<String> names;
        if (type instanceof GraphQLFieldsContainer fields) {
            names = fields.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList();
        } else if (type instanceof GraphQLInputObjectType input) {
            names = input.getFieldDefinitions().stream().map(GraphQLInputObjectField::getName).toList();
        } else {
            names = ((GraphQLEnumType) type).getValues().stream().map(GraphQLEnumValueDefinition::getName).toList();
        }
        return names.stream().sorted().toList();
    }

    private static FieldSpec field(String label, FieldKind kind) {
        return new FieldSpec(label, null, kind, false, false, null, null, null, null);
    }
}
