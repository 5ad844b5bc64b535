package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.plugin.SchemaContribution;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.graphql.types.PluginFieldsGenerator;
import dev.storefront.crm.schema.SchemaYamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads PF4J plugins from one folder and starts, stops, enables and disables them at runtime. Every
 * call into a plugin is guarded: a plugin that cannot be read, throws while starting, or contributes
 * something invalid is marked (LOAD_FAILED / FAILED, with the error) and logged, and the server and
 * the other plugins carry on. Listeners hear every change of the set of started plugins (the
 * GraphQL schema is rebuilt from it).
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final Path directory;
    private final CrmPluginManager pf4j;
    private final SchemaYamlLoader schema;
    private final Function<String, PluginContext> contexts;
    private final Map<String, Slot> slots = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /**
     * The started plugins, republished after every change. Readers (the schema build, imports, jobs,
     * events) never take the host's lock, so a schema rebuild on one thread and a plugin start on
     * another (which rebuilds the schema when it adds fields) cannot deadlock.
     */
    private volatile List<StartedPlugin> startedSnapshot = List.of();

    /** State of one plugin; changed only under the host's lock, read anywhere. */
    private static final class Slot {
        final String id;
        final String file;
        volatile String state;
        volatile String error;
        volatile StartedPlugin started;

        Slot(String id, String file, String state) {
            this.id = id;
            this.file = file;
            this.state = state;
        }
    }

    public PluginHost(Path directory, SchemaYamlLoader schema, Function<String, PluginContext> contexts) {
        this.directory = directory;
        this.pf4j = new CrmPluginManager(directory);
        this.schema = schema;
        this.contexts = contexts;
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Loads every plugin file of the folder and starts the enabled ones; never throws. */
    public void loadAndStartAll() {
        synchronized (this) {
            if (!Files.isDirectory(directory)) {
                log.info("Plugin folder {} does not exist; no plugins loaded", directory.toAbsolutePath());
                return;
            }
            for (Path file : pluginFiles()) {
                load(file);
            }
            // In the order of their ids, so that of two plugins that claim one name the same one wins at every start.
            for (String id : slots.keySet().stream().sorted().toList()) {
                Slot slot = slots.get(id);
                if ("STOPPED".equals(slot.state)) {
                    start(slot);
                }
            }
        }
        log.info("Plugins in {}: {}", directory.toAbsolutePath(), plugins().stream().map(p -> p.id() + "=" + p.state()).toList());
        fire();
    }

    private List<Path> pluginFiles() {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".jar") || name.endsWith(".zip") || Files.isDirectory(p);
            }).sorted().toList();
        } catch (IOException e) {
            log.error("Cannot list plugin folder {}", directory, e);
            return List.of();
        }
    }

    private void load(Path file) {
        String name = file.getFileName().toString();
        try {
            Path path = name.endsWith(".zip") ? org.pf4j.util.FileUtils.expandIfZip(file) : file;
            String id = pf4j.loadPlugin(path);
            PluginWrapper wrapper = pf4j.getPlugin(id);
            boolean disabled = wrapper.getPluginState() == PluginState.DISABLED;
            slots.put(id, new Slot(id, name, disabled ? "DISABLED" : "STOPPED"));
        } catch (Throwable e) {
            log.error("Plugin file {} could not be loaded", file, e);
            Slot slot = new Slot(name, name, "LOAD_FAILED");
            slot.error = describe(e);
            slots.put(name, slot);
        }
    }

    public PluginInfo start(String id) {
        synchronized (this) {
            Slot slot = slot(id);
            if (slot.state.equals("DISABLED") || slot.state.equals("LOAD_FAILED")) {
                throw new CrmException(ErrorCode.CONFLICT, "Plugin " + id + " is " + slot.state.toLowerCase() + "; enable it first",
                        Map.of("plugin", id));
            }
            if (slot.started == null) {
                start(slot);
            }
        }
        fire();
        return info(id);
    }

    public PluginInfo stop(String id) {
        synchronized (this) {
            Slot slot = slot(id);
            if (slot.started != null || slot.state.equals("FAILED")) {
                stop(slot);
                slot.state = "STOPPED";
            }
        }
        fire();
        return info(id);
    }

    public PluginInfo disable(String id) {
        synchronized (this) {
            Slot slot = slot(id);
            requireLoaded(slot);
            stop(slot);
            pf4j.disablePlugin(id);
            slot.state = "DISABLED";
        }
        fire();
        return info(id);
    }

    /** Enables a disabled plugin and starts it. */
    public PluginInfo enable(String id) {
        synchronized (this) {
            Slot slot = slot(id);
            requireLoaded(slot);
            if (slot.state.equals("DISABLED")) {
                pf4j.enablePlugin(id);
                slot.state = "STOPPED";
            }
            if (slot.started == null) {
                start(slot);
            }
        }
        fire();
        return info(id);
    }

    private void start(Slot slot) {
        try {
            PluginState state = pf4j.startPlugin(slot.id);
            PluginWrapper wrapper = pf4j.getPlugin(slot.id);
            if (state != PluginState.STARTED) {
                Throwable failure = wrapper.getFailedException();
                throw new IllegalStateException("it did not start (" + state + ")"
                        + (failure == null ? "" : ": " + describe(failure)), failure);
            }
            ClassLoader loader = wrapper.getPluginClassLoader();
            PluginContext context = contexts.apply(slot.id);
            StartedPlugin started = new StartedPlugin(slot.id, loader, context, null);
            PluginExtensions extensions = started.call(() -> PluginExtensions.of(pf4j, slot.id));
            started = new StartedPlugin(slot.id, loader, context, extensions);
            for (SchemaContribution contribution : extensions.schema()) {
                List<String> documents = started.call(contribution::yamlDocuments);
                schema.applyDocuments("plugin " + slot.id, documents);
            }
            for (GraphQlContribution contribution : extensions.graphql()) {
                String sdl = started.call(() -> contribution.sdl(context));
                started.call(contribution::resolvers);
                PluginFieldsGenerator.check(sdl);
            }
            slot.started = started;
            slot.state = "STARTED";
            slot.error = null;
            // Seen at once by the model changes of the plugins that start after it, before any build.
            publish();
            log.info("Plugin {} started", slot.id);
        } catch (Throwable e) {
            log.error("Plugin {} failed to start and is isolated", slot.id, e);
            slot.started = null;
            slot.state = "FAILED";
            slot.error = describe(e);
            try {
                pf4j.stopPlugin(slot.id);
            } catch (Throwable ignored) {
                log.debug("Stopping failed plugin {} also failed", slot.id, ignored);
            }
        }
    }

    private void stop(Slot slot) {
        slot.started = null;
        try {
            if (pf4j.getPlugin(slot.id) != null && pf4j.getPlugin(slot.id).getPluginState() == PluginState.STARTED) {
                pf4j.stopPlugin(slot.id);
            }
        } catch (Throwable e) {
            log.error("Plugin {} threw while stopping", slot.id, e);
            slot.error = describe(e);
        }
    }

    /** Notes a problem found with a started plugin's contribution (e.g. a GraphQL name clash). Takes no lock. */
    public void reportProblem(String id, String problem) {
        Slot slot = slots.get(id);
        if (slot != null) {
            slot.error = problem;
        }
        log.error("Plugin {}: {}", id, problem);
    }

    /** The started plugins; takes no lock. */
    public List<StartedPlugin> started() {
        return startedSnapshot;
    }

    public synchronized List<PluginInfo> plugins() {
        return slots.keySet().stream().sorted().map(this::info).toList();
    }

    public synchronized PluginInfo info(String id) {
        Slot slot = slot(id);
        PluginWrapper wrapper = slot.state.equals("LOAD_FAILED") ? null : pf4j.getPlugin(id);
        PluginDescriptor descriptor = wrapper == null ? null : wrapper.getDescriptor();
        return new PluginInfo(slot.id, descriptor == null ? null : descriptor.getVersion(),
                descriptor == null ? null : descriptor.getPluginDescription(), descriptor == null ? null : descriptor.getProvider(),
                slot.state, !slot.state.equals("DISABLED"), slot.error, slot.file,
                slot.started == null ? null : slot.started.extensions());
    }

    private Slot slot(String id) {
        Slot slot = slots.get(id);
        if (slot == null) {
            throw new NotFoundException("No plugin with id '" + id + "'", Map.of("plugin", id));
        }
        return slot;
    }

    private static void requireLoaded(Slot slot) {
        if (slot.state.equals("LOAD_FAILED")) {
            throw new CrmException(ErrorCode.CONFLICT, "Plugin file " + slot.id + " could not be loaded: " + slot.error,
                    Map.of("plugin", slot.id));
        }
    }

    private void publish() {
        startedSnapshot = slots.values().stream().filter(s -> s.started != null).map(s -> s.started)
                .sorted(java.util.Comparator.comparing(StartedPlugin::id)).toList();
    }

    private void fire() {
        publish();
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("A plugin listener failed", e);
            }
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            text.append("; caused by ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
        }
        return text.toString();
    }

    /** Stops plugins one by one (PF4J 3.15's stopPlugins() fails with a ConcurrentModificationException). */
    @Override
    public synchronized void close() {
        for (PluginWrapper wrapper : new ArrayList<>(pf4j.getStartedPlugins())) {
            try {
                pf4j.stopPlugin(wrapper.getPluginId());
            } catch (Throwable e) {
                log.warn("Stopping plugin {} failed", wrapper.getPluginId(), e);
            }
        }
        slots.values().forEach(slot -> slot.started = null);
        publish();
    }
}
