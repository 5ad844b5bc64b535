package dev.storefront.crm.api.plugin;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Objects and fields a plugin needs, as YAML documents in the format of the server's
 * {@code schema/*.yaml} (one object per document). A document naming an existing object adds the
 * fields it lists and leaves the others alone. Applied at every plugin start; applying twice
 * changes nothing, and stopping the plugin keeps the fields and their data.
 */
public interface SchemaContribution extends ExtensionPoint {

    List<String> yamlDocuments();
}
