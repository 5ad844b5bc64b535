package dev.storefront.crm.metadata;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one rule for stored names: objects and fields are addressed by snake_case api names that
 * are also their table and column names, so plain SQL reads naturally
 * ({@code SELECT lifetime_value FROM customers}).
 */
public final class ApiNames {

    public static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** Columns every object table has; no field may take these names. */
    public static final Set<String> SYSTEM_COLUMNS = Set.of("id", "created_at", "updated_at");

    /** Prefix of the engine's own tables; object names may not start with it. */
    public static final String RESERVED_PREFIX = "crm_";

    private static final int REMEMBERED = 10_000;
    private static final Map<String, String> CAMEL = new ConcurrentHashMap<>();
    private static final Map<String, String> PASCAL = new ConcurrentHashMap<>();

    private ApiNames() {
    }

    /** "Lifetime Value" → {@code lifetime_value}; "Émail (work)" → {@code email_work}. */
    public static String fromLabel(String label) {
        String ascii = Normalizer.normalize(label, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String snake = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (!snake.isEmpty() && !Character.isLetter(snake.charAt(0))) {
            snake = "f_" + snake;
        }
        return snake.length() > 63 ? snake.substring(0, 63) : snake;
    }

    public static boolean isValid(String apiName) {
        return apiName != null && VALID.matcher(apiName).matches();
    }

    /** {@code support_tickets} → {@code supportTickets}. */
    public static String camel(String snake) {
        return remembered(CAMEL, snake, name -> {
            String pascal = pascal(name);
            return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
        });
    }

    /** {@code support_ticket} → {@code SupportTicket}. */
    public static String pascal(String snake) {
        return remembered(PASCAL, snake, name -> {
            StringBuilder out = new StringBuilder();
            for (String part : name.split("_")) {
                if (!part.isEmpty()) {
                    out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
            return out.toString();
        });
    }

    /**
     * The name in {@code names}, derived once: every schema build asks for the same few hundred
     * names (a sixth of a build's CPU went to deriving them again), as do requests resolving fields
     * by name. Emptied when full, so names of deleted objects and fields do not pile up.
     */
    private static String remembered(Map<String, String> names, String snake, UnaryOperator<String> derive) {
        String known = names.get(snake);
        if (known != null) {
            return known;
        }
        if (names.size() >= REMEMBERED) {
            names.clear();
        }
        String derived = derive.apply(snake);
        names.put(snake, derived);
        return derived;
    }

    /** An option label as a GraphQL enum value: "Potential Loyal" → {@code POTENTIAL_LOYAL}. */
    public static String enumValue(String option) {
        String ascii = Normalizer.normalize(option, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String upper = ascii.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (upper.isEmpty() || Character.isDigit(upper.charAt(0))) {
            return "_" + upper;
        }
        return upper;
    }
}
