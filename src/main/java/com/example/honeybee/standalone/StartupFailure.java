package com.example.honeybee.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;

/**
 * The one line the standalone application prints when it cannot start, from whatever the start threw: a
 * wrong or missing setting says which property (the bundle's own checks name it and its environment
 * variable); an H2 file that another process holds names the file and that process; anything else gives the
 * innermost cause, with the route it concerns.
 */
public final class StartupFailure {

    /** H2's DATABASE_ALREADY_OPEN_1: another process has the file open (H2 allows one per file). */
    static final int H2_DATABASE_IN_USE = 90020;

    private static final Pattern H2_FILE = Pattern.compile("(?:in use: \"([^\"]+)\")|(?:The file is locked: (\\S+))");
    private static final String OWN_CODE = "com.example.honeybee.";

    private StartupFailure() {
    }

    /**
     * Whether the failure is one of the known kinds whose line says it all (a setting the bundle checked, an H2
     * file in use); for any other, a stack trace helps whoever reports it.
     */
    public static boolean isKnown(Throwable failure) {
        return isKnown(failure, null);
    }

    /**
     * As {@link #isKnown(Throwable)}, with the database URL the start used ({@code honeybee.db.url}, may be null):
     * an H2 file another process holds is known whichever component met the lock first.
     */
    public static boolean isKnown(Throwable failure, String dbUrl) {
        return h2FileInUse(failure, dbUrl).isPresent() || ownMessage(failure) != null;
    }

    /** One line saying what stopped the start and, where known, what to do. */
    public static String describe(Throwable failure) {
        return describe(failure, null);
    }

    /**
     * One line saying what stopped the start, given the database URL the start used ({@code honeybee.db.url}, may be
     * null). Components open the database in no fixed order, and one of them (Quartz's, say) may fail on H2's lock
     * with an error that no longer carries H2's own: so when the URL names an H2 file that another process holds
     * (Linux: /proc/locks), that is the line, whatever failed first.
     */
    public static String describe(Throwable failure, String dbUrl) {
        Optional<String> h2 = h2FileInUse(failure, dbUrl);
        if (h2.isPresent()) {
            return h2.get();
        }
        Throwable own = ownMessage(failure);
        if (own != null) {
            Throwable cause = innermost(own.getCause());
            return own.getMessage().strip() + (cause != null && !own.getMessage().contains(cause.getMessage().strip())
                    ? ": " + cause.getMessage().strip() : "");
        }
        return innermostWithRoute(failure);
    }

    /** The innermost cause with a message, as {@code Class: message}, after the route it concerns if there is one. */
    static String innermostWithRoute(Throwable failure) {
        String route = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (route == null && t instanceof FailedToCreateRouteException created) {
                route = created.getRouteId();
            } else if (route == null && t instanceof FailedToStartRouteException started) {
                route = started.getRouteId();
            }
        }
        Throwable innermost = innermost(failure);
        String message = innermost == null ? failure.getClass().getName()
                : innermost.getClass().getSimpleName() + ": " + innermost.getMessage().strip();
        return (route == null ? "" : "route " + route + ": ") + message;
    }

    /** The innermost exception the bundle's own code raised with a message: those messages name the setting. */
    private static Throwable ownMessage(Throwable failure) {
        Throwable own = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            boolean ours = t.getClass().getName().startsWith(OWN_CODE) || frames.length > 0 && frames[0].getClassName().startsWith(OWN_CODE);
            if (ours && t.getMessage() != null && !t.getMessage().isBlank()
                    && (t instanceof IllegalStateException || t instanceof IllegalArgumentException)) {
                own = t;
            }
        }
        return own;
    }

    private static Throwable innermost(Throwable failure) {
        Throwable innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t;
            }
        }
        return innermost;
    }

    private static Optional<String> h2FileInUse(Throwable failure, String dbUrl) {
        Optional<String> reported = h2FileInUse(failure);
        if (reported.isPresent()) {
            return reported;
        }
        Path file = h2File(dbUrl);
        if (file == null) {
            return Optional.empty();
        }
        return holderPid(file).filter(pid -> pid != ProcessHandle.current().pid()).map(pid -> inUse(file.toString(), describeHolder(pid)));
    }

    /** The MVStore file of an H2 file URL ({@code jdbc:h2:file:PATH;OPTIONS} or {@code jdbc:h2:PATH}), else null. */
    static Path h2File(String dbUrl) {
        if (dbUrl == null || !dbUrl.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = dbUrl.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.startsWith("mem:") || path.startsWith("tcp:") || path.startsWith("ssl:") || path.contains(":") && !path.matches("[A-Za-z]:.*")) {
            return null;
        }
        try {
            String expanded = path.startsWith("~") ? System.getProperty("user.home") + path.substring(1) : path;
            return Path.of(expanded + ".mv.db").toAbsolutePath().normalize();
        } catch (IllegalArgumentException notAPath) {
            return null;
        }
    }

    private static Optional<String> h2FileInUse(Throwable failure) {
        boolean inUse = false;
        String file = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
                inUse = true;
            }
            if (t.getMessage() != null && file == null) {
                Matcher matcher = H2_FILE.matcher(t.getMessage());
                if (matcher.find()) {
                    file = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                }
            }
        }
        if (!inUse) {
            return Optional.empty();
        }
        return Optional.of(inUse(file, file == null ? "another process" : holderOf(Path.of(file))));
    }

    private static String inUse(String file, String holder) {
        return "the H2 database " + (file == null ? "" : file + " ") + "is in use by " + holder
                + " (H2 opens a file from one process at a time): stop that process, or give this one its own database"
                + " with honeybee.db.url (env HONEYBEE_DB_URL)";
    }

    /**
     * The process holding H2's lock on the file: Linux lists file locks with their process in /proc/locks
     * (H2 locks the file through the JDK's FileChannel, a POSIX lock). Elsewhere, or when it cannot be read,
     * "another process".
     */
    static String holderOf(Path file) {
        return holderPid(file).map(StartupFailure::describeHolder).orElse("another process");
    }

    private static String describeHolder(long pid) {
        String command = ProcessHandle.of(pid).flatMap(process -> process.info().commandLine()).orElse(null);
        return "process " + pid + (command == null ? "" : " (" + command + ")");
    }

    /** The pid holding a POSIX lock on the file, from /proc/locks; empty elsewhere, when unreadable or unlocked. */
    static Optional<Long> holderPid(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            Object inode = Files.getAttribute(file, "unix:ino");
            List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
            for (String line : locks) {
                // 1: POSIX  ADVISORY  WRITE 12345 08:01:1234567 0 EOF
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 6 && fields[5].endsWith(":" + inode)) {
                    return Optional.of(Long.parseLong(fields[4]));
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // not Linux, or not readable: the file name is still there
        }
        return Optional.empty();
    }
}
