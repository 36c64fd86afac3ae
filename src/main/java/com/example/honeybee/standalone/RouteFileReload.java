package com.example.honeybee.standalone;

import java.io.File;
import java.io.FileFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spi.RouteStartupOrder;
import org.apache.camel.support.PatternHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live route editing for the standalone application: what happens when Camel's file watcher
 * ({@code camel.main.routes-reload-enabled}, {@code -directory}, {@code -pattern}; Camel's
 * {@link RouteWatcherReloadStrategy}) sees a route file saved. It reloads that file's routes and leaves every
 * other route running:
 * <ol>
 * <li>the saved text is checked before anything running is touched: against Camel's YAML DSL schema
 * ({@link RouteFileSchema}), parsed by Camel's loader, and its ids ({@link RouteFileDeclarations}) must not be
 * ones another file runs;</li>
 * <li>the file's previous routes, REST operations, templated routes, route templates and route configurations
 * are removed and the saved text is loaded through Camel's routes loader, as at startup; when the file holds
 * route configurations, the routes of other files that use them are loaded again so they take the change;</li>
 * <li>if anything fails (a missing bean, a route that does not start), what the attempt added is removed and
 * the previous version is loaded again.</li>
 * </ol>
 * A refused or failed save is logged at ERROR with the file and the cause, and turns readiness
 * ({@link RouteReloadReadiness}) DOWN until the file is saved in a form that loads, or back as it runs.
 * An unchanged save does nothing. A deleted file's routes keep running until the next start.
 * <p>
 * Camel's own reaction to a save (4.18) cannot do this: by default it removes every route and loads every
 * file again, which fails with a duplicate id as soon as one file holds several routes (CAMEL-24866) and then
 * leaves the application without routes; with {@code routes-reload-remove-all-routes=false} it updates one
 * file but adds its REST routes twice, never rebuilds templated routes or the routes using a changed route
 * configuration, lets a file take over another file's route id, and leaves the file half removed when the
 * update fails.
 */
