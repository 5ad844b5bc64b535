package dev.storefront.crm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the code relies on, checked on the sources: only storage talks JDBC/DuckDB, only
 * graphql talks graphql-java, and the lower layers (metadata, storage) never reach up. A PostgreSQL
 * backend later replaces storage alone because of these rules.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/storefront/crm");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    private record Import(String fromPackage, String file, String imported) {
    }

    private static List<Import> imports() throws IOException {
        List<Import> imports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    imports.add(new Import(pkg, SOURCES.relativize(file).toString(), m.group(1)));
                }
            }
        }
        return imports;
    }

    @Test
    void readsTheRealSources() throws IOException {
        assertThat(imports()).filteredOn(i -> i.imported().startsWith("java.sql")).isNotEmpty();
        assertThat(imports()).filteredOn(i -> i.imported().startsWith("graphql.")).isNotEmpty();
    }

    @Test
    void onlyStorageTalksToTheDatabase() throws IOException {
        assertThat(imports()).filteredOn(i -> i.imported().startsWith("java.sql") || i.imported().startsWith("org.duckdb"))
                .allSatisfy(i -> assertThat(i.fromPackage()).as(i.file()).startsWith("storage"));
    }

    @Test
    void onlyTheGraphQlLayerTalksGraphQlJava() throws IOException {
        assertThat(imports()).filteredOn(i -> i.imported().startsWith("graphql.") || i.imported().startsWith("org.dataloader"))
                .allSatisfy(i -> assertThat(i.fromPackage()).as(i.file()).startsWith("graphql"));
    }

    @Test
    void lowerLayersNeverReachUp() throws IOException {
        List<String> upper = List.of("entries", "schema", "views", "graphql", "export", "demo", "web");
        assertThat(imports()).filteredOn(i -> i.fromPackage().startsWith("metadata") || i.fromPackage().startsWith("storage"))
                .allSatisfy(i -> assertThat(upper).as(i.file() + " imports " + i.imported())
                        .noneMatch(layer -> i.imported().startsWith("dev.storefront.crm." + layer + ".")));
        assertThat(imports()).filteredOn(i -> !i.fromPackage().startsWith("web"))
                .allSatisfy(i -> assertThat(i.imported()).as(i.file()).doesNotStartWith("dev.storefront.crm.web."));
    }
}
