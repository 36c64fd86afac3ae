package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.example.honeybee.standalone.RouteFileSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file validates against Camel's own YAML DSL schema, the camelYamlDsl.json that the
 * camel-yaml-dsl jar in use ships: the file Kaoto, the VS Code extension and Camel JBang check against.
 * A boolean is a boolean there, a number a number; placeholders go where the schema takes a string.
 * (The standalone application's live reload holds a saved file to the same schema.)
 */
class RouteSchemaTest {

    private static final Path ROUTES = Path.of("routes");
    private static RouteFileSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = RouteFileSchema.load();
    }

    static Stream<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void isValidAgainstCamelsYamlDslSchema(Path file) throws IOException {
        List<String> errors = schema.errors(Files.readString(file));

        assertThat(errors).as("schema errors in %s", file).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatCamelsLoaderWouldTake() {
        // Camel's loader reads streamCache as text; the schema wants a boolean
        String quotedBoolean = """
                - route:
                    id: r
                    streamCache: "true"
                    from:
                      uri: direct:r
                      steps:
                        - log: x
                """;
        assertThat(schema.errors(quotedBoolean)).singleElement().asString().contains("streamCache").contains("boolean");
        assertThat(schema.errors(quotedBoolean.replace("\"true\"", "true"))).isEmpty();
    }

    @Test
    void everyRouteFileIsNamedSoCamelToolingRecognisesIt() throws IOException {
        List<String> names = routeFiles().map(p -> p.getFileName().toString()).toList();
        assertThat(names).isNotEmpty().allMatch(name -> name.endsWith(".camel.yaml"));
    }
}
