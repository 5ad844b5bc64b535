package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;

/**
 * A Relay-style window: {@code first}/{@code after} pages forward, {@code last}/{@code before}
 * backward, in a list's {@link Ordering}.
 */
public record PageRequest(int size, boolean backward, String after, String before) {

    public static PageRequest of(Integer first, String after, Integer last, String before, int defaultSize, int maxSize) {
        if (first != null && last != null) {
            throw new CrmException(ErrorCode.VALIDATION, "Give either 'first' or 'last', not both");
        }
        Integer requested = first != null ? first : last;
        if (requested != null && (requested < 0 || requested > maxSize)) {
            throw new CrmException(ErrorCode.VALIDATION,
                    "'" + (first != null ? "first" : "last") + "' must be between 0 and " + maxSize + ", was " + requested);
        }
        if (after != null) {
            CursorCodec.decode(after, "after");
        }
        if (before != null) {
            CursorCodec.decode(before, "before");
        }
        int size = requested == null ? defaultSize : requested;
        return new PageRequest(size, last != null || (first == null && before != null), after, before);
    }

    public static PageRequest first(int size) {
        return new PageRequest(size, false, null, null);
    }
}
