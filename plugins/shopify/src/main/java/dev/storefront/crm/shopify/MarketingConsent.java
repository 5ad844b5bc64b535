package dev.storefront.crm.shopify;

/**
 * A customer's email or SMS marketing consent, however Shopify writes it: {@code yes}/{@code no} in the
 * admin exports, a consent state in the webhooks' {@code email_marketing_consent} / {@code sms_marketing_consent}
 * ({@code subscribed}, {@code not_subscribed}, {@code unsubscribed}, {@code pending}, {@code redacted},
 * {@code invalid}), the same states in upper case in the Admin API's {@code marketingState}, or the older
 * {@code accepts_marketing} boolean. Only subscribed (yes, true) is consent: a pending double opt-in is not yet.
 */
final class MarketingConsent {

    private MarketingConsent() {
    }

    /** The consent of {@code source} (a CSV column or a path of a bulk file's line) as yes/no for a boolean field. */
    static String mapping(String source) {
        return "map(" + source + ", 'subscribed' = 'yes', 'not_subscribed' = 'no', 'unsubscribed' = 'no', 'pending' = 'no', "
                + "'redacted' = 'no', 'invalid' = 'no')";
    }

    /** The consent a state, yes/no or boolean gives; false for none (a customer without email or phone has no consent object). */
    static boolean given(Object state) {
        if (state instanceof Boolean accepts) {
            return accepts;
        }
        String text = ShopifyWrites.text(state);
        return text != null && (text.equalsIgnoreCase("subscribed") || text.equalsIgnoreCase("yes") || text.equalsIgnoreCase("true"));
    }
}
