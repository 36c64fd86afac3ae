package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.honeybee.standalone.RouteFileReload;
import org.apache.camel.Route;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Live route editing: a running bundle reloads its route files from a folder as the dev
 * profile does ({@code camel.main.routes-reload-enabled}, on a copy of {@code routes/}). Every route file is
 * saved unchanged, then with a real change, then back: each save reloads that file's routes and no other
 * route stops, the change takes effect over HTTP, and every route id stays. A save that cannot load (bad YAML,
 * a schema violation, a missing bean, another file's route id) keeps the previous routes serving, logs an
 * ERROR naming the file and the cause, and turns readiness DOWN until the file is fixed.
 * <p>
 * Which file runs which route is read here from the YAML itself (route ids, REST operation ids, templated
 * route ids), independently of the reload's own bookkeeping.
 */
class RouteReloadTest {

    private static final String TOKEN = "route-reload-test-token";
    private static final Duration RELOAD = Duration.ofSeconds(30);

    private static Path routes;
    private static RunningBundle bundle;
    private static RouteWatcherReloadStrategy watcher;
    private static RouteFileReload reload;
    private static Map<Path, String> originals;
    private static Set<String> startupIds;

    @BeforeAll
    static void startWithReload() throws IOException {
        routes = Files.createTempDirectory("honeybee-routes-");
        originals = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.sorted().toList()) {
                Path copy = Files.copy(file, routes.resolve(file.getFileName()));
                originals.put(copy, Files.readString(copy));
            }
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        settings.put("camel.main.routes-reload-enabled", "true");
        settings.put("camel.main.routes-reload-directory", routes.toString());
        settings.put("honeybee.ops.token", TOKEN);
        bundle = RunningBundle.start(settings);
        watcher = bundle.context().hasService(RouteWatcherReloadStrategy.class);
        assertThat(watcher).as("Camel's route watcher").isNotNull();
        reload = (RouteFileReload) watcher.getResourceReload();
        startupIds = routeIds();
        assertThat(startupIds).contains("honeybee-intake", "honeybee-ops-list-orders", "honeybee-ops-list-orders-rest", "honeybee-sandbox-api");
    }

    @AfterAll
    static void stop() throws IOException {
        if (bundle != null) {
            bundle.close();
        }
        try (Stream<Path> files = Files.walk(routes)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Each test leaves every file as it found it, running as it started. */
    @AfterEach
    void everyFileBackAsItStarted() {
        originals.forEach((file, text) -> {
            if (!text.equals(read(file))) {
                applied(file, text);
            }
        });
        assertThat(reload.failures()).isEmpty();
        assertThat(routeIds()).isEqualTo(startupIds);
        assertThat(ready().statusCode()).isEqualTo(200);
    }

    @Test
    void everyRouteFileReloadsAloneWhenSavedUnchangedChangedAndBack() {
        for (Map.Entry<Path, String> entry : originals.entrySet()) {
            Path file = entry.getKey();
            String original = entry.getValue();
            String stem = file.getFileName().toString().replace(".camel.yaml", "");
            // the file's routes, and those of every file using a route configuration it declares, load again
            Set<String> reloaded = new TreeSet<>(declaredRouteIds(original));
            Set<String> configurations = declared(original, "routeConfiguration", "id");
            originals.forEach((other, otherText) -> {
                if (!other.equals(file) && declared(otherText, "route", "routeConfigurationId").stream().anyMatch(configurations::contains)) {
                    reloaded.addAll(declaredRouteIds(otherText));
                }
            });

            // saved unchanged: nothing restarts
            Map<String, Route> before = routes();
            int handled = watcher.getReloadCounter();
            save(file, original);
            await().atMost(RELOAD).until(() -> watcher.getReloadCounter() > handled);
            assertThat(routes()).as("after saving %s unchanged", file.getFileName()).isEqualTo(before);

            // saved with a new route: it answers, the file's routes were loaded again, the others kept running
            String probeId = "honeybee-reload-probe-" + stem;
            applied(file, original + probe(probeId, stem));
            assertThat(get("/reload-probe/" + stem).body()).isEqualTo(stem + " v2");
            Map<String, Route> after = routes();
            assertThat(after.keySet()).as("route ids after changing %s", file.getFileName()).containsAll(startupIds).contains(probeId)
                    .hasSize(startupIds.size() + 1);
            for (String id : startupIds) {
                if (reloaded.contains(id)) {
                    assertThat(after.get(id)).as("route %s, loaded again with %s", id, file.getFileName()).isNotSameAs(before.get(id));
                } else {
                    assertThat(after.get(id)).as("route %s, kept running while %s reloaded", id, file.getFileName()).isSameAs(before.get(id));
                }
            }
            assertThat(ready().statusCode()).isEqualTo(200);

            // and back: the probe route is gone with the text that declared it
            applied(file, original);
            assertThat(get("/reload-probe/" + stem).statusCode()).isEqualTo(404);
            assertThat(routeIds()).isEqualTo(startupIds);
        }
    }

    @Test
    void aChangedConstantInAnExistingRouteTakesEffect() {
        Path intake = routes.resolve("intake.camel.yaml");
        String original = originals.get(intake);
        assertThat(accepted().headers().firstValue("Content-Type")).hasValue("application/json");

        applied(intake, replaceLast(original, "constant: application/json", "constant: application/json; charset=utf-8"));

        assertThat(accepted().headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void aChangedRouteConfigurationReachesTheRoutesOfOtherFilesThatUseIt() {
        Path errorHandling = routes.resolve("error-handling.camel.yaml");
        String original = originals.get(errorHandling);
        String intakeErrors = original.substring(original.indexOf("id: honeybee-intake-errors"), original.indexOf("id: honeybee-event-processing"));
        assertThat(intakeErrors).contains("constant: application/json");
        assertThat(forged().statusCode()).isEqualTo(401);
        assertThat(forged().headers().firstValue("Content-Type")).hasValue("application/json");

        applied(errorHandling, original.replace(intakeErrors, intakeErrors.replace("constant: application/json", "constant: application/problem+json")));

        // the intake's routes live in intake.camel.yaml
        HttpResponse<String> refused = forged();
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(accepted().statusCode()).isEqualTo(200);
    }

    @Test
    void aChangedRouteTemplateReachesItsTemplatedRoutes() {
        Path file = routes.resolve("server-ops-api.camel.yaml");
        String original = originals.get(file);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);
        String answer = "          - to: direct:honeybee-ops-api-answer\n\n# one route per operation";
        assertThat(original).as("the ops operation template ends with its answer").contains(answer);
        assertThat(ops.get("/orders").status()).isEqualTo(200);

        applied(file, original.replace(answer, """
                          - setHeader:
                              name: CamelHttpResponseCode
                              constant: "203"
                """ + answer));

        assertThat(ops.get("/orders").status()).isEqualTo(203);
        assertThat(new OpsClient(bundle.port(), "wrong-token").get("/orders").status()).isEqualTo(401);
    }

    @Test
    void aSaveThatCannotLoadKeepsTheRunningRoutesNamesTheFileAndTurnsReadinessDown() {
        Path intake = routes.resolve("intake.camel.yaml");
        Path rxReceived = routes.resolve("rx-received.camel.yaml");
        String intakeText = originals.get(intake);
        assertThat(intakeText).contains("ref: honeybeeWebhookAuthenticator", "description: Receives Honeybee's webhooks over HTTP");
        assertThat(originals.get(rxReceived)).contains("id: honeybee-rx-received");

        refused(intake, intakeText + "\n- route: [ unclosed\n", "while parsing", true);
        refused(intake, intakeText.replace("description: Receives Honeybee's webhooks over HTTP",
                "streamCache: \"true\"\n    description: Receives Honeybee's webhooks over HTTP"), "streamCache", true);
        refused(rxReceived, originals.get(rxReceived).replace("id: honeybee-rx-received", "id: honeybee-intake"),
                "route id honeybee-intake is already used by " + intake, true);
        // a missing bean shows only when the route is created: the file's previous routes are loaded again
        refused(intake, intakeText.replace("ref: honeybeeWebhookAuthenticator", "ref: honeybeeNoSuchAuthenticator"), "honeybeeNoSuchAuthenticator", false);
        assertThat(routeIds()).isEqualTo(startupIds);

        // broken, then fixed with a change: the change loads and readiness is UP again
        save(intake, intakeText.replace("ref: honeybeeWebhookAuthenticator", "ref: honeybeeNoSuchAuthenticator"));
        await().atMost(RELOAD).until(() -> reload.failures().containsKey(intake.toString()));
        assertThat(ready().statusCode()).isEqualTo(503);
        applied(intake, replaceLast(intakeText, "constant: application/json", "constant: application/json; charset=utf-8"));
        assertThat(accepted().headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(ready().statusCode()).isEqualTo(200);
    }

    /**
     * Saves a text that cannot load; then the routes run as before (a signed webhook is accepted, a forged one
     * refused, the event processed), an ERROR names the file and the cause, readiness is DOWN naming the file,
     * and saving the file back as it runs clears it.
     *
     * @param untouched refused before anything ran: not even the file's own routes were restarted
     */
    private void refused(Path file, String text, String cause, boolean untouched) {
        Map<String, Route> before = routes();
        Set<String> own = declaredRouteIds(originals.get(file));
        try (LogCapture logs = LogCapture.attach()) {
            save(file, text);
            await().atMost(RELOAD).untilAsserted(() -> assertThat(logs.text())
                    .contains("reload of " + file + " failed, its previous routes keep running").contains(cause));
        }
        assertThat(reload.failures()).containsKey(file.toString());
        HttpResponse<String> ready = ready();
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("honeybee-route-reload").contains(file.getFileName().toString());
        Map<String, Route> after = routes();
        assertThat(after.keySet()).as("route ids after a refused save of %s", file.getFileName()).isEqualTo(before.keySet());
        before.forEach((id, route) -> {
            if (untouched || !own.contains(id)) {
                assertThat(after.get(id)).as("route %s after a refused save of %s", id, file.getFileName()).isSameAs(route);
            }
        });
        String eventId = UUID.randomUUID().toString();
        assertThat(bundle.postSigned(RunningBundle.payload("rx-received.json", eventId)).body()).contains("\"accepted\"");
        bundle.awaitStatus(eventId, com.example.honeybee.inbox.InboxStatus.PROCESSED);
        assertThat(forged().statusCode()).isEqualTo(401);

        save(file, originals.get(file));
        await().atMost(RELOAD).until(() -> reload.failures().isEmpty());
        assertThat(ready().statusCode()).isEqualTo(200);
        assertThat(routes()).isEqualTo(after);
    }

    /** Saves a text and waits until the file runs it. */
    private static void applied(Path file, String text) {
        save(file, text);
        await().atMost(RELOAD).untilAsserted(() -> {
            assertThat(reload.failures()).doesNotContainKey(file.toString());
            assertThat(reload.runningText(file)).hasValue(text);
        });
    }

    private static String probe(String id, String stem) {
        return """

                - route:
                    id: %s
                    routeConfigurationId: honeybee-event-flow
                    from:
                      uri: platform-http:/reload-probe/%s
                      steps:
                        - setBody:
                            constant: %s v2
                """.formatted(id, stem, stem);
    }

    /** The ids of the routes a file runs, read from its YAML: routes, REST operations, templated routes. */
    @SuppressWarnings("unchecked")
    private static Set<String> declaredRouteIds(String yaml) {
        Set<String> ids = new TreeSet<>();
        for (Object item : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml)) {
            Map<String, Object> element = (Map<String, Object>) item;
            if (element.get("route") instanceof Map<?, ?> route) {
                ids.add((String) route.get("id"));
            }
            if (element.get("templatedRoute") instanceof Map<?, ?> templated) {
                ids.add((String) templated.get("routeId"));
            }
            if (element.get("rest") instanceof Map<?, ?> rest) {
                for (String verb : List.of("get", "post", "put", "delete", "patch", "head")) {
                    if (rest.get(verb) instanceof List<?> operations) {
                        operations.forEach(operation -> ids.add((String) ((Map<String, Object>) operation).get("id")));
                    }
                }
            }
        }
        return ids;
    }

    /** One key of every top-level element of a kind ({@code route}, {@code routeConfiguration}) in a file. */
    @SuppressWarnings("unchecked")
    private static Set<String> declared(String yaml, String kind, String key) {
        Set<String> values = new TreeSet<>();
        for (Object item : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml)) {
            if (((Map<String, Object>) item).get(kind) instanceof Map<?, ?> element && element.get(key) instanceof String value) {
                values.add(value);
            }
        }
        return values;
    }

    private static String replaceLast(String text, String target, String replacement) {
        int at = text.lastIndexOf(target);
        assertThat(at).as("'%s' in the file", target).isNotNegative();
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    private static Map<String, Route> routes() {
        return bundle.context().getRoutes().stream().collect(Collectors.toMap(Route::getRouteId, route -> route));
    }

    private static Set<String> routeIds() {
        List<String> ids = new ArrayList<>(bundle.context().getRoutes().stream().map(Route::getRouteId).toList());
        Set<String> unique = new TreeSet<>(ids);
        assertThat(ids).as("route ids, each once").hasSameSizeAs(unique);
        return unique;
    }

    private static void save(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> accepted() {
        HttpResponse<String> response = bundle.postSigned(RunningBundle.payload("rx-received.json", UUID.randomUUID().toString()));
        assertThat(response.body()).contains("\"accepted\"");
        return response;
    }

    private HttpResponse<String> forged() {
        return bundle.post(RunningBundle.payload("rx-received.json", UUID.randomUUID().toString()),
                Map.of("Content-Type", "application/json", "X-Honeybee-Signature", "forged"));
    }

    private HttpResponse<String> ready() {
        return get("/observe/health/ready?data=true");
    }

    private HttpResponse<String> get(String path) {
        return bundle.get(path);
    }
}
