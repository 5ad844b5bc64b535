package dev.storefront.crm.plugins;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real-format samples: {@code -Dcrm.fixtures=...}, else {@code ../shared/fixtures} beside
 * the repository (as CI has it), else {@code /work/shared/fixtures}.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path woocommerce(String file) {
        return file("woocommerce/" + file);
    }

    public static Path shopify(String file) {
        return file("shopify/" + file);
    }

    /** A fixture by its path under {@code shared/fixtures}, e.g. {@code clv/CDNOW_sample.txt}. */
    public static Path file(String path) {
        String configured = System.getProperty("crm.fixtures");
        for (Path root : new Path[] {
                configured == null ? null : Path.of(configured),
                Path.of("..", "..", "shared", "fixtures"),
                Path.of("/work/shared/fixtures")}) {
            if (root != null && Files.isRegularFile(root.resolve(path))) {
                return root.resolve(path);
            }
        }
        throw new IllegalStateException("Fixture " + path + " not found; set -Dcrm.fixtures=<shared/fixtures>");
    }
}
