package com.example.honeybee.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

import com.example.honeybee.HoneybeeDefaults;
import com.example.honeybee.HoneybeeSettings;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line a failed start prints, for each kind of failure. */
class StartupFailureTest {

    @TempDir
    Path directory;

    @Test
    void aSettingTheBundleCheckedKeepsItsMessageWhateverWrapsIt() throws Exception {
        IllegalStateException setting = null;
        try (var context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.getPropertiesComponent().addOverrideProperty("honeybee.db.pool-size", "1");
            HoneybeeDefaults.apply(context);
            HoneybeeSettings.read(context.getPropertiesComponent());
        } catch (IllegalStateException e) {
            setting = e;
        }
        assertThat(setting).as("the bundle's own check of honeybee.db.pool-size").isNotNull();
        Throwable wrapped = new FailedToCreateRouteException("honeybee-intake", "Route(honeybee-intake)[...]", "Bean[ref:x]",
                new RuntimeCamelException(new java.lang.reflect.InvocationTargetException(setting)));

        assertThat(StartupFailure.describe(wrapped)).isEqualTo(setting.getMessage()).startsWith("honeybee.db.pool-size");
        assertThat(StartupFailure.isKnown(wrapped)).isTrue();
    }

    @Test
    void anUnknownFailureGivesItsInnermostCauseAndTheRoute() {
        NumberFormatException library = null;
        try {
            Integer.parseInt("ten");
        } catch (NumberFormatException e) {
            library = e;
        }
        Throwable failure = new FailedToCreateRouteException("honeybee-intake", "Route(honeybee-intake)[...]", "Bean[ref:x]",
                new RuntimeCamelException(library));

        assertThat(StartupFailure.describe(failure)).isEqualTo("route honeybee-intake: NumberFormatException: For input string: \"ten\"");
        assertThat(StartupFailure.isKnown(failure)).isFalse();
    }

    @Test
    void anH2FileInUseNamesTheFileFromH2sOwnMessage() {
        // H2's error when another process has the file open (CommandLineProcessTest starts such a process)
        SQLException inUse = new org.h2.jdbc.JdbcSQLNonTransientConnectionException("Database may be already in use: \""
                + directory.resolve("held.mv.db") + "\". Possible solutions: close all other connection(s); use the server mode",
                null, "90020", StartupFailure.H2_DATABASE_IN_USE, null, null);

        assertThat(StartupFailure.describe(new IllegalStateException(new RuntimeException(inUse))))
                .isEqualTo("the H2 database " + directory.resolve("held.mv.db") + " is in use by another process (H2 opens a file from one"
                        + " process at a time): stop that process, or give this one its own database with honeybee.db.url (env HONEYBEE_DB_URL)");
    }

    @Test
    void theProcessHoldingAFileLockIsNamedFromProcLocks() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/locks")), "no /proc/locks on this system (Linux only)");
        Path file = Files.writeString(directory.resolve("locked.mv.db"), "x");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            assertThat(StartupFailure.holderOf(file)).startsWith("process " + ProcessHandle.current().pid() + " (");
        }
        assertThat(StartupFailure.holderOf(file)).isEqualTo("another process");
    }
}
