package dev.storefront.crm.graphql;

import dev.storefront.crm.metadata.GlobalIds;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.security.AuditLog;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.storage.Entry;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Writes one audit row for each root mutation that succeeded: the key, the mutation, the object
 * (of an entry mutation, or the {@code object} argument of a model change), the entry id and the
 * fields it set.
 */
final class AuditTrail implements Instrumentation {

    private final AuditLog log;
    private final EntryMutations entryMutations;

    AuditTrail(AuditLog log, EntryMutations entryMutations) {
        this.log = log;
        this.entryMutations = entryMutations;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (!parameters.getExecutionStepInfo().getPath().getParent().isRootPath()
                || !"Mutation".equals(parameters.getExecutionStepInfo().getObjectType().getName())) {
            return fetcher;
        }
        return env -> {
            Object result = fetcher.get(env);
            if (result instanceof CompletionStage<?> pending) {
                return pending.thenApply(done -> {
                    record(env, done);
                    return done;
                });
            }
            record(env, result);
            return result;
        };
    }

    private void record(DataFetchingEnvironment env, Object result) {
        Principal who = env.getGraphQlContext().get(Principal.ATTRIBUTE);
        if (who == null) {
            return;
        }
        String action = env.getField().getName();
        ObjectDef object = entryMutations.object(action);
        String objectName = object != null ? object.apiName() : env.getArgument("object") instanceof String s ? s : null;
        Object id = env.getArgument("id");
        if (id == null && result instanceof Entry entry) {
            id = GlobalIds.encode(entry.object(), entry.id());
        }
        log.record(who, action, objectName, id == null ? null : id.toString(), fieldsSet(env.getArguments()));
    }

    /** The keys of {@code input}, or of every one of {@code inputs}. */
    private static List<String> fieldsSet(Map<String, Object> arguments) {
        Set<String> fields = new LinkedHashSet<>();
        if (arguments.get("input") instanceof Map<?, ?> input) {
            input.keySet().forEach(k -> fields.add(k.toString()));
        }
        if (arguments.get("inputs") instanceof Collection<?> inputs) {
            inputs.stream().filter(Map.class::isInstance).forEach(i -> ((Map<?, ?>) i).keySet().forEach(k -> fields.add(k.toString())));
        }
        return new ArrayList<>(fields);
    }
}
