package com.example.honeybee.standalone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * What one route file declares, read with Camel's own loader without adding anything to the context: the ids of
 * the routes it runs (its routes, its REST operations, its templated routes), of its route templates and of its
 * route configurations. A reload removes exactly these before loading the file again, and refuses a file that
 * would take an id another file already runs.
 *
 * @param routeIds         every route the file runs, in file order
 * @param templateIds      its {@code routeTemplate}s
 * @param configurationIds its {@code routeConfiguration}s
 */
record RouteFileDeclarations(List<String> routeIds, List<String> templateIds, List<String> configurationIds) {

    static final RouteFileDeclarations NONE = new RouteFileDeclarations(List.of(), List.of(), List.of());

    /**
     * Parses the file as Camel's YAML DSL loader does (its syntax errors and unknown keys surface here).
     *
     * @throws RouteFileRefusedException when a route, REST operation, templated route or route configuration has
     *                                   no id (a reload could not tell its running copy from a new one), or an id
     *                                   appears twice
     */
    static RouteFileDeclarations of(CamelContext context, Resource file) throws Exception {
        List<String> routes = new ArrayList<>();
        List<String> templates = new ArrayList<>();
        List<String> configurations = new ArrayList<>();
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(file));
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routeBuilder) {
                for (RouteDefinition route : routeBuilder.configureRoutes(context).getRoutes()) {
                    routes.add(required(route.hasCustomIdAssigned() ? route.getId() : null, "the route from " + route.getEndpointUrl()));
                }
                for (RestDefinition rest : routeBuilder.getRestCollection().getRests()) {
                    for (VerbDefinition verb : rest.getVerbs()) {
                        String id = verb.getRouteId() != null ? verb.getRouteId() : verb.getId();
                        routes.add(required(id, "the REST operation " + verb.asVerb() + " " + rest.getPath() + (verb.getPath() == null ? "" : verb.getPath())));
                    }
                }
                for (TemplatedRouteDefinition templated : routeBuilder.getTemplatedRouteCollection().getTemplatedRoutes()) {
                    routes.add(required(templated.getRouteId(), "the templated route of " + templated.getRouteTemplateRef()));
                }
                for (RouteTemplateDefinition template : routeBuilder.getRouteTemplateCollection().getRouteTemplates()) {
                    templates.add(template.getId());
                }
            }
            if (builder instanceof RouteConfigurationBuilder configurationBuilder) {
                configurationBuilder.setCamelContext(context);
                configurationBuilder.configuration();
                for (RouteConfigurationDefinition configuration : configurationBuilder.getRouteConfigurationCollection().getRouteConfigurations()) {
                    configurations.add(required(configuration.getId(), "a routeConfiguration"));
                }
            }
        }
        unique(routes, "route id");
        unique(templates, "route template id");
        unique(configurations, "route configuration id");
        return new RouteFileDeclarations(List.copyOf(routes), List.copyOf(templates), List.copyOf(configurations));
    }

    private static String required(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new RouteFileRefusedException(what + " has no id: a live reload needs a stable id on every route");
        }
        return id;
    }

    private static void unique(List<String> ids, String kind) {
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null && !seen.add(id)) {
                throw new RouteFileRefusedException(kind + " " + id + " appears twice in the file");
            }
        }
    }
}
