package com.example.honeybee.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Camel's YAML DSL schema: the {@value #LOCATION} that the camel-yaml-dsl jar in use ships, the file Kaoto,
 * the VS Code extension and Camel JBang check route files against. Camel's own loader is more lenient (it
 * takes {@code "true"} where the schema wants a boolean); the build ({@code RouteSchemaTest}) and a live
 * reload both hold a route file to the schema, so a file that runs in development also passes the build.
 */
public final class RouteFileSchema {

    /** Where camel-yaml-dsl carries its JSON schema (draft 4). */
    public static final String LOCATION = "schema/camelYamlDsl.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;

    private RouteFileSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** Reads the schema from the class path; fails when camel-yaml-dsl is not there. */
    public static RouteFileSchema load() {
        try (InputStream in = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is not on the class path (camel-yaml-dsl)");
            }
            // draft 4 as the schema declares, plus the one keyword Camel adds to it (informative only)
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4()).keyword(new NonValidationKeyword("deprecated")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder.metaSchema(draft4));
            return new RouteFileSchema(factory.getSchema(JSON.readTree(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
    }

    /**
     * The schema's complaints about one route file, each naming the JSON path of the offending value
     * ({@code $[0].route.streamCache: string found, boolean expected}); empty when the file is valid.
     *
     * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException when the text is not YAML at all
     */
    public List<String> errors(String yaml) {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        JsonNode tree = JSON.valueToTree(document);
        return schema.validate(tree).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
