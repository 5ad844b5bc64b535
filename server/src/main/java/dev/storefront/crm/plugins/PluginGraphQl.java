package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.graphql.FilteredList;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import dev.storefront.crm.graphql.types.NarrowedListGenerator;
import dev.storefront.crm.graphql.types.NarrowedListGenerator.NarrowedList;
import dev.storefront.crm.graphql.types.PluginFieldsGenerator;
import dev.storefront.crm.graphql.types.SchemaBuild;
import dev.storefront.crm.graphql.types.SdlContribution;
import dev.storefront.crm.graphql.types.TypeNames;
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
    private final NarrowedListGenerator lists = new NarrowedListGenerator();
    /** Root field coordinates to the plugin that contributed them, as of the latest build. */
    private volatile Map<String, String> owners = Map.of();

    PluginGraphQl(PluginHost host, HostApi api) {
        this.host = host;
        this.api = api;
    }

    @Override
    public void accept(SchemaBuild build) {
        List<SdlContribution> contributions = new ArrayList<>();
        List<NarrowedList> narrowed = new ArrayList<>();
        contributions.add(api.contribution());
        Map<String, String> built = new HashMap<>();
        for (StartedPlugin plugin : host.started()) {
            for (FilteredList list : plugin.extensions().lists()) {
                try {
                    NarrowedList adapted = narrowed(plugin, list);
                    built.put("Query." + adapted.name(), plugin.id());
                    narrowed.add(adapted);
                } catch (Exception e) {
                    host.reportProblem(plugin.id(), "List refused: " + PluginHost.describe(e));
                }
            }
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
        lists.generate(build, narrowed).forEach(build::refuse);
        owners = Map.copyOf(built);
    }

    /**
     * The type names and root fields the started plugins would add to the schema of {@code model},
     * each with its plugin: what a model change may not take before the server opens and builds.
     */
    Map<String, String> claims(MetadataSnapshot model) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (StartedPlugin plugin : host.started()) {
            for (FilteredList list : plugin.extensions().lists()) {
                try {
                    claims.putIfAbsent(TypeNames.queryKey(plugin.call(list::name)), plugin.id());
                } catch (Exception e) {
                    // A list that cannot name itself is refused by the build, whatever the model.
                }
            }
            for (GraphQlContribution contribution : plugin.extensions().graphql()) {
                try {
                    generator.claims(adapt(plugin, contribution, model)).forEach(name -> claims.putIfAbsent(name, plugin.id()));
                } catch (Exception e) {
                    // As above: the build refuses a contribution that cannot give its SDL.
                }
            }
        }
        return claims;
    }

    @Override
    public Optional<String> pluginOf(String coordinates) {
        return Optional.ofNullable(owners.get(coordinates));
    }

    @Override
    public boolean installed(String pluginId) {
        return host.plugins().stream().anyMatch(plugin -> plugin.id().equals(pluginId));
    }

    private static NarrowedList narrowed(StartedPlugin plugin, FilteredList list) throws Exception {
        String name = plugin.call(list::name);
        return new NarrowedList(plugin.id(), name, plugin.call(list::object), plugin.call(list::description),
                plugin.call(list::arguments), args -> plugin.answer("Query." + name, () -> list.where(args, plugin.context())));
    }

    /** The SDL is asked with the model being built, which is not yet the committed one. */
    private static SdlContribution adapt(StartedPlugin plugin, GraphQlContribution contribution, MetadataSnapshot model)
            throws Exception {
        PluginContext asBuilt = plugin.context() instanceof DefaultPluginContext context ? context.asOf(model) : plugin.context();
        String sdl = plugin.call(() -> contribution.sdl(asBuilt));
        Map<String, GraphQlResolver> resolvers = plugin.call(contribution::resolvers);
        Map<String, Function<Map<String, Object>, Object>> adapted = new LinkedHashMap<>();
        resolvers.forEach((coordinates, resolver) -> adapted.put(coordinates,
                args -> plugin.answer(coordinates, () -> resolver.resolve(args, plugin.context()))));
        return new SdlContribution(plugin.id(), sdl, adapted);
    }
}
