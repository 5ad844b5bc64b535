package dev.storefront.crm.graphql;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.storage.Cancellation;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import graphql.validation.ValidationError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Refuses a query that is too deep, has too many fields or could produce too many values (see
 * {@link QuerySize}) before it is validated (graphql-java's validation itself is slow on fragment
 * bombs) and again before it runs with its variables (a cached document skips validation), and
 * stops a request at its deadline: every data fetcher that starts after it fails at once.
 *
 * @param maxDepth        deepest field nesting
 * @param maxFields       fields with aliases and fragment spreads counted where used
 * @param maxCost         values a query may produce at most
 * @param defaultPageSize items a connection returns when given no {@code first}/{@code last}
 * @param timeout         how long one request may run
 */
record QueryLimits(int maxDepth, long maxFields, long maxCost, int defaultPageSize, Duration timeout) implements Instrumentation {

    private static final String DEADLINE = "crm.request.deadline";

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        Map<String, FragmentDefinition> fragments = parameters.getDocument().getDefinitionsOfType(FragmentDefinition.class)
                .stream().collect(Collectors.toMap(FragmentDefinition::getName, f -> f, (a, b) -> a));
        for (OperationDefinition operation : parameters.getDocument().getDefinitionsOfType(OperationDefinition.class)) {
            check(QuerySize.of(operation.getSelectionSet(), fragments, parameters.getVariables(), defaultPageSize));
        }
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                                 InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        check(QuerySize.of(execution.getOperationDefinition().getSelectionSet(), execution.getFragmentsByName(),
                execution.getCoercedVariables().toMap(), defaultPageSize));
        execution.getGraphQLContext().put(DEADLINE, Instant.now().plus(timeout));
        // A fetcher already running at the deadline is stopped inside the database, not left to finish.
        Cancellation.deadlineAfter(timeout);
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (parameters.isTrivialDataFetcher()) {
            return fetcher;
        }
        return env -> {
            Instant deadline = env.getGraphQlContext().get(DEADLINE);
            if (deadline != null && Instant.now().isAfter(deadline)) {
                throw new CrmException(ErrorCode.VALIDATION, "The request ran longer than " + timeout.toSeconds()
                        + " s and was stopped (crm.graphql.request-timeout)");
            }
            return fetcher.get(env);
        };
    }

    private void check(QuerySize size) {
        if (size.depth() > maxDepth) {
            throw refusal("The query is nested " + size.depth() + " fields deep; at most " + maxDepth + " are allowed");
        }
        if (size.fields() > maxFields) {
            throw refusal("The query selects " + shown(size.fields()) + " fields (aliases and fragments counted where used); at most "
                    + maxFields + " are allowed");
        }
        if (size.cost() > maxCost) {
            throw refusal("The query could return " + shown(size.cost()) + " values (fields times the page sizes around them); at most "
                    + maxCost + " are allowed: ask for smaller pages (first:) or fewer nested lists");
        }
    }

    private static String shown(long count) {
        return count == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(count);
    }

    private static AbortExecutionException refusal(String message) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().message(message)
                .extensions(Map.of("code", ErrorCode.VALIDATION.name())).build()));
    }
}
