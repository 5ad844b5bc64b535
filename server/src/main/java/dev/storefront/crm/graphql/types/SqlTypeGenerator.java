package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.storage.ReadOnlySql;
import graphql.Scalars;
import graphql.schema.GraphQLObjectType;
import java.time.Instant;

/** {@code sql(query:)}: the read-only SQL console, for admins. */
public final class SqlTypeGenerator {

    /** The moment the SQL console time of one request runs out, kept in its GraphQL context. */
    private static final String DEADLINE = "crm.sql.deadline";

    private final ReadOnlySql sql;
    private final ReadOnlySql.Limits limits;

    public SqlTypeGenerator(ReadOnlySql sql, ReadOnlySql.Limits limits) {
        this.sql = sql;
        this.limits = limits;
    }

    public void generate(SchemaBuild build) {
        build.add(GraphQLObjectType.newObject().name("SqlColumn")
                .field(newFieldDefinition().name("name").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("type").type(nonNull(Scalars.GraphQLString))).build());
        build.add(GraphQLObjectType.newObject().name("SqlResult")
                .field(newFieldDefinition().name("columns").type(nonNull(list(nonNull(typeRef("SqlColumn"))))))
                .field(newFieldDefinition().name("rows").type(nonNull(list(nonNull(list(JsonScalar.JSON))))))
                .field(newFieldDefinition().name("truncated").type(nonNull(Scalars.GraphQLBoolean))
                        .description("True when more rows matched than are returned")).build());
        build.query(newFieldDefinition().name("sql")
                .description("Runs one read-only SELECT over the CRM's tables (admins). Files, ATTACH, writes and settings are refused")
                .argument(newArgument().name("query").type(nonNull(Scalars.GraphQLString)))
                .type(nonNull(typeRef("SqlResult"))).build(),
                // One deadline per request, whatever the number of aliases: a timeout per alias let one
                // request of 1,000 aliases hold the database for hours.
                env -> sql.run(env.getArgument("query"), limits, env.getGraphQlContext()
                        .computeIfAbsent(DEADLINE, key -> Instant.now().plus(limits.timeout()))));
    }
}
