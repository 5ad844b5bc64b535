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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Writes one audit row for each root mutation that succeeded: the key, the mutation, the object
 * (of an entry mutation, or the {@code object} argument of a model change), the entry id and the
 * fields it set. An entry mutation writes its row in its own transaction, so the two are committed
 * together or not at all; other mutations (model changes, keys, plugins, jobs) take their own locks
 * or run in the background, so their row follows once they succeeded.
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
            Principal who = env.getGraphQlContext().get(Principal.ATTRIBUTE);
            if (who == null) {
                return fetcher.get(env);
            }
            String action = env.getField().getName();
            ObjectDef object = entryMutations.object(action);
            List<String> fields = fieldsSet(env.getArguments());
            if (object != null) {
                return log.recordWith(who, action, object.apiName(), fields, () -> fetch(fetcher, env), result -> entryId(env, result));
            }
            String objectName = env.getArgument("object") instanceof String s ? s : null;
            Object result = fetcher.get(env);
            if (result instanceof CompletionStage<?> pending) {
                return pending.thenApply(done -> {
                    log.record(who, action, objectName, entryId(env, done), fields);
                    return done;
                });
            }
            log.record(who, action, objectName, entryId(env, result), fields);
            return result;
        };
    }

    private static Object fetch(DataFetcher<?> fetcher, DataFetchingEnvironment env) {
        try {
            return fetcher.get(env);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** The {@code id} argument, or the id of the one entry the mutation returned. */
    private static String entryId(DataFetchingEnvironment env, Object result) {
        Object id = env.getArgument("id");
        if (id == null && result instanceof Entry entry) {
            id = GlobalIds.encode(entry.object(), entry.id());
        }
        return id == null ? null : id.toString();
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
