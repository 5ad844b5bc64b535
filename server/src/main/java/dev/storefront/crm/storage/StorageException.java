package dev.storefront.crm.storage;

import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.sql.SQLException;

/**
 * A database failure we did not expect. DuckDB gives no SQLState, so the few errors a client can
 * act on are recognised by message here, in the one place that knows DuckDB's wording.
 */
public class StorageException extends CrmException {

    public StorageException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL, message);
        initCause(cause);
    }

    static CrmException translate(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Conflict on update") || message.contains("write-write conflict")) {
            return new ConflictException("Another write changed the same entry at the same time; retry");
        }
        return new StorageException("Database error: " + message.lines().findFirst().orElse(""), e);
    }
}
