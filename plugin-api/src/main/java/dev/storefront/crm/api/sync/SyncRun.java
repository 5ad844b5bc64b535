package dev.storefront.crm.api.sync;

import java.util.Map;

/** The run a page is read for: the job's arguments and whether a client asked to stop. */
public interface SyncRun {

    Map<String, Object> args();

    boolean cancelled();

    /** True when the run was asked to start from the beginning, ignoring the stored cursor. */
    boolean full();
}
