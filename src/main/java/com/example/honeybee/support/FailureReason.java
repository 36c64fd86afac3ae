package com.example.honeybee.support;

import com.example.honeybee.db.Sql;

/**
 * Describes a failure for logs and dead-letter reasons without leaking PHI: our own PHI-free
 * messages are kept, any other exception is reduced to its class name, because driver and library
 * messages can quote the data they choked on.
 */
public final class FailureReason {

    private static final int MAX_LENGTH = 1000;

    private FailureReason() {
    }

    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PhiFreeMessage || t instanceof Sql.DataAccessException) {
                return truncate(t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
        return truncate(failure.getClass().getName() + " (message withheld: may contain PHI)");
    }

    private static String truncate(String text) {
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 3) + "..." : text;
    }
}
