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
        String configured = System.getProperty("crm.fixtures");
        for (Path root : new Path[] {
                configured == null ? null : Path.of(configured),
                Path.of("..", "..", "shared", "fixtures"),
                Path.of("/work/shared/fixtures")}) {
            if (root != null && Files.isRegularFile(root.resolve("woocommerce").resolve(file))) {
                return root.resolve("woocommerce").resolve(file);
            }
        }
        throw new IllegalStateException("Fixture woocommerce/" + file + " not found; set -Dcrm.fixtures=<shared/fixtures>");
    }
}
