package dev.storefront.crm.graphql;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLDirective;
import java.util.List;
import java.util.Set;

/**
 * Leaves {@code @defer} (and graphql-java's experimental error-propagation switch) out of
 * introspection. graphql-java adds them to every schema, but a response here is never delivered
 * incrementally, so a client reading the schema must not be told otherwise.
 */
final class UnhonouredDirectives implements Instrumentation {

    static final Set<String> NAMES = Set.of("defer", "experimental_disableErrorPropagation");

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        var step = parameters.getExecutionStepInfo();
        if (!step.getObjectType().getName().equals("__Schema") || !step.getFieldDefinition().getName().equals("directives")) {
            return fetcher;
        }
        return env -> {
            @SuppressWarnings("unchecked")
            List<GraphQLDirective> directives = (List<GraphQLDirective>) fetcher.get(env);
            return directives.stream().filter(d -> !NAMES.contains(d.getName())).toList();
        };
    }
}
