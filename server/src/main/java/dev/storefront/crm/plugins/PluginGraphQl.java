package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.PluginFieldsGenerator;
import dev.storefront.crm.graphql.types.SchemaBuild;
import dev.storefront.crm.graphql.types.SdlContribution;
import dev.storefront.crm.metadata.MetadataSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Adds the host API and the GraphQL contributions of every started plugin to each schema build. A
 * plugin resolver runs with the plugin's class loader; what it throws becomes a GraphQL error of
 * that field only (a {@link PluginException} keeps its message and code, anything else is an
 * internal error with an incident id), never a failure of the request or the server.
 */
final class PluginGraphQl implements Consumer<SchemaBuild> {

    private final PluginHost host;
    private final HostApi api;
    private final PluginFieldsGenerator generator = new PluginFieldsGenerator();

    PluginGraphQl(PluginHost host, HostApi api) {
        this.host = host;
        this.api = api;
    }

    @Override
    public void accept(SchemaBuild build) {
        List<SdlContribution> contributions = new ArrayList<>();
        contributions.add(api.contribution());
        for (StartedPlugin plugin : host.started()) {
            for (GraphQlContribution contribution : plugin.extensions().graphql()) {
                try {
                    contributions.add(adapt(plugin, contribution, build.snapshot()));
                } catch (Exception e) {
                    host.reportProblem(plugin.id(), "GraphQL contribution refused: " + PluginHost.describe(e));
                }
            }
        }
        generator.generate(build, contributions).forEach(build::refuse);
    }

    /** The SDL is asked with the model being built, which is not yet the committed one. */
    private static SdlContribution adapt(StartedPlugin plugin, GraphQlContribution contribution, MetadataSnapshot model)
            throws Exception {
        PluginContext asBuilt = plugin.context() instanceof DefaultPluginContext context ? context.asOf(model) : plugin.context();
        String sdl = plugin.call(() -> contribution.sdl(asBuilt));
        Map<String, GraphQlResolver> resolvers = plugin.call(contribution::resolvers);
        Map<String, Function<Map<String, Object>, Object>> adapted = new LinkedHashMap<>();
        resolvers.forEach((coordinates, resolver) -> adapted.put(coordinates, args -> {
            try {
                return plugin.call(() -> resolver.resolve(args, plugin.context()));
            } catch (PluginException e) {
                throw new CrmException(ErrorCode.VALIDATION, e.getMessage(), Map.of("plugin", plugin.id(), "reason", e.code()));
            } catch (CrmException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Plugin " + plugin.id() + " failed in " + coordinates, e);
            }
        }));
        return new SdlContribution(plugin.id(), sdl, adapted);
    }
}
