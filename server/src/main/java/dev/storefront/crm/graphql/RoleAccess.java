package dev.storefront.crm.graphql;

import dev.storefront.crm.security.PluginOperations;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.security.Role;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks, before anything runs, that the request's key may use every root field of the operation:
 * reading needs viewer; writing entries and saved views needs editor; everything else (the model,
 * the SQL console, plugins and jobs, keys, the audit log, plugins' own mutations) needs admin.
 * Introspection needs viewer, or admin when {@code crm.security.introspection} is {@code admin}.
 * A key scoped to one plugin may, within its role, call only the root fields that plugin contributed.
 * A key of a custom role runs on that role's own schema ({@link RoleSchema}), which holds only what
 * the role grants, so only introspection is left to check here.
 */
final class RoleAccess implements Instrumentation {

    private static final Set<String> ADMIN_QUERIES = Set.of("sql", "apiKeys", "auditLog", "roles");
    private static final Set<String> INTROSPECTION = Set.of("__schema", "__type");
    private static final Set<String> VIEW_MUTATIONS = Set.of("createView", "updateView", "deleteView", "moveEntry");

    private final EntryMutations entryMutations;
    private final Role introspection;
    private final Supplier<PluginOperations> plugins;

    /** @param plugins which plugin contributed which root field; it gives null when no plugin host runs */
    RoleAccess(EntryMutations entryMutations, Role introspection, Supplier<PluginOperations> plugins) {
        this.entryMutations = entryMutations;
        this.introspection = introspection;
        this.plugins = plugins;
    }

    @Override
    public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                                 InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        Principal principal = execution.getGraphQLContext().get(Principal.ATTRIBUTE);
        if (principal == null) {
            throw refusal("UNAUTHENTICATED", "Send an API key: Authorization: Bearer <key>");
        }
        OperationDefinition operation = execution.getOperationDefinition();
        boolean mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
        for (String field : rootFields(operation.getSelectionSet(), execution.getFragmentsByName())) {
            Role needed = mutation ? forMutation(field) : forQuery(field);
            if (principal.role() == Role.CUSTOM && (needed != Role.ADMIN || !INTROSPECTION.contains(field))) {
                continue;
            }
            if (!principal.role().includes(needed)) {
                throw refusal("FORBIDDEN", "The " + principal.role().label() + " role cannot use " + field + "; it needs " + needed.label());
            }
            if (principal.plugin() != null && !field.equals("__typename") && !ownedBy(principal.plugin(), mutation, field)) {
                throw refusal("FORBIDDEN", "The key '" + principal.keyName() + "' may only call the operations of plugin "
                        + principal.plugin() + "; " + field + " is not one of them");
            }
        }
        return SimpleInstrumentationContext.noOp();
    }

    private boolean ownedBy(String plugin, boolean mutation, String field) {
        PluginOperations operations = plugins.get();
        return operations != null && operations.pluginOf((mutation ? "Mutation." : "Query.") + field).filter(plugin::equals).isPresent();
    }

    private Role forQuery(String field) {
        if (INTROSPECTION.contains(field)) {
            return introspection;
        }
        return ADMIN_QUERIES.contains(field) ? Role.ADMIN : Role.VIEWER;
    }

    private Role forMutation(String field) {
        return VIEW_MUTATIONS.contains(field) || entryMutations.object(field) != null ? Role.EDITOR : Role.ADMIN;
    }

    private static List<String> rootFields(SelectionSet set, Map<String, FragmentDefinition> fragments) {
        List<String> names = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                names.add(field.getName());
            } else if (selection instanceof InlineFragment inline) {
                names.addAll(rootFields(inline.getSelectionSet(), fragments));
            } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                names.addAll(rootFields(fragments.get(spread.getName()).getSelectionSet(), fragments));
            }
        }
        return names;
    }

    private static AbortExecutionException refusal(String code, String message) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().message(message)
                .extensions(Map.of("code", code)).build()));
    }
}
