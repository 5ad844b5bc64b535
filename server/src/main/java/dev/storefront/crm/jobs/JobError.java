package dev.storefront.crm.jobs;

/** One bad record of a job: its row (1 = first data row of a file, or record number), column, value and why. */
public record JobError(long row, String column, String value, String reason) {
}
