package dev.storefront.crm.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ids clients see: opaque and global, one id naming both the object and the entry (base64url of
 * {@code customers:17}), so a client cache can key every entry by id alone and {@code node(id:)}
 * finds any entry. Plain numbers, the ids given out before, stay accepted wherever the object is
 * known from the context ({@code customer(id: "17")}, {@code customerId: "17"}).
 */
public final class GlobalIds {

    private static final Pattern PLAIN = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DECODED = Pattern.compile("([a-z][a-z0-9_]*):([0-9]{1,18})");

    /** An entry named by a global id. */
    public record Ref(String object, long id) {
    }

    private GlobalIds() {
    }

    public static String encode(String object, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((object + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The object and id of a global id; empty for anything else, plain numbers included. */
    public static Optional<Ref> decode(String text) {
        try {
            var matcher = DECODED.matcher(new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8));
            return matcher.matches() ? Optional.of(new Ref(matcher.group(1), Long.parseLong(matcher.group(2)))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True for a plain number, an id as it was given out before ids became global. */
    public static boolean isPlain(String text) {
        return PLAIN.matcher(text.strip()).matches();
    }
}
