package dev.storefront.crm.entries;

import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.AggregateStore;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.RollupStore;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EntriesConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** @param timeZone the store's time zone, in which the dates of metrics (first/last purchase) are read */
    @Bean
    ComputedFields computedFields(EntryStore store, SchemaService schema, @Value("${crm.timezone:UTC}") String timeZone) {
        ComputedFields computed = new ComputedFields(new RollupStore(), store, ZoneId.of(timeZone).getId());
        schema.addStepInTransaction(computed::backfill);
        return computed;
    }

    @Bean
    EntryService entryService(DuckDb db, EntryStore store, AggregateStore aggregates, Clock clock, SchemaService schema,
                              ComputedFields computed) {
        return new EntryService(db, store, aggregates, clock, schema::current, computed);
    }
}
