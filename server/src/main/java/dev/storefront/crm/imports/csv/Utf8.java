package dev.storefront.crm.imports.csv;

/** Follows UTF-8 byte by byte: a lead byte announces 1-3 continuation bytes (10xxxxxx). */
final class Utf8 {

    /** What {@link #next} answers for a byte that breaks the encoding. */
    static final int INVALID = -1;

    private Utf8() {
    }

    /**
     * The continuation bytes still expected after byte {@code v} (0x80 to 0xFF), when {@code pending}
     * were expected before it; {@link #INVALID} when it cannot stand there.
     */
    static int next(int pending, int v) {
        if (pending > 0) {
            return (v & 0xC0) == 0x80 ? pending - 1 : INVALID;
        }
        if (v >= 0xC2 && v <= 0xDF) {
            return 1;
        }
        if (v >= 0xE0 && v <= 0xEF) {
            return 2;
        }
        return v >= 0xF0 && v <= 0xF4 ? 3 : INVALID;
    }
}
