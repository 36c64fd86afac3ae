package com.example.honeybee;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.example.honeybee.standalone.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * The project's documents stand alone and say what the repository holds: no reference to an issue tracker,
 * to files outside the repository or to the product spec they were written from; every relative link leads
 * to a file of the repository; the README names every route file and the usage text's profiles, and shows
 * the exception policy as the shipped file has it.
 */
class DocsStandAloneTest {

    private static final Pattern OUTSIDE = Pattern.compile("(?i)\\bissues? #?\\d+|\\.\\./shared|/work/|SPEC\\.md|design card");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGELOG.md"), Path.of("BENCHMARKS.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    @Test
    void noDocumentPointsOutsideTheRepository() throws IOException {
        for (Path document : documents()) {
            Matcher outside = OUTSIDE.matcher(Files.readString(document));
            List<String> found = new ArrayList<>();
            while (outside.find()) {
                found.add(outside.group());
            }
            assertThat(found).as("references outside the repository in %s", document).isEmpty();
        }
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepository() throws IOException {
        for (Path document : documents()) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1).replaceFirst("#.*$", "");
                if (target.isEmpty() || target.matches("[a-z]+:.*")) {
                    continue;
                }
                Path file = document.toAbsolutePath().getParent().resolve(target).normalize();
                assertThat(file).as("link (%s) in %s", link.group(1), document).exists();
                assertThat(file.startsWith(Path.of("").toAbsolutePath())).as("link (%s) in %s stays in the repository", link.group(1), document).isTrue();
            }
        }
    }

    @Test
    void theReadmeNamesEveryRouteFile() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String list = readme.substring(readme.indexOf("Every route is a YAML file under"), readme.indexOf("## Command line"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                String name = route.getFileName().toString().replace(".camel.yaml", "");
                assertThat(list).as("the README's route list").contains("`" + name + "`");
            }
        }
        Matcher named = Pattern.compile("`([a-z-]+)`").matcher(list.substring(0, list.indexOf("Every route id")));
        while (named.find()) {
            if (!named.group(1).equals("camelYamlDsl")) {
                assertThat(Path.of("routes", named.group(1) + ".camel.yaml")).as("route file the README names").exists();
            }
        }
    }

    @Test
    void theReadmesCommandLineSectionListsTheProfilesTheLauncherTakes() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Command line"), readme.indexOf("## Configuration"));
        for (String profile : CommandLine.PROFILES.keySet()) {
            assertThat(section).contains("| `" + profile + "` |");
        }
        assertThat(CommandLine.usage()).contains("README.md");
    }

    @Test
    void theExceptionPolicyIsShownAsTheShippedFileHasIt() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String policy = readme.substring(readme.indexOf("**Exception policy.**"));
        String example = policy.substring(policy.indexOf("```\n") + 4, policy.indexOf("\n```", policy.indexOf("```\n") + 4));
        List<String> shipped = Files.readAllLines(Path.of("config", "exception-policy.properties"));

        assertThat(shipped).contains(example);
        assertThat(shipped).as("rules in force in the shipped file").allMatch(line -> line.isBlank() || line.startsWith("#"));
    }
}
