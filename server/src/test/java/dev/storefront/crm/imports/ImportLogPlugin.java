package dev.storefront.crm.imports;

import dev.storefront.crm.plugins.TestPlugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A test plugin that hears every "import finished" event, as a plugin keeping derived values would, and
 * lists them through {@code { importLog }}: one line per event, {@code <object> <job> <importer>
 * outcome=.. cancelled=.. created=.. updated=.. unchanged=.. failed=..}.
 */
final class ImportLogPlugin {

    private ImportLogPlugin() {
    }

    /** Builds the plugin's jar into the plugins folder {@code directory}. */
    static void buildInto(Path directory) {
        TestPlugins.build(directory, "import-log", "org.pf4j.Plugin", List.of("test.imports.ImportLog", "test.imports.ImportLogField"),
                Map.of("test.imports.ImportLog", """
                        package test.imports;
                        import dev.storefront.crm.api.events.*;
                        import java.util.*;
                        @org.pf4j.Extension
                        public class ImportLog implements ImportListener {
                            public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
                            public void onImportFinished(ImportFinished e, dev.storefront.crm.api.PluginContext c) {
                                EVENTS.add(e.object() + " " + e.job() + " " + e.importer() + " outcome=" + e.outcome() + " cancelled=" + e.cancelled()
                                    + " created=" + e.created() + " updated=" + e.updated() + " unchanged=" + e.unchanged()
                                    + " failed=" + e.failed());
                            }
                        }
                        """, "test.imports.ImportLogField", """
                        package test.imports;
                        import dev.storefront.crm.api.graphql.*;
                        import java.util.Map;
                        @org.pf4j.Extension
                        public class ImportLogField implements GraphQlContribution {
                            public String sdl() { return "extend type Query { importLog: [String!]! }"; }
                            public Map<String, GraphQlResolver> resolvers() {
                                return Map.of("Query.importLog", (args, ctx) -> new java.util.ArrayList<>(ImportLog.EVENTS));
                            }
                        }
                        """));
    }
}
