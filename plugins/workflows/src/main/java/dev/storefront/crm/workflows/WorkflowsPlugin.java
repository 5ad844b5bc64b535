package dev.storefront.crm.workflows;

import org.pf4j.Plugin;

/**
 * Workflows for Storefront CRM: a trigger (an entry created, updated or deleted, a segment move, a
 * date field passing, a finished import, a cron schedule) starts a run per entry and event, whose steps (email,
 * webhook, set fields, create an entry, wait, stop when) are kept as an outbox in the CRM's database
 * and carried out exactly once by a background worker. Settings ({@code crm.plugins.workflows.*}):
 * {@code smtp.*}, {@code tick}, {@code day-length}, {@code webhook.*}, {@code loop-depth}, and each
 * workflow's own {@code <workflow>.<setting>}; see the README, "Workflows".
 */
public class WorkflowsPlugin extends Plugin {
}
