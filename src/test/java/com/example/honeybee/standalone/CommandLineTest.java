package com.example.honeybee.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the launcher reads its arguments and the profile's other sources; the process-level behaviour is in CommandLineProcessTest. */
class CommandLineTest {

    @TempDir
    Path config;

    @Test
    void theListedProfilesAreExactlyTheProfileFilesTheJarCarries() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            List<String> shipped = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("application-.+\\.properties"))
                    .map(name -> name.substring("application-".length(), name.length() - ".properties".length())).sorted().toList();
            assertThat(CommandLine.PROFILES.keySet()).containsExactlyInAnyOrderElementsOf(shipped);
        }
    }

    @Test
    void aProfileComesFromTheArgumentsThenTheSystemPropertyThenTheEnvironment() {
        assertThat(CommandLine.parse(List.of("--profile", "demo"), "dev", "postgres", config).profile()).isEqualTo("demo");
        assertThat(CommandLine.parse(List.of("--profile=dev"), null, "postgres", config).profile()).isEqualTo("dev");
        assertThat(CommandLine.parse(List.of(), "dev", "postgres", config).profile()).isEqualTo("dev");
        assertThat(CommandLine.parse(List.of(), null, "postgres", config).profile()).isEqualTo("postgres");
        assertThat(CommandLine.parse(List.of(), "", " ", config)).isEqualTo(new CommandLine(null, false));
    }

    @Test
    void aProfileFileOfTheWorkingDirectoryIsAProfileToo() throws IOException {
        Files.writeString(config.resolve("application-staging.properties"), "honeybee.http.port = 9090\n");

        assertThat(CommandLine.parse(List.of("--profile", "staging"), null, null, config).profile()).isEqualTo("staging");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--profile", "stagign"), null, null, config))
                .hasMessage("unknown profile 'stagign' (--profile): use demo, dev, postgres, staging (a profile is a file "
                        + config.resolve("application-NAME.properties") + ")");
    }

    @Test
    void aNameThatIsNotAPlainWordIsNoProfile() throws IOException {
        Files.writeString(config.resolve("application-.properties"), "");
        for (String name : List.of("", "../config/application", "demo/..", "-demo", "de mo")) {
            assertThatThrownBy(() -> CommandLine.parse(List.of("--profile=" + name), null, null, config)).as(name)
                    .isInstanceOf(CommandLine.UsageException.class);
        }
    }

    @Test
    void helpWinsOverEverythingElseThatIsValid() {
        assertThat(CommandLine.parse(List.of("--profile", "nonsense", "--help"), null, null, config).help()).isTrue();
        assertThat(CommandLine.parse(List.of("-h"), null, "nonsense", config).help()).isTrue();
        assertThatThrownBy(() -> CommandLine.parse(List.of("--help", "--verbose"), null, null, config))
                .hasMessageContaining("unknown option '--verbose'");
    }

    @Test
    void profileWithoutANameIsRefused() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("--profile"), null, null, config)).hasMessageStartingWith("--profile needs a name: use demo");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--profile", "--help"), null, null, config)).hasMessageStartingWith("--profile needs a name");
    }
}
