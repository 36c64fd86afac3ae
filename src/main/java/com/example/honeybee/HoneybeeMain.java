package com.example.honeybee;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.example.honeybee.http.StandaloneHttpServer;
import com.example.honeybee.standalone.CommandLine;
import com.example.honeybee.standalone.RouteFileReload;
import com.example.honeybee.standalone.StartupFailure;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bundle standalone with camel-main: the standalone application's own configuration and logging
 * live in {@code config/} (packaged in the jar under {@value #PACKAGED_CONFIG}, never at its root, so a host
 * that embeds the jar picks up none of it). Properties come from {@code config/application.properties}
 * and, for a profile ({@code --profile NAME}, {@code HONEYBEE_PROFILE} or {@code -Dhoneybee.profile}, checked
 * by {@link CommandLine}; not Camel's own {@code camel.main.profile}),
 * {@code config/application-NAME.properties} on top of it; each is read from the working directory's
 * config/ folder first, then from the jar, so an edited file wins without a rebuild. The bundle's beans
 * come from the class that file names in {@code camel.main.configuration-classes}.
 */
public final class HoneybeeMain {

    /** Where the jar carries the standalone application's config/ folder. */
    static final String PACKAGED_CONFIG = "honeybee/standalone";

    private HoneybeeMain() {
    }

    /**
     * {@code [--profile NAME] [--help]}: exit status 0 after a normal stop or --help, 1 when the application does
     * not start (one line says why), 2 for an option or a profile it does not take ({@link CommandLine}).
     */
    public static void main(String[] args) {
        CommandLine line;
        try {
            line = CommandLine.parse(List.of(args), System.getProperty("honeybee.profile"), System.getenv("HONEYBEE_PROFILE"), Path.of("config"));
        } catch (CommandLine.UsageException wrong) {
            System.err.println("honeybee-partner-routes: " + wrong.getMessage());
            System.exit(CommandLine.USAGE_ERROR);
            return;
        }
        if (line.help()) {
            System.out.print(CommandLine.usage());
            System.exit(0);
            return;
        }
        useStandaloneLogging();
        Main main = create(line.profile(), Map.of());
        try {
            main.run();
        } catch (Exception | LinkageError refused) {
            // the start failed (a setting, the port, the database ...): one line says what to fix, and camel-main's
            // shutdown hook, which would report the exit as a SIGTERM, stands down
            main.completed();
            String dbUrl = databaseUrl(main);
            log().error("not started: {}", StartupFailure.describe(refused, dbUrl));
            if (StartupFailure.isKnown(refused, dbUrl)) {
                log().debug("not started", refused);
            } else {
                log().error("the cause, for a bug report:", refused);
            }
            System.exit(1);
        }
    }

    /** The database URL the failed start used, when its properties got that far; else null. */
    private static String databaseUrl(Main main) {
        try {
            return main.getCamelContext() == null ? null
                    : main.getCamelContext().getPropertiesComponent().resolveProperty("honeybee.db.url").orElse(null);
        } catch (RuntimeException unresolved) {
            return null;
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
