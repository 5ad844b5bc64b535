package dev.storefront.crm.views;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ViewDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Creates the views declared in {@code schema/views/*.yaml} that do not exist yet (matched by
 * object and name). A view that exists is left as it is, so changes made by users are kept.
 */
public class ViewYamlLoader {

    private static final Logger log = LoggerFactory.getLogger(ViewYamlLoader.class);
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record ViewsFile(List<ViewYaml> views) {
    }

    record ViewYaml(String object, String name, String type, Map<String, Object> filter, List<Map<String, Object>> sort,
                    List<String> fields, @JsonProperty("kanban_field") String kanbanField) {

        ViewDef toView() {
            ViewDef.Type kind = type == null ? ViewDef.Type.TABLE : ViewDef.Type.valueOf(type.toUpperCase(Locale.ROOT));
            return new ViewDef(0, name, object, filter, sort, fields, kind, kanbanField);
        }
    }

    private final ViewService views;

    public ViewYamlLoader(ViewService views) {
        this.views = views;
    }

    /** Returns how many views were created. */
    public int apply(Path schemaDirectory) {
        Path directory = schemaDirectory.resolve("views");
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int created = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                created += apply(file, YAML.readValue(file.toFile(), ViewsFile.class));
            }
        } catch (IOException | JacksonException e) {
            throw new CrmException(ErrorCode.VALIDATION, "Cannot read views in " + directory + ": " + e.getMessage());
        }
        log.info("Views {}: {} created", directory, created);
        return created;
    }

    private int apply(Path file, ViewsFile declared) {
        int created = 0;
        for (ViewYaml view : declared.views() == null ? List.<ViewYaml>of() : declared.views()) {
            boolean exists = views.list(view.object()).stream().anyMatch(v -> v.name().equals(view.name()));
            if (!exists) {
                try {
                    views.create(view.toView());
                } catch (CrmException e) {
                    throw new CrmException(e.code(), file + ": view '" + view.name() + "': " + e.getMessage(), e.details());
                }
                created++;
            }
        }
        return created;
    }
}
