package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.TestFolders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds small PF4J plugin jars at test time, compiled against the real plugin API, so tests can
 * prove isolation with plugins that crash on purpose. Also finds the real bundled plugin jars.
 */
public final class TestPlugins {

    private TestPlugins() {
    }

    /** The WooCommerce plugin jar the build wrote to {@code plugins-dist/} (the reactor builds plugins first). */
    public static Path wooCommerceJar() {
        return bundledJar("woocommerce");
    }

    /** A bundled plugin's jar in {@code plugins-dist/}, by plugin id. */
    public static Path bundledJar(String id) {
        Path dist = Path.of("..", "plugins-dist");
        try (Stream<Path> files = Files.list(dist)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id + "-") && f.toString().endsWith(".jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No " + id + " jar in " + dist.toAbsolutePath()
                            + "; build with ./mvnw verify from the repository root"));
        } catch (IOException e) {
            throw new UncheckedIOException("No " + dist.toAbsolutePath() + "; build with ./mvnw verify from the repository root", e);
        }
    }

    /** A new plugins folder holding the bundled jars of the given plugin ids, for a server of one test class. */
    public static String bundledFolder(String... ids) {
        try {
            Path folder = TestFolders.create("crm-plugins");
            for (String id : ids) {
                Files.copy(bundledJar(id), folder.resolve(bundledJar(id).getFileName()));
            }
            return folder.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles {@code sources} (class name → source text) and writes a plugin jar with the given
     * id, plugin class and extension classes.
     */
    public static Path build(Path directory, String id, String pluginClass, List<String> extensions, Map<String, String> sources) {
        try {
            Path classes = TestFolders.create("plugin-" + id);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            }));
            List<String> options = List.of("-proc:none", "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"));
            if (!compiler.getTask(null, null, null, options, null, units).call()) {
                throw new IllegalStateException("Test plugin " + id + " does not compile");
            }
            Manifest manifest = new Manifest();
            Attributes attributes = manifest.getMainAttributes();
            attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            attributes.putValue("Plugin-Id", id);
            attributes.putValue("Plugin-Version", "1.0.0");
            attributes.putValue("Plugin-Class", pluginClass);
            attributes.putValue("Plugin-Description", "Test plugin " + id);
            Path jar = directory.resolve(id + "-1.0.0.jar");
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(file));
                    zip.closeEntry();
                }
                zip.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                zip.write(String.join("\n", extensions).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plugins folder with the real WooCommerce jar and the misbehaving test plugins. */
    public static Path pluginsFolder() {
        try {
            Path directory = TestFolders.create("crm-plugins");
            Files.copy(bundledJar("woocommerce"), directory.resolve(bundledJar("woocommerce").getFileName()));
            Files.write(directory.resolve("garbage.jar"), "this is not a jar".getBytes(StandardCharsets.UTF_8));
            build(directory, "crash-on-start", "test.crash.CrashPlugin", List.of(), Map.of("test.crash.CrashPlugin", """
                    package test.crash;
                    public class CrashPlugin extends org.pf4j.Plugin {
                        @Override public void start() { throw new IllegalStateException("boom at start"); }
                    }
                    """));
            build(directory, "bad-sdl", "org.pf4j.Plugin", List.of("test.badsdl.BadSdl"), Map.of("test.badsdl.BadSdl", """
                    package test.badsdl;
                    import dev.storefront.crm.api.graphql.*;
                    import java.util.Map;
                    @org.pf4j.Extension
                    public class BadSdl implements GraphQlContribution {
                        public String sdl() { return "extend type Query { broken: NoSuchType }"; }
                        public Map<String, GraphQlResolver> resolvers() { return Map.of("Query.broken", (a, c) -> null); }
                    }
                    """));
            build(directory, "flaky", "org.pf4j.Plugin", List.of("test.flaky.FlakyFields", "test.flaky.SlowJob", "test.flaky.FailingJob", "test.flaky.EventLog",
                    "test.flaky.TickJob"), Map.of(
                    "test.flaky.TickJob", """
                    package test.flaky;
                    import dev.storefront.crm.api.jobs.*;
                    @org.pf4j.Extension
                    public class TickJob implements PluginJob {
                        public String name() { return "tick"; }
                        public String description() { return "Runs on the cron schedule of crm.plugins.flaky.jobs.tick.cron"; }
                        public void run(JobContext job) { job.total(1); job.processed(1); job.message("tick from " + job.plugin().pluginId()); }
                    }
                    """,
                    "test.flaky.EventLog", """
                    package test.flaky;
                    import dev.storefront.crm.api.events.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class EventLog implements EntryListener {
                        public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
                        public void onEntryEvent(EntryEvent e, dev.storefront.crm.api.PluginContext c) {
                            if (!e.object().equals("customers")) return;
                            EVENTS.add(e.type() + " " + e.id() + " " + (e.before() == null ? null : e.before().get("full_name"))
                                + " -> " + (e.after() == null ? null : e.after().get("full_name")));
                            if (e.type() == EntryEvent.Type.DELETED) throw new IllegalStateException("listener bug on purpose");
                        }
                        public void beforeCommit(EntryEvent e, dev.storefront.crm.api.PluginContext c) {
                            if (e.after() != null && "Unrecordable".equals(e.after().get("full_name"))) {
                                throw new IllegalStateException("no room for this one, on purpose");
                            }
                        }
                    }
                    """,
                    "test.flaky.FlakyFields", """
                    package test.flaky;
                    import dev.storefront.crm.api.graphql.*;
                    import java.util.Map;
                    @org.pf4j.Extension
                    public class FlakyFields implements GraphQlContribution {
                        public String sdl() { return "type FlakyEcho { text: String! length: Int! }\\n"
                            + "extend type Query { flakyEcho(text: String!): FlakyEcho! flakyBoom: String flakyEvents: [String!]! }"; }
                        public Map<String, GraphQlResolver> resolvers() {
                            return Map.of("Query.flakyEcho", (args, ctx) -> Map.of("text", args.get("text"), "length", ((String) args.get("text")).length()),
                                          "Query.flakyBoom", (args, ctx) -> { throw new NullPointerException("plugin bug"); },
                                          "Query.flakyEvents", (args, ctx) -> new java.util.ArrayList<>(EventLog.EVENTS));
                        }
                    }
                    """,
                    "test.flaky.SlowJob", """
                    package test.flaky;
                    import dev.storefront.crm.api.jobs.*;
                    @org.pf4j.Extension
                    public class SlowJob implements PluginJob {
                        public String name() { return "slow"; }
                        public String description() { return "Counts until cancelled"; }
                        public void run(JobContext job) throws Exception {
                            job.total(1000);
                            for (int i = 1; i <= 1000 && !job.cancelled(); i++) { job.processed(i); Thread.sleep(20); }
                        }
                    }
                    """,
                    "test.flaky.FailingJob", """
                    package test.flaky;
                    import dev.storefront.crm.api.jobs.*;
                    @org.pf4j.Extension
                    public class FailingJob implements PluginJob {
                        public String name() { return "fails"; }
                        public String description() { return "Always throws"; }
                        public void run(JobContext job) { job.processed(3); throw new IllegalStateException("the job broke on purpose"); }
                    }
                    """));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
