package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLInputObjectField.newInputObjectField;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.security.ApiKeys;
import dev.storefront.crm.security.AuditLog;
import dev.storefront.crm.security.CustomRole;
import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.security.PluginOperations;
import dev.storefront.crm.security.Role;
import graphql.Scalars;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLObjectType;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * API keys ({@code apiKeys}, {@code createApiKey}, {@code revokeApiKey}), custom roles ({@code roles},
 * {@code createRole}, {@code updateRole}) and the audit log ({@code auditLog}), for admins.
 */
public final class SecurityTypeGenerator {

    /** The most audit rows one query returns. */
    private static final int MAX_AUDIT_ROWS = 1000;

    private final ApiKeys keys;
    private final AuditLog audit;
    private final Supplier<PluginOperations> plugins;
    private final CustomRoles roles;

    /** @param plugins the plugins a key can be scoped to; it gives null when no plugin host runs */
    public SecurityTypeGenerator(ApiKeys keys, CustomRoles roles, AuditLog audit, Supplier<PluginOperations> plugins) {
        this.keys = keys;
        this.roles = roles;
        this.audit = audit;
        this.plugins = plugins;
    }

    public void generate(SchemaBuild build) {
        GraphQLEnumType.Builder roles = GraphQLEnumType.newEnum().name("ApiKeyRole");
        Arrays.stream(Role.values()).forEach(r -> roles.value(r.name(), r));
        build.add(roles.build());
        build.add(GraphQLObjectType.newObject().name("ApiKey").description("A key as listed: its secret is shown only when created")
                .field(newFieldDefinition().name("id").type(nonNull(Scalars.GraphQLID)))
                .field(newFieldDefinition().name("name").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("role").type(nonNull(typeRef("ApiKeyRole"))))
                .field(newFieldDefinition().name("createdAt").type(nonNull(CrmScalars.DATE_TIME)))
                .field(newFieldDefinition().name("expiresAt").type(CrmScalars.DATE_TIME))
                .field(newFieldDefinition().name("revokedAt").type(CrmScalars.DATE_TIME))
                .field(newFieldDefinition().name("plugin").type(Scalars.GraphQLString)
                        .description("The one plugin whose operations the key may call; null: the whole API, as its role allows"))
                .field(newFieldDefinition().name("customRole").type(Scalars.GraphQLString)
                        .description("The custom role of a key of role CUSTOM, else null")).build());
        generateRoles(build);
        build.add(GraphQLObjectType.newObject().name("CreatedApiKey")
                .field(newFieldDefinition().name("key").type(nonNull(typeRef("ApiKey"))))
                .field(newFieldDefinition().name("secret").type(nonNull(Scalars.GraphQLString))
                        .description("Send as 'Authorization: Bearer <secret>'; shown only this once")).build());
        build.add(GraphQLObjectType.newObject().name("AuditEntry").description("One change: who (key), what, when")
                .field(newFieldDefinition().name("at").type(nonNull(CrmScalars.DATE_TIME)))
                .field(newFieldDefinition().name("keyId").type(nonNull(Scalars.GraphQLID)))
                .field(newFieldDefinition().name("keyName").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("action").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("object").type(Scalars.GraphQLString))
                .field(newFieldDefinition().name("entryId").type(Scalars.GraphQLID))
                .field(newFieldDefinition().name("fields").type(nonNull(list(nonNull(Scalars.GraphQLString))))).build());

        build.query(newFieldDefinition().name("apiKeys").type(nonNull(list(nonNull(typeRef("ApiKey"))))).build(), env -> keys.list());
        build.query(newFieldDefinition().name("auditLog").description("The newest changes first")
                .argument(newArgument().name("object").type(Scalars.GraphQLString))
                .argument(newArgument().name("first").type(Scalars.GraphQLInt).defaultValueProgrammatic(100))
                .type(nonNull(list(nonNull(typeRef("AuditEntry"))))).build(),
                env -> audit.recent(env.getArgument("object"), auditRows(env.getArgument("first"))).stream().map(row -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("at", row.at());
                    entry.put("keyId", row.keyId());
                    entry.put("keyName", row.keyName());
                    entry.put("action", row.action());
                    entry.put("object", row.object());
                    entry.put("entryId", row.entryId());
                    entry.put("fields", row.fields() == null ? List.of() : List.of(row.fields().split(",")));
                    return entry;
                }).toList());
        build.mutation(newFieldDefinition().name("createApiKey")
                .argument(newArgument().name("name").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("role").type(nonNull(typeRef("ApiKeyRole"))))
                .argument(newArgument().name("expiresAt").type(CrmScalars.DATE_TIME))
                .argument(newArgument().name("plugin").type(Scalars.GraphQLString)
                        .description("Limit the key to this plugin's queries and mutations, e.g. for the program that feeds it"))
                .argument(newArgument().name("customRole").type(Scalars.GraphQLString)
                        .description("With role CUSTOM: the custom role (see roles) whose grants the key has"))
                .type(nonNull(typeRef("CreatedApiKey"))).build(),
                env -> keys.create(env.getArgument("name"), env.getArgument("role"), env.<OffsetDateTime>getArgument("expiresAt"),
                        installedPlugin(env.getArgument("plugin")), existingRole(env.getArgument("customRole"))));
        build.mutation(newFieldDefinition().name("revokeApiKey").description("The key stops working at once")
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(nonNull(typeRef("ApiKey"))).build(), env -> keys.revoke(env.getArgument("id")));
    }

    /** {@code roles}, {@code createRole}, {@code updateRole} and {@code deleteRole}: custom roles as allow-lists of objects and fields. */
    private void generateRoles(SchemaBuild build) {
        GraphQLEnumType.Builder operations = GraphQLEnumType.newEnum().name("RoleOperation");
        Arrays.stream(CustomRole.Operation.values()).forEach(o -> operations.value(o.name(), o));
        build.add(operations.build());
        build.add(GraphQLObjectType.newObject().name("ObjectGrant").description("What a custom role may do with one object")
                .field(newFieldDefinition().name("object").type(nonNull(Scalars.GraphQLString)).description("The object's api name"))
                .field(newFieldDefinition().name("operations").type(nonNull(list(nonNull(typeRef("RoleOperation"))))))
                .field(newFieldDefinition().name("readable").type(nonNull(list(nonNull(Scalars.GraphQLString))))
                        .description("GraphQL names of the fields it reads; id, createdAt and updatedAt always"))
                .field(newFieldDefinition().name("writable").type(nonNull(list(nonNull(Scalars.GraphQLString))))
                        .description("GraphQL names of the fields it sets on create and update")).build());
        build.add(GraphQLObjectType.newObject().name("CustomRole")
                .description("A role defined by allow-lists: what it does not list, it neither sees nor changes")
                .field(newFieldDefinition().name("name").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("configured").type(nonNull(Scalars.GraphQLBoolean))
                        .description("Declared in configuration (crm.security.roles), so changed only there"))
                .field(newFieldDefinition().name("objects").type(nonNull(list(nonNull(typeRef("ObjectGrant")))))).build());
        build.add(GraphQLInputObjectType.newInputObject().name("ObjectGrantInput")
                .field(newInputObjectField().name("object").type(nonNull(Scalars.GraphQLString)))
                .field(newInputObjectField().name("operations").type(nonNull(list(nonNull(typeRef("RoleOperation"))))))
                .field(newInputObjectField().name("readable").type(list(nonNull(Scalars.GraphQLString))))
                .field(newInputObjectField().name("writable").type(list(nonNull(Scalars.GraphQLString)))).build());
        build.add(GraphQLInputObjectType.newInputObject().name("RoleInput")
                .field(newInputObjectField().name("name").type(nonNull(Scalars.GraphQLString)))
                .field(newInputObjectField().name("objects").type(nonNull(list(nonNull(typeRef("ObjectGrantInput")))))).build());
        build.query(newFieldDefinition().name("roles").description("The custom roles, by name")
                .type(nonNull(list(nonNull(typeRef("CustomRole"))))).build(), env -> roles.list().stream().map(SecurityTypeGenerator::listed).toList());
        build.mutation(newFieldDefinition().name("createRole").argument(newArgument().name("input").type(nonNull(typeRef("RoleInput"))))
                .type(nonNull(typeRef("CustomRole"))).build(), env -> listed(roles.create(fromInput(env.getArgument("input")))));
        build.mutation(newFieldDefinition().name("updateRole").description("Replaces the role's grants; its keys have the new ones at once")
                .argument(newArgument().name("input").type(nonNull(typeRef("RoleInput"))))
                .type(nonNull(typeRef("CustomRole"))).build(), env -> listed(roles.update(fromInput(env.getArgument("input")))));
        build.mutation(newFieldDefinition().name("deleteRole")
                .description("Deletes the role and answers what it granted; refused while a key that still works has it")
                .argument(newArgument().name("name").type(nonNull(Scalars.GraphQLString)))
                .type(nonNull(typeRef("CustomRole"))).build(), env -> listed(roles.delete(env.getArgument("name"))));
    }

    private static CustomRole fromInput(Map<String, Object> input) {
        Map<String, CustomRole.ObjectGrant> objects = new LinkedHashMap<>();
        for (Object item : (List<?>) input.get("objects")) {
            Map<?, ?> grant = (Map<?, ?>) item;
            String object = (String) grant.get("object");
            if (objects.containsKey(object)) {
                throw new CrmException(ErrorCode.VALIDATION, "objects: " + object + " is listed twice; list each object once",
                        Map.of("field", "objects"));
            }
            objects.put(object, new CustomRole.ObjectGrant(Set.copyOf(names(grant.get("operations"))),
                    Set.copyOf(names(grant.get("readable"))), Set.copyOf(names(grant.get("writable")))));
        }
        return new CustomRole((String) input.get("name"), objects, false);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> names(Object list) {
        return list == null ? List.of() : (List<T>) list;
    }

    private static Map<String, Object> listed(CustomRole role) {
        return Map.of("name", role.name(), "configured", role.configured(), "objects", role.objects().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> Map.of("object", e.getKey(), "operations", e.getValue().operations().stream().sorted().toList(),
                        "readable", e.getValue().readable().stream().sorted().toList(),
                        "writable", e.getValue().writable().stream().sorted().toList())).toList());
    }

    private String existingRole(String name) {
        if (name != null && roles.find(name).isEmpty()) {
            throw new CrmException(ErrorCode.VALIDATION, "customRole: there is no custom role '" + name + "'; create it with createRole",
                    Map.of("field", "customRole"));
        }
        return name;
    }

    private String installedPlugin(String id) {
        PluginOperations operations = plugins.get();
        if (id != null && (operations == null || !operations.installed(id))) {
            throw new CrmException(ErrorCode.VALIDATION, "plugin: no plugin '" + id + "' is installed", Map.of("field", "plugin"));
        }
        return id;
    }

    private static int auditRows(Integer first) {
        if (first == null || first < 1 || first > MAX_AUDIT_ROWS) {
            throw new CrmException(ErrorCode.VALIDATION, "auditLog(first:) must be between 1 and " + MAX_AUDIT_ROWS,
                    Map.of("argument", "first"));
        }
        return first;
    }
}
