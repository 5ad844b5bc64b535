/**
 * The plugin API: interfaces and value types that plugins compile against. Only the JDK and PF4J
 * may appear in signatures here, so the server can change its Spring, DuckDB and GraphQL internals
 * without breaking a plugin.
 */
package dev.storefront.crm.api;
