package dev.storefront.crm;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Our settings, under {@code crm.*}.
 *
 * @param database  the DuckDB file; its folders are created
 * @param schemaDir the folder of model YAML files applied at every start
 * @param demo      fill an empty database with the demo store
 */
@ConfigurationProperties("crm")
public record CrmProperties(
        @DefaultValue("./data/crm.duckdb") Path database,
        @DefaultValue("./schema") Path schemaDir,
        @DefaultValue("false") boolean demo,
        @DefaultValue Demo demoStore,
        @DefaultValue Graphql graphql) {

    /** Size and seed of the demo store; the same seed gives the same store. */
    public record Demo(@DefaultValue("2000") int customers, @DefaultValue("42") long seed) {
    }

    /** Page sizes: used when a client asks for none, and the most one may ask for. */
    public record Graphql(
            @DefaultValue("50") int defaultPageSize,
            @DefaultValue("1000") int maxPageSize,
            @DefaultValue("10000") int maxBatchSize) {
    }
}
