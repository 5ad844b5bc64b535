package dev.storefront.crm.imports.csv;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;

/** The whole file cannot be imported (wrong delimiter, a mapped column missing); nothing is written. */
public class ImportFileException extends CrmException {

    public ImportFileException(String message) {
        super(ErrorCode.VALIDATION, message);
    }
}
