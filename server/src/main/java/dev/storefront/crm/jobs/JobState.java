package dev.storefront.crm.jobs;

public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED,
    /** Queued or running when the server stopped; what its last checkpoint committed stays, and an import can be resumed. */
    INTERRUPTED;

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
