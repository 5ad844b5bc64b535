package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cursors clients see: the storage cursor (the order's keys, the entry's sort values and id)
 * sealed with AES-GCM together with the list it was made for (what is listed, and the filter).
 * Nothing in them can be read or altered; another list or filter refuses one here, another order
 * (one that sorts differently, not merely spelled differently) refuses it in storage. The key is
 * kept in the database (made on its first start), so cursors outlive a restart.
 */
public final class Cursors {

    /** The key length: AES-128. */
    public static final int KEY_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int LIST_BYTES = 16;

    private final SecretKey key;

    public Cursors(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cursors of one list, named by what it lists and its filter: the same query asks for the same list. */
    final class OfList {

        private final byte[] list;

        private OfList(byte[] list) {
            this.list = list;
        }

        String seal(String cursor) {
            return Cursors.this.seal(list, cursor);
        }

        String open(String sealed, String argument) {
            return Cursors.this.open(list, sealed, argument);
        }
    }

    OfList of(String what, Object where) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((what + "\n" + where).getBytes(StandardCharsets.UTF_8));
            return new OfList(Arrays.copyOf(digest, LIST_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private String seal(byte[] list, String cursor) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] inner = cursor.getBytes(StandardCharsets.UTF_8);
        byte[] plain = ByteBuffer.allocate(LIST_BYTES + inner.length).put(list).put(inner).array();
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, iv).doFinal(plain);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The storage cursor inside {@code sealed}, if it was made with this key for {@code list}. */
    private String open(byte[] list, String sealed, String argument) {
        byte[] plain;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(sealed);
            if (bytes.length <= IV_BYTES) {
                throw refuse(argument, sealed, "is not a cursor this API gave out (or one made with another database)");
            }
            plain = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, IV_BYTES)).doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw refuse(argument, sealed, "is not a cursor this API gave out (or one made with another database)");
        }
        if (!Arrays.equals(plain, 0, LIST_BYTES, list, 0, LIST_BYTES)) {
            throw refuse(argument, sealed, "is a cursor of another list or filter; a cursor only pages the list it came from");
        }
        return new String(plain, LIST_BYTES, plain.length - LIST_BYTES, StandardCharsets.UTF_8);
    }

    private static CrmException refuse(String argument, String value, String problem) {
        return new CrmException(ErrorCode.VALIDATION, "'" + argument + "' " + problem, Map.of("argument", argument, "value", value));
    }

    private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(128, iv));
        return cipher;
    }
}
