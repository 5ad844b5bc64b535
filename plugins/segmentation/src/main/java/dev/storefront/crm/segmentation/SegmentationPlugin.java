package dev.storefront.crm.segmentation;

import org.pf4j.Plugin;

/**
 * Customer segmentation for Storefront CRM: segments from YAML rule sets ({@code recency-value},
 * {@code lifecycle}), RFM scores and groups, and a {@code segment_changes} history. Settings
 * ({@code crm.plugins.segmentation.*}): {@code rule-set} (default recency-value) and
 * {@code jobs.reclassify.cron} (default daily 07:00); the as-of date is today in {@code crm.timezone}.
 */
public class SegmentationPlugin extends Plugin {
}
