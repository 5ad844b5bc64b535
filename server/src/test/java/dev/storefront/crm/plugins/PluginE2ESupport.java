package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.E2ESupport;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real server on a random port with real plugins: the WooCommerce jar the build wrote to
 * {@code plugins-dist/}, loaded through PF4J, next to test plugins that crash on purpose, and a fake
 * WooCommerce store on 127.0.0.1. One server for every plugin test class (Spring caches it).
 */
public abstract class PluginE2ESupport extends PluginServerSupport {

    protected static final FakeWooCommerce STORE = new FakeWooCommerce();
    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final Path PLUGINS = TestPlugins.pluginsFolder();
    protected static final Path MAPPINGS = newFolder("crm-mappings");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", PLUGINS::toString);
        registry.add("crm.plugins.woocommerce.url", STORE::url);
        registry.add("crm.plugins.woocommerce.consumer-key", () -> FakeWooCommerce.KEY);
        registry.add("crm.plugins.woocommerce.consumer-secret", () -> FakeWooCommerce.SECRET);
        registry.add("crm.plugins.woocommerce.page-size", () -> "2");
        registry.add("crm.plugins.woocommerce.webhook-secret", () -> "whsec_test");
        registry.add("crm.plugins.woocommerce.retries", () -> "2");
        registry.add("crm.plugins.woocommerce.retry-backoff-ms", () -> "10");
        // Small chunks, so files of a few thousand rows cross several checkpoints.
        registry.add("crm.imports.chunk-size", () -> "500");
        registry.add("crm.imports.mappings-dir", MAPPINGS::toString);
        registry.add("crm.plugins.flaky.jobs.tick.cron", () -> "*/3 * * * * *");
    }
}
