package com.example.honeybee;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.example.honeybee.http.StandaloneHttpServer;
import com.example.honeybee.standalone.RouteFileReload;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bundle standalone with camel-main: the standalone application's own configuration and logging
 * live in {@code config/} (packaged in the jar under {@value #PACKAGED_CONFIG}, never at its root, so a host
 * that embeds the jar picks up none of it). Properties come from {@code config/application.properties}
 * and, for a profile ({@code --profile NAME}, {@code HONEYBEE_PROFILE} or {@code -Dhoneybee.profile}),
 * {@code config/application-NAME.properties} on top of it; each is read from the working directory's
 * config/ folder first, then from the jar, so an edited file wins without a rebuild. The bundle's beans
 * come from the class that file names in {@code camel.main.configuration-classes}.
 */
public final class HoneybeeMain {

    /** Where the jar carries the standalone application's config/ folder. */
    static final String PACKAGED_CONFIG = "honeybee/standalone";

    private HoneybeeMain() {
    }

    public static void main(String[] args) throws Exception {
        useStandaloneLogging();
        List<String> camelArgs = new ArrayList<>();
        String profile = System.getProperty("honeybee.profile", System.getenv("HONEYBEE_PROFILE"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--profile=")) {
                profile = args[i].substring("--profile=".length());
            } else if (args[i].equals("--profile") && i + 1 < args.length) {
                profile = args[++i];
            } else {
                camelArgs.add(args[i]);
            }
        }
        try {
            create(profile, Map.of()).run(camelArgs.toArray(String[]::new));
        } catch (IllegalStateException refused) {
            // the bundle refused to start (the HTTP port is taken, a setting is invalid, ...): the message says what to fix
            log().error("not started: {}", refused.getMessage());
            System.exit(1);
        }
    }

    /** A camel-main application for the profile (may be null), with properties that override every file. */
    public static Main create(String profile, Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(locations(profile));
        overrides.forEach(main::addOverrideProperty);
        if (profile != null) {
            main.addInitialProperty("honeybee.profile", profile);
        }
        main.addMainListener(new StandaloneHttpServer());
        main.addMainListener(RouteFileReload.installer());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                // intake never waits for the Partner API: its check runs in the background (route
                // honeybee-partner-api-check), the outbox holds fills until it passes, readiness shows it
                var properties = support.getCamelContext().getPropertiesComponent();
                log().info("honeybee-partner-routes ready (profile {}): webhooks at http://localhost:{}{}; the Partner API check's"
                                + " state is in /observe/health/ready", properties.resolveProperty("honeybee.profile").orElse("none"),
                        properties.resolveProperty("honeybee.http.port").orElse("?"),
                        properties.resolveProperty("honeybee.webhook.path").orElse("?"));
            }
        });
        return main;
    }

    /** Camel takes a property from the first location that has it, so the most specific file comes first. */
    static String locations(String profile) {
        List<String> locations = new ArrayList<>();
        if (profile != null && !profile.isBlank()) {
            locations.add("file:config/application-" + profile + ".properties;optional=true");
            locations.add("classpath:" + PACKAGED_CONFIG + "/application-" + profile + ".properties;optional=true");
        }
        locations.add("file:config/application.properties;optional=true");
        locations.add("classpath:" + PACKAGED_CONFIG + "/application.properties");
        // last, so lowest: the bundle's defaults, which camel.server.* and the others may name in placeholders
        locations.add("classpath:" + HoneybeeDefaults.LOCATION);
        return String.join(",", locations);
    }

    /**
     * Points logback at the standalone application's configuration before anything logs: config/logback.xml
     * in the working directory, else the copy in the jar. An explicit -Dlogback.configurationFile wins.
     */
    static void useStandaloneLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            java.io.File file = new java.io.File("config/logback.xml");
            System.setProperty("logback.configurationFile", file.isFile() ? file.getPath() : PACKAGED_CONFIG + "/logback.xml");
        }
    }

    private static Logger log() {
        return LoggerFactory.getLogger(HoneybeeMain.class);
    }
}
