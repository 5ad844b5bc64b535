package dev.storefront.crm.api;

/** A failure a plugin means to report; {@code code} is a short machine-readable reason. */
public class PluginException extends RuntimeException {

    private final String code;

    public PluginException(String code, String message) {
        super(message);
        this.code = code;
    }

    public PluginException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
