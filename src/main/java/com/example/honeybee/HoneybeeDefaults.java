package com.example.honeybee;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bundle's defaults ({@value #LOCATION}: {@code honeybee.*} keys only) for whatever its host leaves
 * unset. Each default becomes an <em>initial</em> property of the host's properties component, Camel's
 * lowest-precedence source, and only for a key that does not resolve already: in camel-main the host's
 * files, system properties and environment win anyway, and in Spring Boot (where Camel consults its own
 * sources before Spring's Environment) a key set in the host's application.properties is left alone.
 */
public final class HoneybeeDefaults {

    /** Where the defaults live, in the bundle's own namespace on the class path. */
    public static final String LOCATION = "honeybee/defaults.properties";

    private HoneybeeDefaults() {
    }

    /** Adds each default whose key the host does not resolve; answers how many were added. */
    public static int apply(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties defaults = load();
        int added = 0;
        for (String key : defaults.stringPropertyNames()) {
            if (!isSet(properties, key)) {
                properties.addInitialProperty(key, defaults.getProperty(key).trim());
                added++;
            }
        }
        return added;
    }

    private static boolean isSet(PropertiesComponent properties, String key) {
        try {
            return properties.resolveProperty(key).isPresent();
        } catch (RuntimeException e) {
            // the host's value names a placeholder that is not resolvable yet (perhaps one of these defaults): it is set
            return true;
        }
    }

    /** The defaults as the bundle ships them. */
    public static Properties load() {
        Properties defaults = new Properties();
        try (InputStream in = HoneybeeDefaults.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("classpath:" + LOCATION + " is missing: the bundle's jar is incomplete");
            }
            defaults.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + LOCATION, e);
        }
        return defaults;
    }
}
