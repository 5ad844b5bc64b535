package dev.storefront.crm.e2e;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real server over one DuckDB file shared by every end-to-end class that extends this (Spring
 * caches the context), so each test works on objects or entries of its own and never assumes the
 * database is empty.
 */
public abstract class E2ESupport extends E2EClient {

    /** One file for the shared server; a per-class temp dir would be deleted under the cached context. */
    private static final Path DATABASE = newDatabaseFile();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
    }
}
