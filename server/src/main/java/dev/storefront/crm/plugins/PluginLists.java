package dev.storefront.crm.plugins;

import dev.storefront.crm.api.graphql.FilteredList;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The started plugins' {@link FilteredList}s for the CSV export, which takes their arguments as URL
 * parameters ({@code ?list=segmentCustomers&segment=VIP}).
 */
public final class PluginLists {

    /** @param where the list's condition in the where model; @param fields its export columns, empty for every field */
    public record Narrowing(Map<String, Object> where, List<String> fields) {
    }

    private final PluginHost host;

    PluginLists(PluginHost host) {
        this.host = host;
    }

    /** The condition and columns of list {@code name} over {@code object} for URL parameters. */
    public Narrowing narrow(String object, String name, Map<String, String> parameters) {
        for (StartedPlugin plugin : host.started()) {
            for (FilteredList list : plugin.extensions().lists()) {
                Narrowing narrowing = plugin.answer("list " + name, () -> name.equals(list.name()) && object.equals(list.object())
                        ? new Narrowing(list.where(arguments(list.arguments(), parameters), plugin.context()), list.exportFields())
                        : null);
                if (narrowing != null) {
                    return narrowing;
                }
            }
        }
        throw new NotFoundException("There is no list '" + name + "' of " + object, Map.of("list", name, "object", object));
    }

    /** URL text to the values GraphQL would give for the declared scalar types. */
    private static Map<String, Object> arguments(Map<String, String> declared, Map<String, String> parameters) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        declared.forEach((name, type) -> {
            String text = parameters.get(name);
            if (text == null) {
                if (type.endsWith("!")) {
                    throw new CrmException(ErrorCode.VALIDATION, "The list needs the parameter '" + name + "'", Map.of("argument", name));
                }
                return;
            }
            try {
                arguments.put(name, switch (type.replace("!", "")) {
                    case "Int" -> Integer.valueOf(text);
                    case "Float" -> Double.valueOf(text);
                    case "Boolean" -> Boolean.valueOf(text);
                    case "Date" -> LocalDate.parse(text);
                    default -> text;
                });
            } catch (NumberFormatException | DateTimeException e) {
                throw new CrmException(ErrorCode.VALIDATION, "Parameter '" + name + "': '" + text + "' is not a " + type.replace("!", ""),
                        Map.of("argument", name));
            }
        });
        return arguments;
    }
}
