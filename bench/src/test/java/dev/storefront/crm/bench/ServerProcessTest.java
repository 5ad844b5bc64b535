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

    @Test
    void theHeapInUseCountsEveryGenerationOfTheCollector() {
        String g1 = """
                 garbage-first heap   total 397312K, used 14755K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 3 young (12288K), 0 survivors (0K)
                 Metaspace       used 73K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """;
        String parallel = """
                 PSYoungGen      total 113152K, used 17559K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
                  eden space 97280K, 18% used [0x0000000782700000,0x0000000783825e18,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                  to   space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
                 ParOldGen       total 258048K, used 30720K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
                  object space 258048K, 11% used [0x0000000687400000,0x0000000689200000,0x0000000697000000)
                 Metaspace       used 124K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """;

        assertThat(ServerProcess.heapUsedMb(g1)).isEqualTo(14755 / 1024.0);
        assertThat(ServerProcess.heapUsedMb(parallel)).isEqualTo((17559 + 30720) / 1024.0);
        assertThat(ServerProcess.heapUsedMb("1234: not a JVM")).isNaN();
    }
}
