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
import dev.storefront.crm.security.PluginOperations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Adds the host API and the GraphQL contributions of every started plugin to each schema build. A
 * plugin resolver runs with the plugin's class loader; what it throws becomes a GraphQL error of
 * that field only (a {@link PluginException} keeps its message and code, anything else is an
 * internal error with an incident id), never a failure of the request or the server.
 */
final class PluginGraphQl implements Consumer<SchemaBuild>, PluginOperations {

    private final PluginHost host;
    private final HostApi api;
    private final PluginFieldsGenerator generator = new PluginFieldsGenerator();
    /** Root field coordinates to the plugin that contributed them, as of the latest build. */
    private volatile Map<String, String> owners = Map.of();

    PluginGraphQl(PluginHost host, HostApi api) {
        this.host = host;
        this.api = api;
    }

    @Override
    public void accept(SchemaBuild build) {
        List<SdlContribution> contributions = new ArrayList<>();
        contributions.add(api.contribution());
        Map<String, String> built = new HashMap<>();
        for (StartedPlugin plugin : host.started()) {
            for (GraphQlContribution contribution : plugin.extensions().graphql()) {
                try {
                    SdlContribution adapted = adapt(plugin, contribution, build.snapshot());
                    adapted.resolvers().keySet().forEach(coordinates -> built.put(coordinates, plugin.id()));
                    contributions.add(adapted);
                } catch (Exception e) {
                    host.reportProblem(plugin.id(), "GraphQL contribution refused: " + PluginHost.describe(e));
                }
            }
        }
        generator.generate(build, contributions).forEach(build::refuse);
        owners = Map.copyOf(built);
    }

    @Override
    public Optional<String> pluginOf(String coordinates) {
        return Optional.ofNullable(owners.get(coordinates));
    }

    @Override
    public boolean installed(String pluginId) {
        return host.plugins().stream().anyMatch(plugin -> plugin.id().equals(pluginId));
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
