package dev.storefront.crm.jobs;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A job as clients see it, live or from {@code crm_jobs}. */
public record JobView(String id, String plugin, String name, JobState state, long processed, long total,
                      long errorCount, List<JobError> errors, String message, Map<String, Object> args,
                      OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
}
