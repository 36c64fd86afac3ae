package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every route file validates against Camel's own YAML DSL schema, the camelYamlDsl.json that the
 * camel-yaml-dsl jar in use ships: the file Kaoto, the VS Code extension and Camel JBang check against.
 * A boolean is a boolean there, a number a number; placeholders go where the schema takes a string.
 */
class RouteSchemaTest {

    private static final Path ROUTES = Path.of("routes");
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getClassLoader()
                .getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json in the camel-yaml-dsl jar").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        }
    }

    static Stream<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void isValidAgainstCamelsYamlDslSchema(Path file) throws IOException {
        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        JsonNode document = new ObjectMapper().valueToTree(yaml);

        Set<ValidationMessage> errors = schema.validate(document);

        assertThat(errors).as("schema errors in %s", file).isEmpty();
    }

    @Test
    void everyRouteFileIsNamedSoCamelToolingRecognisesIt() throws IOException {
        List<String> names = routeFiles().map(p -> p.getFileName().toString()).toList();
        assertThat(names).isNotEmpty().allMatch(name -> name.endsWith(".camel.yaml"));
    }
}
