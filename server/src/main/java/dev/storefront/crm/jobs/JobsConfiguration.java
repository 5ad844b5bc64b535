package dev.storefront.crm.jobs;

import dev.storefront.crm.storage.DuckDb;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean(destroyMethod = "close")
    JobRunner jobRunner(DuckDb db, Clock clock, @Value("${crm.jobs.threads:2}") int threads,
                        @Value("${crm.jobs.queue-size:100}") int queueSize) {
        return new JobRunner(db, clock, threads, queueSize);
    }
}
