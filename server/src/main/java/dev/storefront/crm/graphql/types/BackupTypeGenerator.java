package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.storage.DuckDb;
import graphql.Scalars;
import graphql.schema.GraphQLObjectType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** {@code backup}: a consistent copy of the database in the {@code backups/} folder beside it (admins). */
public final class BackupTypeGenerator {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final DuckDb db;
    private final Path folder;

    public BackupTypeGenerator(DuckDb db, Path databaseFile) {
        this.db = db;
        this.folder = databaseFile.toAbsolutePath().getParent().resolve("backups");
    }

    public void generate(SchemaBuild build) {
        build.add(GraphQLObjectType.newObject().name("Backup")
                .field(newFieldDefinition().name("file").type(nonNull(Scalars.GraphQLString))
                        .description("Start a server on it with --crm.database=<file>"))
                .field(newFieldDefinition().name("bytes").type(nonNull(Scalars.GraphQLFloat)))
                .field(newFieldDefinition().name("at").type(nonNull(CrmScalars.DATE_TIME))).build());
        build.mutation(newFieldDefinition().name("backup")
                .description("Writes a consistent copy of the database to backups/ beside it; writes wait meanwhile")
                .type(nonNull(typeRef("Backup"))).build(), env -> {
                    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
                    Path target = folder.resolve("crm-" + STAMP.format(at) + ".duckdb");
                    db.backup(target);
                    try {
                        return Map.of("file", target.toString(), "bytes", (double) Files.size(target), "at", at);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
