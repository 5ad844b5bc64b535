package dev.storefront.crm.graphql;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.graphql.execution.ErrorType;

/**
 * The {@code graphql.request} timer, named and tagged as Spring for GraphQL's observation tags it
 * ({@code graphql.outcome}: SUCCESS, REQUEST_ERROR or INTERNAL_ERROR; {@code graphql.operation.type}:
 * query, mutation, or "operation" when the document never ran; {@code error}), recorded straight into
 * the registry, one timer per tag set looked up once. Spring's observation of each request (a context,
 * the observation predicates and handlers, a long-task timer, tags rebuilt and the meter looked up by
 * them on every request, and a wrapper around every data fetcher even with their timers off) cost
 * more than the point read's own fetcher (bench/NOTES.md, eleventh session).
 */
final class GraphQlRequestTimer implements Instrumentation {

    private static final String NAME = "graphql.request";
    /** The operation type of a request that failed before an operation was chosen, as Spring tags it. */
    private static final String NO_OPERATION = "operation";
    private static final String TYPE = GraphQlRequestTimer.class.getName() + ".type";

    private record Tags(String outcome, String operationType, String error) {
    }

    private final MeterRegistry registry;
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();

    GraphQlRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
                                                                 InstrumentationState state) {
        long started = System.nanoTime();
        return SimpleInstrumentationContext.whenCompleted((result, error) -> {
            String type = parameters.getGraphQLContext().getOrDefault(TYPE, NO_OPERATION);
            timer(new Tags(outcome(result, error), type, error == null ? "none" : error.getClass().getSimpleName()))
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                        InstrumentationState state) {
        parameters.getExecutionContext().getGraphQLContext().put(TYPE,
                parameters.getExecutionContext().getOperationDefinition().getOperation().name().toLowerCase(Locale.ROOT));
        return SimpleInstrumentationContext.noOp();
    }

    private static String outcome(ExecutionResult result, Throwable error) {
        if (error != null || result == null) {
            return "INTERNAL_ERROR";
        }
        if (result.getErrors().isEmpty()) {
            return "SUCCESS";
        }
        return result.getErrors().stream().anyMatch(e -> ErrorType.INTERNAL_ERROR.equals(e.getErrorType()))
                ? "INTERNAL_ERROR" : "REQUEST_ERROR";
    }

    private Timer timer(Tags tags) {
        return timers.computeIfAbsent(tags, t -> Timer.builder(NAME).tag("graphql.outcome", t.outcome())
                .tag("graphql.operation.type", t.operationType()).tag("error", t.error()).register(registry));
    }
}
