package dev.storefront.crm.schema;

import dev.storefront.crm.metadata.MetadataSnapshot;

/**
 * Something built from every model, such as the GraphQL schema. {@link SchemaService} hands it the
 * candidate model of a change before the change commits: {@code prepare} builds what the candidate
 * needs or throws (a {@code CrmException} naming the problem), and nothing is written; the returned
 * action puts the prepared result in force once the change has committed. {@code prepare} runs
 * without the write lock (writes go on meanwhile) and for one model change at a time.
 */
@FunctionalInterface
public interface ModelStage {

    Runnable prepare(MetadataSnapshot candidate);
}
