package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.example.honeybee.HoneybeeConfiguration;
import com.example.honeybee.HoneybeeDefaults;
import org.junit.jupiter.api.Test;

/**
 * The bundle is a guest in its host's class path: at the root of its own class path (what the jar
 * carries) there is nothing a host would take for its own (application.properties, logback.xml, a
 * config/ or db/migration folder), only the bundle's packages and its namespaced honeybee/ folder; and
 * its defaults carry only honeybee.* keys, never a camel.* setting that would reconfigure the host.
 */
class ClasspathHygieneTest {

    @Test
    void theClassPathRootHoldsOnlyTheBundlesOwnNamespaces() throws IOException, URISyntaxException {
        Path root = Path.of(HoneybeeConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> entries = Files.list(root)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).as("entries at the root of %s", root).contains("com", "honeybee").isSubsetOf("com", "honeybee", "META-INF");
        }
    }

    @Test
    void theDefaultsSetOnlyTheBundlesOwnKeys() {
        assertThat(HoneybeeDefaults.load().stringPropertyNames()).isNotEmpty().allMatch(key -> key.startsWith("honeybee."));
    }
}
