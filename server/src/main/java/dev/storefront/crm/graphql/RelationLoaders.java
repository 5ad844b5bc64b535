package dev.storefront.crm.graphql;

import dev.storefront.crm.graphql.loaders.EntryLoaders;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Gives a request the relation DataLoaders only when its operation reaches a field that reads
 * through them ({@link EntryLoaders.Batched}). With a DataLoader registry graphql-java runs its
 * per-level dispatch over every object and field of the answer; with none (a point read, a page, an
 * aggregate) it runs its no-op dispatch, and no loaders are made for the request.
 *
 * <p>Decided once per parsed operation: the document cache hands every request of one text the
 * same operation, and a schema's operations go with its cache. The walk follows fragments and
 * counts a field under an interface if any implementation reads it through the loaders; it
 * ignores {@code @skip}/{@code @include}, so at worst a request gets loaders it does not use.
 */
final class RelationLoaders implements Instrumentation {

    private final EntryLoaders loaders;
    private final Map<OperationDefinition, Boolean> reaching = Collections.synchronizedMap(new WeakHashMap<>());

    RelationLoaders(EntryLoaders loaders) {
        this.loaders = loaders;
    }

    @Override
    public ExecutionContext instrumentExecutionContext(ExecutionContext context, InstrumentationExecutionParameters parameters,
                                                       InstrumentationState state) {
        boolean batched = reaching.computeIfAbsent(context.getOperationDefinition(),
                operation -> new Walk(context.getGraphQLSchema(), context.getFragmentsByName())
                        .reaches(root(context.getGraphQLSchema(), operation), operation.getSelectionSet()));
        return batched ? context.transform(builder -> builder.dataLoaderRegistry(loaders.registry())) : context;
    }

    private static GraphQLObjectType root(GraphQLSchema schema, OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case QUERY -> schema.getQueryType();
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
        };
    }

    private record Walk(GraphQLSchema schema, Map<String, FragmentDefinition> fragments, Set<String> spread) {

        Walk(GraphQLSchema schema, Map<String, FragmentDefinition> fragments) {
            this(schema, fragments, new HashSet<>());
        }

        boolean reaches(GraphQLCompositeType parent, SelectionSet set) {
            if (parent == null || set == null) {
                return false;
            }
            for (Selection<?> selection : set.getSelections()) {
                boolean reached = selection instanceof Field field ? field(parent, field)
                        : selection instanceof InlineFragment inline ? reaches(condition(parent, inline), inline.getSelectionSet())
                        : selection instanceof FragmentSpread named && spread.add(named.getName()) && fragment(named.getName());
                if (reached) {
                    return true;
                }
            }
            return false;
        }

        private boolean field(GraphQLCompositeType parent, Field field) {
            // A union has no fields of its own but __typename, which no loader reads.
            if (!(parent instanceof GraphQLFieldsContainer container) || container.getFieldDefinition(field.getName()) == null) {
                return false;
            }
            List<GraphQLObjectType> objects = container instanceof GraphQLObjectType object ? List.of(object)
                    : schema.getImplementations((GraphQLInterfaceType) container);
            for (GraphQLObjectType object : objects) {
                GraphQLFieldDefinition definition = object.getFieldDefinition(field.getName());
                if (definition != null && schema.getCodeRegistry().getDataFetcher(object, definition) instanceof EntryLoaders.Batched<?>) {
                    return true;
                }
            }
            return GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(field.getName()).getType()) instanceof GraphQLCompositeType inner
                    && reaches(inner, field.getSelectionSet());
        }

        private GraphQLCompositeType condition(GraphQLCompositeType parent, InlineFragment inline) {
            return inline.getTypeCondition() == null ? parent
                    : schema.getType(inline.getTypeCondition().getName()) instanceof GraphQLCompositeType type ? type : null;
        }

        private boolean fragment(String name) {
            FragmentDefinition definition = fragments.get(name);
            return definition != null && schema.getType(definition.getTypeCondition().getName()) instanceof GraphQLCompositeType type
                    && reaches(type, definition.getSelectionSet());
        }
    }
}
