package dev.storefront.crm.woocommerce;

import java.util.Map;

final class Csv {

    private Csv() {
    }

    /** The export writes a leading {@code =} as {@code '=} so spreadsheets do not run it; the CRM keeps the text. */
    static void unescapeFormulas(Map<String, String> row) {
        row.replaceAll((column, value) -> value != null && value.startsWith("'=") ? value.substring(1) : value);
    }
}
