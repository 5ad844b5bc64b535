package dev.storefront.crm.api.jobs;

import dev.storefront.crm.api.PluginContext;
import java.util.Map;

/** A running job as its code sees it: arguments, progress, the error report, cancellation. */
public interface JobContext {

    PluginContext plugin();

    Map<String, Object> args();

    void total(long total);

    void processed(long processed);

    /** One bad record, skipped: its row (or record number), column (or field), value and why. */
    void error(long row, String column, String value, String reason);

    void message(String message);

    /** True once a client asked to cancel; long jobs check it between steps and return early. */
    boolean cancelled();
}
