package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.FieldPatch;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import graphql.ExecutionResult;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random model changes with names drawn to collide with each other, with generated type names and
 * with the host's root fields (seed fixed, so a failure repeats). After every step, accepted or
 * refused: the server answers a query over every object, the schema prints and parses back as valid
 * SDL, graphql-java's full (validating) builder makes the same schema of it, nothing is left out of
 * it, and a restart on the same file gives the same model (every field's definition) and schema.
 */
class ModelChangesPropertyIT {

    private static final long SEED = 20261125L;
    private static final int STEPS = 500;
    /** Plural names; several give types or root fields that others (or the host) already use. */
    private static final List<String> OBJECTS = List.of("order_statuses", "jobs", "plugins", "views", "tickets",
            "ticket_edges", "ticket_connections", "ticket_wheres", "entries", "statuses", "items", "item_aggregates");
    /** Field names; several collide with built-in fields or generated type suffixes. */
    private static final List<String> FIELDS = List.of("status", "edge", "connection", "where", "and", "name",
            "create_input", "order_by", "amount", "ticket", "aggregate", "numbers", "tags");
    private static final List<FieldKind> KINDS = List.of(FieldKind.TEXT, FieldKind.INTEGER, FieldKind.NUMBER, FieldKind.ENUM,
            FieldKind.TAGS, FieldKind.BOOLEAN, FieldKind.RELATION, FieldKind.DATE);

    @Test
    void everyStepLeavesAServerThatAnswersAValidSchemaAndRestarts() throws IOException {
        Random random = new Random(SEED);
        Path folder = memoryBackedFolder();
        Path file = folder.resolve("crm.duckdb");
        int accepted = 0;
        ModelParts parts = new ModelParts(file);
        try {
            for (int step = 0; step < STEPS; step++) {
                SchemaChange change = randomChange(random, parts.schema.current());
                try {
                    parts.schema.apply(change);
                    accepted++;
                } catch (CrmException refused) {
                    assertThat(refused.getMessage()).as("step %d: %s", step, change).doesNotContain("Exception");
                }
                String before = answer(parts, step, change);
                List<ObjectDef> model = parts.schema.current().objects();
                parts.close();
                parts = new ModelParts(file);
                // Only the metadata rows a change alters are written again: the stored model must still be the whole model.
                assertThat(parts.schema.current().objects()).as("model after restart, step %d: %s", step, change).isEqualTo(model);
                assertThat(answer(parts, step, change)).as("step %d after restart: %s", step, change).isEqualTo(before);
                String sdl = new SchemaPrinter().print(parts.graphQl.schema());
                UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
                assertSameAsFullBuild(parts.graphQl.schema(), step, change);
            }
        } finally {
            parts.close();
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        System.out.printf("%d steps, %d changes accepted%n", STEPS, accepted);
        assertThat(accepted).as("changes accepted (the seed is fixed)").isBetween(STEPS / 4, STEPS - STEPS / 10);
    }

    /**
     * The served schema is put together from its type map without a walk or validation
     * ({@code GraphQLSchema.FastBuilder}): graphql-java's full builder, given the same types, must
     * validate them and find the same types (none used but left out of the map) and the same SDL.
     */
    private static void assertSameAsFullBuild(GraphQLSchema served, int step, SchemaChange change) {
        GraphQLSchema full = GraphQLSchema.newSchema(served).build();
        assertThat(served.getAllTypesAsList().stream().map(GraphQLNamedType::getName).toList())
                .as("types after step %d: %s", step, change)
                .isEqualTo(full.getAllTypesAsList().stream().map(GraphQLNamedType::getName).toList());
        assertThat(new SchemaPrinter().print(served)).as("SDL after step %d: %s", step, change)
                .isEqualTo(new SchemaPrinter().print(full));
    }

    /**
     * Asserts that nothing is left out and every object answers; returns the model and the schema as
     * text, to compare across a restart.
     */
    private static String answer(ModelParts parts, int step, SchemaChange change) {
        MetadataSnapshot model = parts.schema.current();
        assertThat(parts.graphQl.leftOut()).as("left out after step %d: %s", step, change).isEmpty();
        StringBuilder query = new StringBuilder("{ objects { apiName fields { apiName } }");
        for (ObjectDef object : model.objects()) {
            query.append(' ').append(TypeNames.findMany(object)).append("(first: 1) { totalCount }");
        }
        ExecutionResult result = parts.execute(query.append(" }").toString());
        assertThat(result.getErrors()).as("errors after step %d: %s", step, change).isEmpty();
        Map<String, List<String>> fields = new TreeMap<>();
        model.objects().forEach(o -> fields.put(o.apiName(), o.fields().stream().map(FieldDef::apiName).toList()));
        return fields + "\n" + new SchemaPrinter().print(parts.graphQl.schema());
    }

    /**
     * A real database file, in memory-backed /dev/shm where there is one: the 1,000 opens, closes and
     * checkpoints then wait for no disk on a machine shared by busy builds.
     */
    private static Path memoryBackedFolder() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "crm-property") : TestFolders.create("crm-property");
    }

    private static SchemaChange randomChange(Random random, MetadataSnapshot model) {
        List<ObjectDef> objects = model.objects();
        int pick = objects.isEmpty() ? 0 : random.nextInt(10);
        if (pick <= 2) {
            String name = pickOf(random, OBJECTS);
            String singular = name.endsWith("ses") ? name.substring(0, name.length() - 2) : name.substring(0, name.length() - 1);
            List<FieldSpec> fields = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                fields.add(randomField(random, model));
            }
            return new SchemaChange.CreateObject(name, label(singular), label(name), null, fields);
        }
        ObjectDef object = pickOf(random, objects);
        if (pick <= 5 || object.fields().isEmpty()) {
            return new SchemaChange.AddField(object.apiName(), randomField(random, model));
        }
        FieldDef field = pickOf(random, object.fields());
        if (pick <= 7) {
            FieldPatch patch = random.nextBoolean()
                    ? new FieldPatch(null, pickOf(random, FIELDS), null, null, null, null, false, null, null)
                    : new FieldPatch(null, null, null, null, random.nextBoolean(), null, false, null, null);
            return new SchemaChange.UpdateField(object.apiName(), field.apiName(), patch);
        }
        if (pick == 8) {
            return new SchemaChange.DeleteField(object.apiName(), field.apiName(), true);
        }
        return new SchemaChange.DeleteObject(object.apiName(), true);
    }

    private static FieldSpec randomField(Random random, MetadataSnapshot model) {
        String name = pickOf(random, FIELDS);
        FieldKind kind = pickOf(random, KINDS);
        List<String> options = kind == FieldKind.ENUM ? List.of("Open", "Closed") : List.of();
        String target = kind == FieldKind.RELATION && !model.objects().isEmpty() ? pickOf(random, model.objects()).apiName() : null;
        return new FieldSpec(label(name), name, kind == FieldKind.RELATION && target == null ? FieldKind.TEXT : kind, false,
                false, null, options, target, null);
    }

    private static String label(String snake) {
        return snake.replace('_', ' ');
    }

    private static <T> T pickOf(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
