package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {

    @Test
    void aJarWithAClassDataArchiveBesideItStartsWithItQuietly(@TempDir Path app) throws Exception {
        Path jar = Files.createFile(app.resolve("storefront-crm.jar"));
        Files.createFile(app.resolve("storefront-crm.jsa"));

        assertThat(ServerProcess.classDataArchive(jar)).containsExactly(
                "-XX:SharedArchiveFile=" + app.resolve("storefront-crm.jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    @Test
    void aJarWithoutOneStartsPlain(@TempDir Path folder) throws Exception {
        Path jar = Files.createFile(folder.resolve("before.jar"));

        assertThat(ServerProcess.classDataArchive(jar)).isEmpty();
    }
}
