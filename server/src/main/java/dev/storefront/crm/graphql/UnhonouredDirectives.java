package dev.storefront.crm.graphql;

import graphql.ErrorType;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.introspection.IntrospectionDataFetcher;
import graphql.language.Directive;
import graphql.language.Node;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLDirective;
import graphql.validation.ValidationError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers are never delivered incrementally, so {@code @defer} and {@code @stream} are neither
 * advertised nor accepted. graphql-java adds {@code @defer} (and its experimental
 * error-propagation switch) to every schema: introspection leaves them out, and a document that
 * uses either directive is refused before it runs rather than silently answered whole, which a
 * client waiting for increments would misread.
 */
final class UnhonouredDirectives implements Instrumentation {

    static final Set<String> NAMES = Set.of("defer", "experimental_disableErrorPropagation");
    private static final Set<String> INCREMENTAL = Set.of("defer", "stream");

    @Override
    @SuppressWarnings("rawtypes") // graphql-java's Node.getChildren() answers a raw List<Node>
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        Deque<Node> pending = new ArrayDeque<>(List.of(parameters.getDocument()));
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (node instanceof Directive directive && INCREMENTAL.contains(directive.getName())) {
                throw new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                        .message("@" + directive.getName() + " is not supported: this server sends every answer whole."
                                + " Remove @" + directive.getName() + " from the query")
                        .location(directive.getSourceLocation()).errorType(ErrorType.ValidationError)
                        .extensions(Map.of("code", ErrorCodes.VALIDATION_FAILED)).build()));
            }
            pending.addAll(node.getChildren());
        }
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        // Only introspection's own fetchers can answer __Schema.directives. Asking any other fetch for its field would build
        // the environment and step info graphql-java spares a light fetcher, on every field of a large answer.
        if (!(fetcher instanceof IntrospectionDataFetcher) || !parameters.getField().getName().equals("directives")
                || !parameters.getExecutionStepInfo().getObjectType().getName().equals("__Schema")) {
            return fetcher;
        }
        return env -> {
            @SuppressWarnings("unchecked")
            List<GraphQLDirective> directives = (List<GraphQLDirective>) fetcher.get(env);
            return directives.stream().filter(d -> !NAMES.contains(d.getName())).toList();
        };
    }
}
