package dev.storefront.crm.clv;

import org.pf4j.Plugin;

/**
 * Predictive customer value for Storefront CRM: BG/NBD (will a customer buy again, and how often)
 * and Gamma-Gamma (how much per order) fitted on the store's own counted orders, scores stored as
 * customer fields, the {@code clvModel} query and {@code fitClvModel} mutation, and the jobs
 * {@code fit-model} (weekly by default) and {@code score-customers} (daily).
 */
public class ClvPlugin extends Plugin {
}
