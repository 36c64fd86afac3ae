package com.example.honeybee.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The standalone application's command line: {@code [--profile NAME] [--help]}, and the profile named by
 * {@code HONEYBEE_PROFILE} or {@code -Dhoneybee.profile}. Nothing is passed on to Camel's own command line
 * (its {@code -profile} means a Camel profile, not a file of this application's).
 *
 * @param profile the profile to run, or null for none
 * @param help    print {@link #usage()} and exit 0
 */
public record CommandLine(String profile, boolean help) {

    /** Exit status of a command line this application does not take. */
    public static final int USAGE_ERROR = 2;

    /** The profiles the jar carries (config/application-NAME.properties), with what each is for. */
    public static final Map<String, String> PROFILES = profiles();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private static Map<String, String> profiles() {
        Map<String, String> profiles = new LinkedHashMap<>();
        profiles.put("demo", "all embedded (H2 under ./data, the Honeybee sandbox), one prescription walked through; demo-only secrets");
        profiles.put("dev", "the demo's embedded settings, no walkthrough; routes read from ./routes and reloaded when saved");
        profiles.put("postgres", "instances sharing one PostgreSQL database (HONEYBEE_DB_URL, _USER, _PASSWORD)");
        return Collections.unmodifiableMap(profiles);
    }

    /**
     * Reads the arguments; a profile from the arguments wins over {@code -Dhoneybee.profile}, which wins over
     * {@code HONEYBEE_PROFILE}.
     *
     * @param config the working directory's config folder: a {@code application-NAME.properties} there is a
     *               profile too
     * @throws UsageException an option or a profile this application does not take, with one line saying what it takes
     */
    public static CommandLine parse(List<String> args, String systemProperty, String environment, Path config) {
        String profile = null;
        String source = null;
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (arg.startsWith("--profile=")) {
                profile = arg.substring("--profile=".length());
                source = "--profile";
            } else if (arg.equals("--profile")) {
                if (i + 1 == args.size() || args.get(i + 1).startsWith("-")) {
                    throw new UsageException("--profile needs a name: " + known(config));
                }
                profile = args.get(++i);
                source = "--profile";
            } else {
                String hint = arg.replaceFirst("^-+", "").startsWith("profile") ? " (did you mean --profile NAME?)"
                        : arg.replaceFirst("^-+", "").equals("help") ? " (did you mean --help?)" : "";
                throw new UsageException("unknown option '" + arg + "'" + hint + ": honeybee-partner-routes takes --profile NAME"
                        + " and --help");
            }
        }
        if (profile == null && systemProperty != null && !systemProperty.isBlank()) {
            profile = systemProperty;
            source = "-Dhoneybee.profile";
        }
        if (profile == null && environment != null && !environment.isBlank()) {
            profile = environment;
            source = "HONEYBEE_PROFILE";
        }
        if (profile != null && !help) {
            profile = profile.trim();
            if (!NAME.matcher(profile).matches() || !(PROFILES.containsKey(profile) || Files.isRegularFile(profileFile(config, profile)))) {
                throw new UsageException("unknown profile '" + profile + "' (" + source + "): " + known(config));
            }
        }
        return new CommandLine(profile, help);
    }

    private static Path profileFile(Path config, String profile) {
        return config.resolve("application-" + profile + ".properties");
    }

    private static String known(Path config) {
        List<String> own = ownProfiles(config);
        return "use " + String.join(", ", PROFILES.keySet()) + (own.isEmpty() ? "" : ", " + String.join(", ", own))
                + " (a profile is a file " + profileFile(config, "NAME") + ")";
    }

    /** Profiles the working directory adds: its config/application-NAME.properties beyond the shipped ones. */
    private static List<String> ownProfiles(Path config) {
        try (var files = Files.list(config)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("application-") && name.endsWith(".properties"))
                    .map(name -> name.substring("application-".length(), name.length() - ".properties".length()))
                    .filter(name -> NAME.matcher(name).matches() && !PROFILES.containsKey(name)).sorted().toList();
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** What {@code --help} prints. */
    public static String usage() {
        StringBuilder text = new StringBuilder();
        text.append("""
                Usage: java -jar honeybee-partner-routes.jar [--profile NAME] [--help]

                Runs honeybee-partner-routes standalone: receives Honeybee Health's signed webhooks, stores each one
                before acknowledging it, and places fills through Honeybee's Partner API. Settings come from
                config/application.properties (in the working directory, else the copy in the jar), the profile's
                file on top of it, system properties (-Dkey=value) and the environment, which wins.

                Options
                  --profile NAME   also read config/application-NAME.properties (same as HONEYBEE_PROFILE=NAME)
                  -h, --help       print this text and exit

                Profiles
                """);
        PROFILES.forEach((name, meaning) -> text.append(String.format("  %-10s %s%n", name, meaning)));
        text.append("""
                  (none)     your own settings: at least the webhook signing secrets and the Partner API credentials
                  Your own config/application-NAME.properties is a profile too.

                Key environment variables (each sets a honeybee.* property; the README's configuration table has all)
                  HONEYBEE_HTTP_PORT                port of the HTTP server (8080)
                  HONEYBEE_WEBHOOK_PUBLIC_URL       the webhook URL registered with Honeybee (it is part of the signature)
                  HONEYBEE_WEBHOOK_SIGNING_SECRETS  client secret(s) of Honeybee's event signing credentials, comma-separated
                  HONEYBEE_API_URL                  Partner API base, including /v1 (default: the embedded sandbox)
                  HONEYBEE_OAUTH_TOKEN_URL          Honeybee's OAuth token endpoint
                  HONEYBEE_CLIENT_ID, HONEYBEE_CLIENT_SECRET           Partner API credentials
                  HONEYBEE_DB_URL, HONEYBEE_DB_USER, HONEYBEE_DB_PASSWORD  JDBC database (default: H2 file under ./data)
                  HONEYBEE_OPS_TOKEN                bearer token of the ops API and the operator page (/ops)
                  HONEYBEE_PROFILE                  the profile, when --profile is not given

                Exit status
                  0  stopped (Ctrl+C, SIGTERM) or --help
                  1  did not start; one line says what to fix
                  2  an option or a profile it does not take

                More: README.md of the honeybee-partner-routes project (sections "Command line" and "Configuration").
                """);
        return text.toString();
    }

    /** An option or a profile the application does not take; its message is the one line to print. */
    public static final class UsageException extends RuntimeException {

        public UsageException(String message) {
            super(message);
        }
    }
}
