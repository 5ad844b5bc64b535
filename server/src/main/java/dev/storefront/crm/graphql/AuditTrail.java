package dev.storefront.crm.graphql;

import dev.storefront.crm.metadata.GlobalIds;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.security.AuditLog;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.storage.Entry;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
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
 * (of an entry mutation, or the {@code object} argument of a model change), the entry id (or the
 * role, job or backup file it changed) and the fields it set. The row of an entry, key, role or job
 * mutation is written in the mutation's own transaction: a job's queued row commits with it, and the
 * job's worker, whose first write waits for the write lock, cannot record the job running before. A
 * cancel's row follows the cancel instead: a CSV import's first chunk holds the write lock until the
 * file is read to its end, so a cancel that took the lock first waited for the whole read.
 * A backup's row commits under the backup's own hold of the write lock, right after the copy, so it
 * is not in the copy and exists only for a copy that was written. A model change's row is written in
 * the transaction that commits the model (which may carry other callers' changes too). So change and
 * row are committed together or not at all. Plugins keep their started and enabled state outside the
 * database, so the rows of plugin mutations (and of plugins' own mutations) follow once they succeeded.
 */
final class AuditTrail implements Instrumentation {

    /** Mutations that write only through the database, on the calling thread, taking no other lock first. */
    private static final Set<String> IN_ONE_TRANSACTION = Set.of("createApiKey", "revokeApiKey", "createRole", "updateRole",
            "deleteRole", "runJob", "resumeImport", "backup");
    /** Mutations of a custom role, whose row names the role where an entry mutation's names the entry. */
    private static final Set<String> ROLE_CHANGES = Set.of("createRole", "updateRole", "deleteRole");
    /** Mutations that change the model, through {@link SchemaService}. */
    private static final Set<String> MODEL_CHANGES = Set.of("createObject", "deleteObject", "addField", "updateField", "deleteField");

    private final AuditLog log;
    private final EntryMutations entryMutations;
    private final SchemaService schema;

    AuditTrail(AuditLog log, EntryMutations entryMutations, SchemaService schema) {
        this.log = log;
        this.entryMutations = entryMutations;
        this.schema = schema;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (!isMutation(parameters)) {
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
            Object namedId = env.getArgument("id");
            if (object != null && namedId != null) {
                // Its row is known before the change runs, so an update by id can commit with it in one statement.
                return log.recordWith(who, action, object.apiName(), namedId.toString(), fields, () -> fetch(fetcher, env));
            }
            if (object != null) {
                return log.recordWith(who, action, object.apiName(), fields, () -> fetch(fetcher, env), result -> entryId(env, result));
            }
            String objectName = env.getArgument("object") instanceof String s ? s : null;
            if (IN_ONE_TRANSACTION.contains(action)) {
                return log.recordWith(who, action, objectName, fields, () -> fetch(fetcher, env), result -> entryId(env, result));
            }
            if (MODEL_CHANGES.contains(action)) {
                return schema.withAlongside(log.inserting(who, action, objectName, fields), () -> fetch(fetcher, env));
            }
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

    /**
     * Whether the field is a root mutation. A trivial fetcher (an entry's field read from the entry in hand) writes
     * nothing; asking it for its field definition would build the environment and step info that graphql-java spares
     * such a fetcher, on every field of 10,000 created entries. Then the field definition is compared, before the step info.
     */
    private static boolean isMutation(InstrumentationFieldFetchParameters parameters) {
        if (parameters.isTrivialDataFetcher()) {
            return false;
        }
        GraphQLObjectType mutation = parameters.getExecutionContext().getGraphQLSchema().getMutationType();
        GraphQLFieldDefinition field = parameters.getField();
        return mutation != null && mutation.getFieldDefinition(field.getName()) == field
                && parameters.getExecutionStepInfo().getPath().getParent().isRootPath()
                && "Mutation".equals(parameters.getExecutionStepInfo().getObjectType().getName());
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

    /** The {@code id} argument, the id of the one entry the mutation returned, or the name of the role it changed. */
    private static String entryId(DataFetchingEnvironment env, Object result) {
        if (ROLE_CHANGES.contains(env.getField().getName())) {
            return env.getArgument("name") instanceof String name ? name
                    : env.getArgument("input") instanceof Map<?, ?> input ? String.valueOf(input.get("name")) : null;
        }
        Object id = env.getArgument("id");
        if (id == null && result instanceof Entry entry) {
            id = GlobalIds.encode(entry.object(), entry.id());
        }
        if (id == null && result instanceof Map<?, ?> answer) {
            // The job a runJob or resumeImport queued, the file a backup wrote.
            id = answer.get(answer.containsKey("file") ? "file" : "id");
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
