package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Opaque page cursors: base64url of a small JSON record. Clients must not build them by hand. */
final class CursorCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CursorCodec() {
    }

    static String encode(List<String> signature, List<String> values, long id) {
        byte[] json = JSON.writeValueAsBytes(new Cursor(signature, values, id));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }

    static Cursor decode(String cursor, String argument) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Cursor decoded = JSON.readValue(json, Cursor.class);
            if (decoded.signature() != null && decoded.values() != null) {
                return decoded;
            }
        } catch (IllegalArgumentException | JacksonException e) {
            // falls through to the refusal below
        }
        throw new CrmException(ErrorCode.VALIDATION, "'" + argument + "' is not a cursor this API gave out",
                Map.of("argument", argument, "value", cursor));
    }
}
