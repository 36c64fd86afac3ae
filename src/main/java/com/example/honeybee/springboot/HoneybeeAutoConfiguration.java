package com.example.honeybee.springboot;

import com.example.honeybee.HoneybeeBundle;
import org.apache.camel.spi.CamelContextCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The bundle in a Spring Boot host with camel-spring-boot: the host adds the bundle's jar and sets
 * {@code camel.main.routes-include-pattern} (and its {@code honeybee.*} settings); this auto-configuration
 * declares the bundle's beans and defaults in the host's CamelContext.
 * <p>
 * camel-spring-boot neither runs a {@link org.apache.camel.CamelConfiguration} nor binds
 * {@code @BindToRegistry} methods (its bean post-processor leaves them to Spring), so the declaration
 * runs through {@link HoneybeeBundle#declare}, as a {@link CamelContextCustomizer}: camel-spring-boot
 * applies every customizer bean while it builds the CamelContext bean, which is before it loads any
 * route (on ContextRefreshedEvent), so the routes' placeholders and preconditions see the defaults and
 * the beans exist when the routes start. The host's own settings win: a default is added only for a
 * {@code honeybee.*} key the host's Environment leaves unset (see {@link com.example.honeybee.HoneybeeDefaults}).
 * <p>
 * Off with {@code honeybee.enabled=false}. Registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}; it names
 * camel-spring-boot's classes by name only, so the bundle does not depend on camel-spring-boot.
 */
@AutoConfiguration(afterName = HoneybeeAutoConfiguration.CAMEL_AUTO_CONFIGURATION)
@ConditionalOnClass(name = HoneybeeAutoConfiguration.CAMEL_AUTO_CONFIGURATION)
@ConditionalOnProperty(prefix = "honeybee", name = "enabled", havingValue = "true", matchIfMissing = true)
public class HoneybeeAutoConfiguration {

    static final String CAMEL_AUTO_CONFIGURATION = "org.apache.camel.spring.boot.CamelAutoConfiguration";

    /** Declares the bundle's defaults and beans in the host's CamelContext while camel-spring-boot builds it. */
    @Bean
    public CamelContextCustomizer honeybeeBundleCustomizer() {
        return context -> {
            try {
                HoneybeeBundle.declare(context);
            } catch (Exception e) {
                throw new IllegalStateException("cannot declare the honeybee-partner-routes beans in the CamelContext", e);
            }
        };
    }
}
