package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.storage.ReadOnlySql;
import graphql.Scalars;
import graphql.schema.GraphQLObjectType;
import java.time.Duration;

/** {@code sql(query:)}: the read-only SQL console, for admins. */
public final class SqlTypeGenerator {

    private final ReadOnlySql sql;
    private final Duration timeout;
    private final int maxRows;

    public SqlTypeGenerator(ReadOnlySql sql, Duration timeout, int maxRows) {
        this.sql = sql;
        this.timeout = timeout;
        this.maxRows = maxRows;
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
                env -> sql.run(env.getArgument("query"), maxRows, timeout));
    }
}
