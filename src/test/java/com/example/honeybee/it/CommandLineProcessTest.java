package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone launcher's command line, run as users run it: a separate JVM in a working directory of its
 * own (no config/ folder: the copy in the jar applies), its exit status and what it prints.
 * Exit status 0 for --help, 2 for an option or a profile it does not take, with one line; 1 for a start that
 * fails, with one line naming the property or the process that holds the database, and never camel-main's
 * help, a stack trace or its report of a SIGTERM that never came.
 */
class CommandLineProcessTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path workingDirectory;

    @Test
    void helpPrintsTheBundlesOwnUsageAndExits0() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Run run = launch(Map.of(), Map.of(), help);

            assertThat(run.exit()).as(help).isZero();
            assertThat(run.output()).startsWith("Usage: java -jar honeybee-partner-routes.jar [--profile NAME] [--help]")
                    .contains("demo ", "dev ", "postgres ", "HONEYBEE_HTTP_PORT", "HONEYBEE_WEBHOOK_SIGNING_SECRETS", "HONEYBEE_API_URL",
                            "HONEYBEE_CLIENT_ID, HONEYBEE_CLIENT_SECRET", "HONEYBEE_DB_URL, HONEYBEE_DB_USER, HONEYBEE_DB_PASSWORD",
                            "HONEYBEE_OPS_TOKEN", "HONEYBEE_PROFILE", "README.md")
                    .doesNotContain("Apache Camel Runner", "Unknown option", "-profile <", "Apache Camel (Main)");
        }
    }

    @Test
    void anOptionItDoesNotTakeIsRefusedWithExit2AndOneLine() throws Exception {
        Run camelStyle = launch(Map.of(), Map.of(), "-profile", "demo");

        assertThat(camelStyle.exit()).isEqualTo(2);
        assertThat(camelStyle.lines()).singleElement().asString()
                .isEqualTo("honeybee-partner-routes: unknown option '-profile' (did you mean --profile NAME?): honeybee-partner-routes takes"
                        + " --profile NAME and --help");

        Run other = launch(Map.of(), Map.of(), "--port", "9000");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.lines()).singleElement().asString().contains("unknown option '--port'");
    }

    @Test
    void aMisspeltProfileIsRefusedWithExit2WhereverItCameFrom() throws Exception {
        String allowed = "use demo, dev, postgres (a profile is a file config" + java.io.File.separator + "application-NAME.properties)";

        Run argument = launch(Map.of(), Map.of(), "--profile", "dmeo");
        assertThat(argument.exit()).isEqualTo(2);
        assertThat(argument.lines()).containsExactly("honeybee-partner-routes: unknown profile 'dmeo' (--profile): " + allowed);

        Run environment = launch(Map.of("HONEYBEE_PROFILE", "prod"), Map.of());
        assertThat(environment.exit()).isEqualTo(2);
        assertThat(environment.lines()).containsExactly("honeybee-partner-routes: unknown profile 'prod' (HONEYBEE_PROFILE): " + allowed);

        Run property = launch(Map.of(), Map.of("honeybee.profile", "../etc/passwd"));
        assertThat(property.exit()).isEqualTo(2);
        assertThat(property.lines()).singleElement().asString().contains("unknown profile '../etc/passwd' (-Dhoneybee.profile)");
    }

    @Test
    void aMissingSigningSecretStopsTheStartWithOneLineNamingTheProperty() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("honeybee.http.port", String.valueOf(freePort()));
        properties.put("honeybee.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

        Run run = launch(Map.of(), properties);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).containsOnlyOnce(" ERROR ")
                .containsPattern("ERROR .*HoneybeeMain - not started: honeybee\\.webhook\\.auth=signature needs honeybee\\.webhook\\.signing-secrets"
                        + " \\(env HONEYBEE_WEBHOOK_SIGNING_SECRETS\\)\\n");
        assertNoStackTraceNorFalseSignal(run);
    }

    @Test
    void anH2FileHeldByAnotherBundleStopsTheStartWithOneLineNamingTheFileAndTheProcess() throws Exception {
        Path database = workingDirectory.resolve("data");
        Map<String, String> shared = new HashMap<>();
        shared.put("honeybee.db.url", "jdbc:h2:file:" + database.resolve("honeybee") + ";WRITE_DELAY=0");
        shared.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        shared.put("honeybee.startup.verify-partner-api", "false");
        Path firstLog = workingDirectory.resolve("first.log");
        BundleProcess first = new BundleProcess(freePort(), shared, firstLog).start();
        try {
            Map<String, String> second = new HashMap<>(shared);
            second.put("honeybee.http.port", String.valueOf(freePort()));

            Run run = launch(Map.of(), second);

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.output()).containsOnlyOnce(" ERROR ").contains("HoneybeeMain - not started: the H2 database "
                    + database.resolve("honeybee.mv.db") + " is in use by process " + first.pid() + " (")
                    .contains("stop that process, or give this one its own database with honeybee.db.url (env HONEYBEE_DB_URL)");
            assertNoStackTraceNorFalseSignal(run);
            assertThat(first.isAlive()).as("the first bundle runs on").isTrue();
        } finally {
            first.stop();
        }
    }

    private static void assertNoStackTraceNorFalseSignal(Run run) {
        assertThat(run.output()).doesNotContain("\tat ", "Exception in thread", "Caused by", "SIGTERM", "ready (profile");
    }

    /** What one launch printed (stdout and stderr together) and its exit status. */
    private record Run(int exit, String output) {

        List<String> lines() {
            return output.strip().lines().toList();
        }
    }

    private Run launch(Map<String, String> environment, Map<String, String> properties, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", BundleProcess.classpath()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("com.example.honeybee.HoneybeeMain");
        command.addAll(List.of(args));
        Path output = Files.createTempFile(workingDirectory, "launch-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HONEYBEE_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the launcher did not end within " + LIMIT + ":\n" + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
