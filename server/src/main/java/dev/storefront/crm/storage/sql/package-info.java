/**
 * The only code that renders SQL text: identifiers are checked and quoted, values are bound.
 * Dialect specifics stay here and in {@code storage}, out of GraphQL and plugins.
 */
package dev.storefront.crm.storage.sql;
