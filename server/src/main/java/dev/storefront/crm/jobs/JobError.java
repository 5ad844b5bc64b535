package dev.storefront.crm.jobs;

/**
 * One bad record of a job: its row (record number: 1 = first data record of a file), the file line
 * where the record starts (null when the job did not read a file; it differs from the row once a
 * quoted value spans lines), column, value and why.
 */
public record JobError(long row, Long line, String column, String value, String reason) {
}
