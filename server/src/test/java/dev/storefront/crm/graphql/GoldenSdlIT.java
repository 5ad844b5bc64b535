package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaPrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GraphQL the generators make for a small model, as SDL, against a golden file: two objects,
 * {@code authors} and {@code notes} (text, required unique code, enum, tags, number, date, a
 * relation to authors). Every type an object claims in {@link TypeNames#claims} is printed, then
 * its root fields; a change to any generated name or shape shows here line by line.
 */
class GoldenSdlIT {

    private static final String GOLDEN = "/golden/notes.graphqls";

    @TempDir
    Path folder;

    @Test
    void theSmallModelsSchemaIsTheGoldenOne() throws IOException {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(List.of(
                    new SchemaChange.CreateObject("authors", "Author", "Authors", null, List.of(field("Name", FieldKind.TEXT))),
                    new SchemaChange.CreateObject("notes", "Note", "Notes", "What was said, and by whom", List.of(
                            new FieldSpec("Code", null, FieldKind.TEXT, true, true, null, null, null, null),
                            field("Body", FieldKind.RICHTEXT),
                            new FieldSpec("Mood", null, FieldKind.ENUM, false, false, "Calm", List.of("Calm", "Very Upset"),
                                    null, null),
                            field("Tags", FieldKind.TAGS),
                            field("Weight", FieldKind.NUMBER),
                            field("Due On", FieldKind.DATE),
                            new FieldSpec("Author", null, FieldKind.RELATION, false, false, null, null, "authors", null)))));
            GraphQLSchema schema = parts.graphQl.schema();
            String sdl = parts.schema.current().objects().stream().map(object -> sdlOf(schema, object))
                    .collect(Collectors.joining("\n"));

            String golden = new String(Objects.requireNonNull(GoldenSdlIT.class.getResourceAsStream(GOLDEN),
                    "missing " + GOLDEN).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sdl).isEqualTo(golden);
        }
    }

    private static FieldSpec field(String label, FieldKind kind) {
        return new FieldSpec(label, null, kind, false, false, null, null, null, null);
    }

    /** The object's types in name order, then its query and mutation fields. */
    private static String sdlOf(GraphQLSchema schema, ObjectDef object) {
        SchemaPrinter printer = new SchemaPrinter();
        StringBuilder out = new StringBuilder("# object ").append(object.apiName()).append("\n\n");
        TypeNames.claims(object).keySet().stream().filter(name -> !name.contains(".")).sorted()
                .map(schema::getType).filter(Objects::nonNull)
                .forEach(type -> out.append(printer.print((GraphQLNamedType) type)));
        for (GraphQLObjectType root : List.of(schema.getQueryType(), schema.getMutationType())) {
            TypeNames.claims(object).keySet().stream().filter(name -> name.startsWith(root.getName() + ".")).sorted()
                    .map(name -> root.getFieldDefinition(name.substring(root.getName().length() + 1)))
                    .filter(Objects::nonNull)
                    .forEach(field -> out.append(root.getName()).append('.').append(signature(field)).append('\n'));
        }
        return out.toString();
    }

    private static String signature(GraphQLFieldDefinition field) {
        String arguments = field.getArguments().stream()
                .map(a -> a.getName() + ": " + GraphQLTypeUtil.simplePrint(a.getType()) + defaultOf(a))
                .collect(Collectors.joining(", "));
        return field.getName() + (arguments.isEmpty() ? "" : "(" + arguments + ")") + ": " + GraphQLTypeUtil.simplePrint(field.getType());
    }

    private static String defaultOf(GraphQLArgument argument) {
        return argument.hasSetDefaultValue() ? " = " + argument.getArgumentDefaultValue().getValue() : "";
    }
}
