package dev.storefront.crm.graphql;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.graphql.fetchers.AggregateFetchers;
import dev.storefront.crm.graphql.fetchers.Cursors;
import dev.storefront.crm.graphql.fetchers.EntryFetchers;
import dev.storefront.crm.graphql.fetchers.MetadataFetchers;
import dev.storefront.crm.graphql.fetchers.PageLimits;
import dev.storefront.crm.graphql.fetchers.ViewFetchers;
import dev.storefront.crm.graphql.loaders.EntryLoaders;
import dev.storefront.crm.graphql.types.AggregateTypeGenerator;
import dev.storefront.crm.graphql.types.BackupTypeGenerator;
import dev.storefront.crm.graphql.types.EntryTypeGenerator;
import dev.storefront.crm.graphql.types.InputTypeGenerator;
import dev.storefront.crm.graphql.types.MetadataTypeGenerator;
import dev.storefront.crm.graphql.types.RootFieldGenerator;
import dev.storefront.crm.graphql.types.SchemaGenerator;
import dev.storefront.crm.graphql.types.SecurityTypeGenerator;
import dev.storefront.crm.graphql.types.SqlTypeGenerator;
import dev.storefront.crm.graphql.types.ViewTypeGenerator;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.security.ApiKeys;
import dev.storefront.crm.security.AuditLog;
import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.security.PluginOperations;
import dev.storefront.crm.security.Role;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.ReadOnlySql;
import dev.storefront.crm.storage.SettingsTable;
import dev.storefront.crm.views.ViewService;
import graphql.execution.instrumentation.Instrumentation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;

@Configuration(proxyBeanMethods = false)
public class GraphQlConfiguration {

    @Bean
    CrmExceptionResolver crmExceptionResolver() {
        return new CrmExceptionResolver();
    }

    @Bean
    EntryMutations entryMutations(SchemaService schema) {
        return new EntryMutations(schema::current);
    }

    @Bean
    RoleAccess roleAccess(EntryMutations entryMutations, @Value("${crm.security.introspection:viewer}") String introspection,
                          ObjectProvider<PluginOperations> plugins) {
        return new RoleAccess(entryMutations, Role.parse(introspection), plugins::getIfAvailable);
    }

    @Bean
    AuditTrail auditTrail(AuditLog audit, EntryMutations entryMutations, SchemaService schema) {
        return new AuditTrail(audit, entryMutations, schema);
    }

    @Bean
    ErrorMessages errorMessages() {
        return new ErrorMessages();
    }

    @Bean
    PrincipalInterceptor principalInterceptor() {
        return new PrincipalInterceptor();
    }

    @Bean
    QueryLimits queryLimits(CrmProperties properties) {
        CrmProperties.Graphql graphql = properties.graphql();
        return new QueryLimits(graphql.maxDepth(), graphql.maxFields(), graphql.maxCost(), graphql.defaultPageSize(),
                graphql.requestTimeout());
    }

    @Bean
    ErrorCodes errorCodes() {
        return new ErrorCodes();
    }

    @Bean
    Instrumentation queriesOnlyOverGet() {
        return new GetRequests.QueriesOnly();
    }

    @Bean
    Instrumentation unhonouredDirectives() {
        return new UnhonouredDirectives();
    }

    /** Before Spring's own route for the path, which answers every GET with 405. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> graphQlGetRoute(WebGraphQlHandler handler, @Value("${spring.graphql.http.path}") String path) {
        GetRequests get = new GetRequests(handler);
        return RouterFunctions.route().GET(path, RequestPredicates.param("query", q -> true)
                .or(RequestPredicates.param("extensions", e -> true)), get::handle).build();
    }

    @Bean
    Instrumentation relationLoaders(EntryService entries) {
        return new RelationLoaders(new EntryLoaders(entries));
    }

    @Bean
    SchemaGenerator schemaGenerator(EntryService entries, SchemaService schema, ViewService views, ReadOnlySql sql,
                                    ReadOnlySql.Limits sqlLimits, ApiKeys keys, CustomRoles roles, AuditLog audit, DuckDb db,
                                    CrmProperties properties, ObjectProvider<PluginOperations> plugins) {
        Cursors cursors = new Cursors(new SettingsTable(db).secret("cursor-key", Cursors.KEY_BYTES));
        SchemaGenerator generator = generator(entries, schema, views, sql, sqlLimits, properties, cursors);
        generator.addContributor(new SecurityTypeGenerator(keys, roles, audit, plugins::getIfAvailable)::generate);
        generator.addContributor(new BackupTypeGenerator(db, properties.databaseFile())::generate);
        return generator;
    }

    /** The generators with their fetchers, as the server wires them; tests that build schemas without Spring use it too. */
    public static SchemaGenerator generator(EntryService entries, SchemaService schema, ViewService views, ReadOnlySql sql,
                                            ReadOnlySql.Limits sqlLimits, CrmProperties properties, Cursors cursors) {
        CrmProperties.Graphql graphql = properties.graphql();
        PageLimits limits = new PageLimits(graphql.defaultPageSize(), graphql.maxPageSize(), graphql.maxBatchSize());
        EntryFetchers fetchers = new EntryFetchers(entries, limits, cursors);
        return new SchemaGenerator(new EntryTypeGenerator(fetchers), new InputTypeGenerator(),
                new RootFieldGenerator(fetchers), new AggregateTypeGenerator(new AggregateFetchers(entries)),
                new ViewTypeGenerator(new ViewFetchers(views, limits, cursors)),
                new SqlTypeGenerator(sql, sqlLimits),
                new MetadataTypeGenerator(new MetadataFetchers(schema, entries)));
    }

    /** Instead of Spring Boot's: it picks the schema of the request's role. */
    @Bean
    ExecutionGraphQlService executionGraphQlService(CrmGraphQlSource source, CustomRoles roles) {
        return new RoleGraphQlService(source, roles);
    }

    @Bean
    CrmGraphQlSource graphQlSource(SchemaGenerator generator, SchemaService schema,
                                   ObjectProvider<DataFetcherExceptionResolver> resolvers,
                                   ObjectProvider<Instrumentation> instrumentations, CrmProperties properties) {
        return new CrmGraphQlSource(generator, schema, resolvers.orderedStream().toList(),
                instrumentations.orderedStream().toList(), properties.graphql().documentCacheSize());
    }
}
