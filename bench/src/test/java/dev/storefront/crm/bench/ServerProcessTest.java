package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {

    @Test
    void theUnpackedJarStartsWithTheArgumentFileBesideIt(@TempDir Path app) throws Exception {
        Path jar = Files.createFile(app.resolve("storefront-crm.jar"));
        Files.createFile(app.resolve("storefront-crm.args"));

        assertThat(ServerProcess.appArguments(jar)).containsExactly("@" + app.resolve("storefront-crm.args"));
    }

    @Test
    void aJarWithoutOneStartsPlain(@TempDir Path folder) throws Exception {
        Path jar = Files.createFile(folder.resolve("storefront-crm.jar"));
        Files.createFile(folder.resolve("storefront-crm.jsa"));

        assertThat(ServerProcess.appArguments(jar)).isEmpty();
    }
}
