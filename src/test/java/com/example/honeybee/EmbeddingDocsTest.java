package com.example.honeybee;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding" section gives the dependency and properties that the consumer projects under
 * src/it use (and mvn verify tests): each properties block there is a verbatim part of that project's
 * application.properties, and the dependency block names this bundle's coordinates, which both projects use.
 */
class EmbeddingDocsTest {

    private static final Path README = Path.of("README.md");

    @Test
    void thePropertiesBlocksAreCopiedFromTheConsumerProjects() throws IOException {
        List<String> blocks = fencedBlocks(embeddingSection(), "properties");

        assertThat(blocks).hasSize(2);
        assertThat(read("src/it/spring-boot-host/src/main/resources/application.properties")).contains(blocks.get(0));
        assertThat(read("src/it/camel-main-host/src/main/resources/application.properties")).contains(blocks.get(1));
    }

    @Test
    void theDependencyBlockNamesThisBundleAsBothConsumerProjectsDo() throws IOException {
        List<String> blocks = fencedBlocks(embeddingSection(), "xml");
        String pom = read("pom.xml");
        String groupId = firstMatch(pom, "<groupId>(com\\.example[^<]*)</groupId>");
        String artifactId = firstMatch(pom, "</groupId>\\s*<artifactId>([^<]+)</artifactId>");
        String version = firstMatch(pom, "</artifactId>\\s*<version>([^<]+)</version>");

        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0)).contains("<groupId>" + groupId + "</groupId>", "<artifactId>" + artifactId + "</artifactId>",
                "<version>" + version + "</version>");
        for (String project : List.of("spring-boot-host", "camel-main-host")) {
            assertThat(read("src/it/" + project + "/pom.xml")).as(project)
                    .contains("<groupId>" + groupId + "</groupId>\n      <artifactId>" + artifactId + "</artifactId>");
        }
    }

    private static String embeddingSection() throws IOException {
        String readme = read(README.toString());
        int start = readme.indexOf("## Embedding in an existing Camel runtime");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("the README's Embedding section").isNotNegative();
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> fencedBlocks(String text, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    private static String firstMatch(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }
}
