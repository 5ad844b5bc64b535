package dev.storefront.crm.web;

import dev.storefront.crm.entries.ListQuery;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.security.Role;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.export.CsvExport;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ViewDef;
import dev.storefront.crm.plugins.PluginLists;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.views.ViewService;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /export/customers.csv}: every entry, or those of a saved view ({@code ?view=3}), or of
 * a filter ({@code ?where={"lifetimeValue":{"gt":500}}&orderBy=[...]}), or of a plugin's list
 * ({@code ?list=segmentCustomers&segment=VIP}, and a where on top), streamed as CSV. {@code fields=}
 * (GraphQL names, comma-separated) chooses the columns. A key of a custom role exports what its role
 * reads, by filters of its own: the others' fields are unknown to it, in columns and filters alike.
 */
@RestController
class ExportController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SchemaService schema;
    private final ViewService views;
    private final CsvExport export;
    private final PluginLists lists;
    private final CustomRoles roles;

    ExportController(SchemaService schema, ViewService views, CsvExport export, PluginLists lists, CustomRoles roles) {
        this.roles = roles;
        this.schema = schema;
        this.lists = lists;
        this.views = views;
        this.export = export;
    }

    @GetMapping("/export/{object}.csv")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String object, @RequestParam(required = false) Long view,
                                                 @RequestParam(required = false) String where,
                                                 @RequestParam(required = false) String orderBy,
                                                 @RequestParam(required = false) String list,
                                                 @RequestParam(required = false) String fields,
                                                 @RequestParam Map<String, String> parameters,
                                                 @RequestAttribute(name = Principal.ATTRIBUTE, required = false) Principal principal) {
        MetadataSnapshot model = visibleModel(principal, view != null ? "view" : list != null ? "list" : null);
        ObjectDef target = model.object(object);
        ListQuery query;
        List<String> columns = List.of();
        if (view != null) {
            ViewDef saved = views.get(view);
            query = views.query(model, saved);
            columns = saved.fields();
        } else {
            WhereMapper mapper = new WhereMapper(model);
            Map<String, Object> condition = where == null ? null : JSON.readValue(where, new TypeReference<Map<String, Object>>() { });
            if (list != null) {
                PluginLists.Narrowing narrowing = lists.narrow(object, list, parameters);
                condition = condition == null ? narrowing.where() : Map.of("and", List.of(narrowing.where(), condition));
                columns = narrowing.fields();
            }
            query = new ListQuery(mapper.filter(target, condition),
                    mapper.sort(target, orderBy == null ? null : JSON.readValue(orderBy, new TypeReference<List<Map<String, Object>>>() { })));
        }
        // Checked before the first byte is sent, so a bad filter is a 400, not a broken download.
        export.check(model, target, query);
        ListQuery chosen = query;
        List<String> chosenColumns = fields == null ? columns : Arrays.stream(fields.split(",")).map(String::strip).toList();
        export.columns(target, chosenColumns);
        StreamingResponseBody body = out -> export.write(model, target, chosen, chosenColumns, out);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + object + ".csv\"")
                .body(body);
    }

    /** The whole model, or for a key of a custom role what that role reads; {@code narrowedBy} names a view or list parameter sent. */
    private MetadataSnapshot visibleModel(Principal principal, String narrowedBy) {
        if (principal == null || principal.role() != Role.CUSTOM) {
            return schema.current();
        }
        if (narrowedBy != null) {
            throw new CrmException(ErrorCode.VALIDATION, narrowedBy + ": the custom role " + principal.customRole()
                    + " exports by where and orderBy only", Map.of("field", narrowedBy));
        }
        return roles.find(principal.customRole()).orElseThrow().restrict(schema.current());
    }
}
