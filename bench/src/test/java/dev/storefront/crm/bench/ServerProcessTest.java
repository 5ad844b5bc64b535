package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {

    @Test
    void aJarWithAClassDataArchiveBesideItStartsWithItQuietly(@TempDir Path app) throws Exception {
        Path jar = jarWith(app.resolve("storefront-crm.jar"), "META-INF/MANIFEST.MF");
        Files.createFile(app.resolve("storefront-crm.jsa"));

        assertThat(ServerProcess.classDataArchive(jar)).containsExactly(
                "-XX:SharedArchiveFile=" + app.resolve("storefront-crm.jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    @Test
    void aJarWithoutOneStartsPlain(@TempDir Path folder) throws Exception {
        Path jar = jarWith(folder.resolve("before.jar"), "META-INF/MANIFEST.MF");

        assertThat(ServerProcess.classDataArchive(jar)).isEmpty();
    }

    @Test
    void theUnpackedJarOfAnAotBuildStartsWithAotOn(@TempDir Path app) throws Exception {
        Path jar = jarWith(app.resolve("storefront-crm.jar"), ServerProcess.AOT_INITIALIZER);

        assertThat(ServerProcess.springAot(jar)).containsExactly("-Dspring.aot.enabled=true");
    }

    @Test
    void theFatJarAndAJarBuiltBeforeAotStartWithAotOff(@TempDir Path folder) throws Exception {
        Path fat = jarWith(folder.resolve("storefront-crm.jar"), "BOOT-INF/classes/" + ServerProcess.AOT_INITIALIZER);
        Path before = jarWith(folder.resolve("before.jar"), "dev/storefront/crm/CrmApplication.class");

        assertThat(ServerProcess.springAot(fat)).isEmpty();
        assertThat(ServerProcess.springAot(before)).isEmpty();
    }

    private static Path jarWith(Path jar, String entry) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.closeEntry();
        }
        return jar;
    }
}
