package dev.storefront.crm.segmentation;

import org.pf4j.Plugin;

/**
 * Customer segmentation for Storefront CRM: segments from YAML rule sets ({@code recency-value},
 * {@code lifecycle}), RFM scores and groups, and a {@code segment_changes} history. Settings
 * ({@code crm.plugins.segmentation.*}): {@code rule-set} (default recency-value), {@code time-zone}
 * (default UTC; the as-of date is today there), {@code jobs.reclassify.cron}.
 */
public class SegmentationPlugin extends Plugin {
}
