package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.e2e.TestFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two plugins start before the server opens, so no schema is built between them: the first
 * serves {@code Gadget} and {@code Query.gadgets}, the second's YAML declares an object
 * {@code gadgets}, whose generated type and list field are those names. The second plugin's change
 * is refused as it would be once the server is open (the plugin fails to start, naming the first
 * plugin and the name), nothing of it is stored, and the first plugin keeps its API.
 */
class PluginClashAtStartE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", PluginClashAtStartE2EIT::plugins);
    }

    @Test
    void aPluginYamlThatWouldTakeAnotherPluginsApiIsRefusedAtStartAndNothingOfItIsStored() {
        assertThat(plugin("a-gadgets")).containsEntry("state", "STARTED").containsEntry("error", null);
        Map<String, Object> store = plugin("b-gadget-store");
        assertThat(store).containsEntry("state", "FAILED");
        assertThat((String) store.get("error")).contains("This change cannot be made: plugin a-gadgets would lose its API"
                + " (GraphQL contribution refused: Gadget is already taken by object gadgets); choose another name");

        run("{ gadgets { name } }").path("gadgets").entity(List.class).isEqualTo(List.of(Map.of("name", "from the plugin")));
        run("{ object(apiName: \"gadgets\") { apiName } }").path("object").valueIsNull();
        run("{ objects { apiName } }").path("objects[*].apiName").entityList(String.class)
                .doesNotContain("gadgets").contains("customers");
    }

    /** A plugins folder with the two plugins; ids sort so that the one with the API starts first. */
    private static String plugins() {
        try {
            Path directory = TestFolders.create("crm-plugins-clash");
            TestPlugins.build(directory, "a-gadgets", "org.pf4j.Plugin", List.of("test.clash.Gadgets"), Map.of(
                    "test.clash.Gadgets", """
                    package test.clash;
                    import dev.storefront.crm.api.graphql.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class Gadgets implements GraphQlContribution {
                        public String sdl() { return "type Gadget { name: String! }\\nextend type Query { gadgets: [Gadget!]! }"; }
                        public Map<String, GraphQlResolver> resolvers() {
                            return Map.of("Query.gadgets", (args, ctx) -> List.of(Map.of("name", "from the plugin")));
                        }
                    }
                    """));
            TestPlugins.build(directory, "b-gadget-store", "org.pf4j.Plugin", List.of("test.clash.GadgetObject"), Map.of(
                    "test.clash.GadgetObject", """
                    package test.clash;
                    import dev.storefront.crm.api.plugin.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class GadgetObject implements SchemaContribution {
                        public List<String> yamlDocuments() {
                            return List.of("object: gadgets\\nsingular: Gadget\\nplural: Gadgets\\nfields:\\n  - {name: Name, type: text}\\n");
                        }
                    }
                    """));
            return directory.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
