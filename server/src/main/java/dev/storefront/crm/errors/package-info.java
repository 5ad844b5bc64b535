/** The exceptions clients are meant to read, each carrying an {@link dev.storefront.crm.errors.ErrorCode}. */
package dev.storefront.crm.errors;