public final class RouteFileReload implements ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    private final CamelContext context;
    private final Map<Path, RunningFile> running = new ConcurrentHashMap<>();
    private final Map<Path, Failure> failures = new ConcurrentHashMap<>();
    private final CompletableFuture<RouteFileSchema> schema;

    /** A route file as it runs: the text that was loaded and what it declares. */
    private record RunningFile(String name, Path path, String text, RouteFileDeclarations declarations) {

        Resource resource() {
            return ResourceHelper.fromString("file:" + path, text);
        }
    }

    /** A save that did not load: its text (an editor's second write event of the same text is not tried again) and why. */
    private record Failure(String text, String cause) {
    }

    RouteFileReload(CamelContext context) {
        this.context = context;
        // reading Camel's schema takes seconds: in the background, so the first save does not wait for it
        this.schema = CompletableFuture.supplyAsync(RouteFileSchema::load);
    }

    /**
     * The camel-main listener that puts this reload behind Camel's file watcher when
     * {@code camel.main.routes-reload-enabled} is true (the dev profile), registers its readiness check, and
     * once the routes run, records what each watched file runs.
     */
    public static MainListenerSupport installer() {
        return new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                CamelContext context = main.getCamelContext();
                RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
                if (watcher == null) {
                    return;
                }
                RouteFileReload reload = new RouteFileReload(context);
                watcher.setResourceReload(reload);
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    RouteReloadReadiness readiness = new RouteReloadReadiness(reload);
                    readiness.setCamelContext(context);
                    health.register(readiness);
                }
                try {
                    context.addStartupListener(new StartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                            // the routes start after this
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                            reload.adopt(new File(watcher.getFolder()), watcher.getFileFilter());
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot watch the route files", e);
                }
            }
        };
    }

    /** The files whose last save was refused or failed to load, each with its cause; empty when all run as saved. */
    public Map<String, String> failures() {
        Map<String, String> byFile = new TreeMap<>();
        failures.forEach((path, failure) -> byFile.put(path.toString(), failure.cause()));
        return byFile;
    }

    /** The text a route file runs now (as loaded at startup or by its last save that loaded), if it runs. */
    public Optional<String> runningText(Path file) {
        return Optional.ofNullable(running.get(file.toAbsolutePath().normalize())).map(RunningFile::text);
    }

    /** Records what each watched file runs now, as loaded at startup, so a save can replace exactly that. */
    void adopt(File folder, FileFilter filter) {
        File[] files = folder.listFiles(file -> file.isFile() && (filter == null || filter.accept(file)));
        if (files == null) {
            return;
        }
        for (File file : files) {
            Path path = file.toPath().toAbsolutePath().normalize();
            try {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                running.put(path, new RunningFile(file.getPath(), path, text, RouteFileDeclarations.of(context, ResourceHelper.fromString("file:" + path, text))));
            } catch (Exception e) {
                // a file that did not load at startup either: the first save that loads adds its routes
                LOG.debug("{} does not load now; its routes come with its next save", file, e);
            }
        }
    }

    @Override
    public void onReload(String name, Resource resource) {
        Path path = Path.of(name).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            if (running.containsKey(path)) {
                failures.remove(path);
                LOG.warn("{} was deleted: its routes keep running until the application restarts", name);
            }
            return;
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            fail(name, path, "", e);
            return;
        }
        if (text.isBlank()) {
            // an editor truncates the file before it writes it: the write that follows is the save
            LOG.debug("{} is empty; waiting for its content", name);
            return;
        }
        Failure failed = failures.get(path);
        if (failed != null && failed.text().equals(text)) {
            LOG.debug("{} is as it was when it failed to load", name);
            return;
        }
        RunningFile previous = running.get(path);
        if (previous != null && previous.text().equals(text)) {
            if (failures.remove(path) != null) {
                LOG.info("{} is back as it runs: readiness no longer waits for it", name);
            }
            return;
        }
        try {
            long started = System.nanoTime();
            RunningFile next = check(name, path, text, previous);
            List<RunningFile> dependents = dependents(previous, next);
            replace(previous, next, dependents);
            running.put(path, next);
            failures.remove(path);
            List<String> runs = next.declarations().routeIds().stream().filter(id -> context.getRoute(id) != null).toList();
            LOG.info("reloaded {} in {} ms: {} route(s) {}{}; every other route kept running", name, (System.nanoTime() - started) / 1_000_000,
                    runs.size(), runs, dependents.isEmpty() ? ""
                            : "; the routes of " + dependents.stream().map(RunningFile::name).sorted().toList() + " were loaded again to take its route configurations");
        } catch (Exception e) {
            fail(name, path, text, e);
        }
    }

    private void fail(String name, Path path, String text, Exception e) {
        String cause = describe(e);
        failures.put(path, new Failure(text, cause));
        LOG.error("reload of {} failed, its previous routes keep running and readiness is DOWN until it is fixed: {}", name, cause);
        LOG.debug("reload of {} failed", name, e);
    }

    /** Refuses the saved text before any running route is touched. */
    private RunningFile check(String name, Path path, String text, RunningFile previous) throws Exception {
        List<String> errors = schema().errors(text);
        if (!errors.isEmpty()) {
            throw new RouteFileRefusedException("not valid against Camel's YAML DSL schema (" + RouteFileSchema.LOCATION + "): "
                    + String.join("; ", errors.subList(0, Math.min(3, errors.size()))) + (errors.size() > 3 ? "; …" : ""));
        }
        RouteFileDeclarations declarations = RouteFileDeclarations.of(context, ResourceHelper.fromString("file:" + path, text));
        RouteFileDeclarations own = previous == null ? RouteFileDeclarations.NONE : previous.declarations();
        Model model = model();
        for (String id : declarations.routeIds()) {
            if (!own.routeIds().contains(id) && (context.getRoute(id) != null || model.getRouteDefinition(id) != null)) {
                throw new RouteFileRefusedException("route id " + id + " is already used by " + owner(id, RouteFileDeclarations::routeIds));
            }
        }
        for (String id : declarations.templateIds()) {
            if (!own.templateIds().contains(id) && model.getRouteTemplateDefinition(id) != null) {
                throw new RouteFileRefusedException("route template id " + id + " is already used by " + owner(id, RouteFileDeclarations::templateIds));
            }
        }
        for (String id : declarations.configurationIds()) {
            if (!own.configurationIds().contains(id) && model.getRouteConfigurationDefinition(id) != null) {
                throw new RouteFileRefusedException("route configuration id " + id + " is already used by "
                        + owner(id, RouteFileDeclarations::configurationIds));
            }
        }
        return new RunningFile(name, path, text, declarations);
    }

    private String owner(String id, java.util.function.Function<RouteFileDeclarations, List<String>> ids) {
        return running.values().stream().filter(file -> ids.apply(file.declarations()).contains(id)).map(RunningFile::name)
                .findFirst().orElse("a route that was not loaded from this folder");
    }

    /** The other files whose routes use a route configuration this file declares (or declared). */
    private List<RunningFile> dependents(RunningFile previous, RunningFile next) {
        Set<String> configurations = new LinkedHashSet<>(next.declarations().configurationIds());
        if (previous != null) {
            configurations.addAll(previous.declarations().configurationIds());
        }
        if (configurations.isEmpty()) {
            return List.of();
        }
        Model model = model();
        List<RunningFile> dependents = new ArrayList<>();
        for (RunningFile file : running.values()) {
            if (file.path().equals(next.path())) {
                continue;
            }
            boolean uses = file.declarations().routeIds().stream().map(model::getRouteDefinition).filter(Objects::nonNull)
                    .anyMatch(route -> usesAny(route, configurations));
            if (uses) {
                dependents.add(file);
            }
        }
        return dependents;
    }

    /** As Camel applies them: a route names its configurations (patterns allowed); a route naming none takes them all. */
    private static boolean usesAny(RouteDefinition route, Set<String> configurations) {
        String named = route.getRouteConfigurationId();
        if (named == null || named.isBlank()) {
            return true;
        }
        for (String pattern : named.split(",")) {
            for (String id : configurations) {
                if (PatternHelper.matchPattern(id, pattern.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces the file's running version; on any failure, puts everything back as it ran. */
    private void replace(RunningFile previous, RunningFile next, List<RunningFile> dependents) throws Exception {
        List<RunningFile> outgoing = new ArrayList<>(dependents);
        if (previous != null) {
            outgoing.add(0, previous);
        }
        try {
            unload(outgoing);
            load(next);
            for (RunningFile dependent : dependents) {
                load(dependent);
            }
        } catch (Exception failure) {
            try {
                unload(concat(next, dependents));
                for (RunningFile file : outgoing) {
                    load(file);
                }
            } catch (Exception restore) {
                failure.addSuppressed(restore);
                LOG.error("could not restore the previous routes of {}: {} (restart the application)", next.name(), describe(restore));
            }
            throw failure;
        }
    }

    private void load(RunningFile file) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(file.resource());
    }

    /**
     * Removes what the files declare: their routes, templates, configurations and REST definitions. The routes
     * stop together, in one graceful shutdown (Camel's shutdown strategy, {@code camel.main.shutdown-timeout}):
     * their consumers stop taking new work while the {@code direct:} ones stay until the exchanges in flight
     * have finished, so a request already inside the file's routes is answered.
     */
    private void unload(List<RunningFile> files) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        files.forEach(file -> ids.addAll(file.declarations().routeIds()));
        List<RouteStartupOrder> running = context.getCamelContextExtension().getRouteStartupOrder().stream()
                .filter(order -> ids.contains(order.getRoute().getRouteId())).toList();
        if (!running.isEmpty()) {
            context.getShutdownStrategy().shutdown(context, new ArrayList<>(running));
        }
        Model model = model();
        for (String id : ids) {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
            RouteDefinition leftover = model.getRouteDefinition(id);
            if (leftover != null) {
                model.removeRouteDefinition(leftover);
            }
        }
        for (RunningFile file : files) {
            for (String id : file.declarations().templateIds()) {
                RouteTemplateDefinition template = model.getRouteTemplateDefinition(id);
                if (template != null) {
                    model.removeRouteTemplateDefinition(template);
                }
            }
            for (String id : file.declarations().configurationIds()) {
                RouteConfigurationDefinition configuration = model.getRouteConfigurationDefinition(id);
                if (configuration != null) {
                    model.removeRouteConfiguration(configuration);
                }
            }
            // REST definitions have no id of their own; they carry the file they came from
            model.getRestDefinitions().removeIf(rest -> rest.getResource() != null && file.path().equals(pathOf(rest.getResource())));
        }
    }

    private static List<RunningFile> concat(RunningFile file, List<RunningFile> others) {
        List<RunningFile> all = new ArrayList<>(others.size() + 1);
        all.add(file);
        all.addAll(others);
        return all;
    }

    private static Path pathOf(Resource resource) {
        String location = resource.getLocation();
        String plain = location.startsWith("file:") ? location.substring("file:".length()) : location;
        try {
            return Path.of(plain).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The cause a person can act on: what was refused, or the innermost message, with the route it concerns. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RouteFileRefusedException) {
                return t.getMessage();
            }
        }
        return StartupFailure.innermostWithRoute(failure);
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    private RouteFileSchema schema() {
        return schema.join();
    }
}
