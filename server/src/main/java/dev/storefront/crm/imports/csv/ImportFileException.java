package dev.storefront.crm.imports.csv;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;

/**
 * The whole file cannot be imported (wrong delimiter, a mapped column missing); nothing is written (a resumed import keeps
 * the chunks of its runs before: {@link #afterResume}).
 */
public class ImportFileException extends CrmException {

    /** How a message about the file's text ends: nothing of it was written. */
    static final String NOTHING_IMPORTED = " Nothing was imported";

    public ImportFileException(String message) {
        super(ErrorCode.VALIDATION, message);
    }

    /**
     * {@code problem}, found when the stored file of a resumed import was read again, in the words of what stays: the
     * {@code committed} rows of the runs before the server stopped.
     */
    static ImportFileException afterResume(ImportFileException problem, long committed) {
        return new ImportFileException(problem.getMessage().replace(NOTHING_IMPORTED, "") + " The " + committed
                + " rows imported before the server stopped stay; nothing more was imported");
    }
}
