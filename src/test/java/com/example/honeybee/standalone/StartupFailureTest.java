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

    @Test
    void anH2FileAnotherProcessHoldsIsNamedWhicheverComponentFailedFirst() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/locks")), "no /proc/locks on this system (Linux only)");
        Path file = Files.writeString(directory.resolve("held.mv.db"), "x");
        // another process holds a POSIX lock on the file, as a running bundle's H2 does; python3 takes it, not our code
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl,sys; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX);"
                + " print('locked', flush=True); sys.stdin.read()", file.toString()).redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            // Quartz met the lock first: its error carries nothing of H2's
            RuntimeException quartz = new RuntimeException("Failed to resolve endpoint: quartz://honeybee-reconcile",
                    new SQLException("JobStore could not obtain a connection"));
            String url = "jdbc:h2:file:" + directory.resolve("held") + ";WRITE_DELAY=0";

            assertThat(StartupFailure.describe(quartz, url)).startsWith("the H2 database " + file + " is in use by process " + holder.pid() + " (");
            assertThat(StartupFailure.isKnown(quartz, url)).isTrue();
            // without the URL, or with another database, the failure is what it says
            assertThat(StartupFailure.describe(quartz, null)).isEqualTo("SQLException: JobStore could not obtain a connection");
            assertThat(StartupFailure.isKnown(quartz, "jdbc:h2:mem:honeybee")).isFalse();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertThat(StartupFailure.isKnown(new RuntimeException("x"), "jdbc:h2:file:" + directory.resolve("held"))).as("lock released").isFalse();
    }

    @Test
    void theH2FileOfAUrl() {
        assertThat(StartupFailure.h2File("jdbc:h2:file:/data/honeybee;WRITE_DELAY=0")).isEqualTo(Path.of("/data/honeybee.mv.db"));
        assertThat(StartupFailure.h2File("jdbc:h2:/data/honeybee")).isEqualTo(Path.of("/data/honeybee.mv.db"));
        assertThat(StartupFailure.h2File("jdbc:h2:mem:honeybee")).isNull();
        assertThat(StartupFailure.h2File("jdbc:h2:tcp://localhost/honeybee")).isNull();
        assertThat(StartupFailure.h2File("jdbc:postgresql://localhost/test")).isNull();
        assertThat(StartupFailure.h2File(null)).isNull();
    }
}
