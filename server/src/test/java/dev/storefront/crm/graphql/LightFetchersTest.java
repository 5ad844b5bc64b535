package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A light fetcher (an entry's field read from the entry in hand) passes our instrumentation untouched, and without
 * graphql-java building the environment it spares such a fetcher: a bulk create answers 10,000 of them.
 */
class LightFetchersTest {

    private static final LightDataFetcher<Object> ENTRY_FIELD = new LightDataFetcher<>() {
        @Override
        public Object get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> environment) {
            return source;
        }

        @Override
        public Object get(DataFetchingEnvironment environment) {
            return environment.getSource();
        }
    };

    private static final InstrumentationFieldFetchParameters UNBUILT = new InstrumentationFieldFetchParameters(null, () -> {
        throw new AssertionError("the environment of a light fetch was built");
    }, null, true);

    @Test
    void theAuditTrailLeavesALightFetcherAsItIs() {
        assertThat(new AuditTrail(null, null, null).instrumentDataFetcher(ENTRY_FIELD, UNBUILT, null)).isSameAs(ENTRY_FIELD);
    }

    @Test
    void theDirectivesFilterLeavesALightFetcherAsItIs() {
        assertThat(new UnhonouredDirectives().instrumentDataFetcher(ENTRY_FIELD, UNBUILT, null)).isSameAs(ENTRY_FIELD);
    }
}
