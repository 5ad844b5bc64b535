package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Opaque page cursors: base64url of {@code id:<entry id>}. Clients must not build them by hand. */
public final class CursorCodec {

    private static final String PREFIX = "id:";

    private CursorCodec() {
    }

    public static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String cursor, String argument) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return Long.parseLong(text.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new CrmException(ErrorCode.VALIDATION, "'" + argument + "' is not a cursor this API gave out",
                Map.of("argument", argument, "value", cursor));
    }
}
