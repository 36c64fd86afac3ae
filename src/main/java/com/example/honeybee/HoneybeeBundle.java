package com.example.honeybee;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.engine.DefaultCamelBeanPostProcessor;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.PhiFreeMessage;

/**
 * Loads the bundle into a CamelContext that its host built and owns, for hosts that take neither
 * camel-main's {@code camel.main.configuration-classes} nor the Spring Boot auto-configuration (a plain
 * {@code DefaultCamelContext}, an ESB with its own lifecycle). It uses Camel's own mechanisms: the
 * {@link HoneybeeConfiguration} beans go through Camel's bean post-processor, the routes through its
 * routes loader. The host's context keeps its name and configuration.
 */
public final class HoneybeeBundle {

    /** The name a host may bind its own DataSource under, before {@link #install}. */
    public static final String DATA_SOURCE = HoneybeeConfiguration.DATA_SOURCE;
    /**
     * The route files in the jar, one per flow. The flows that need an HTTP server (the sandbox, the demo,
     * the ops API and page) are the files named {@value #SERVER_ROUTES}. The folder stays flat: inside a
     * jar, Camel's resolver mangles the paths of files in subfolders matched by a ** pattern.
     */
    public static final String ROUTES = "classpath:honeybee/routes/*.camel.yaml";
    /** The flows that need a platform-http engine. */
    public static final String SERVER_ROUTES = "classpath:honeybee/routes/server-*.camel.yaml";

    private HoneybeeBundle() {
    }

    /**
     * Declares the beans and loads the core flows (intake, dispatch, event flows, Partner API, outbox,
     * schedules) into an existing context, before the host starts it. {@link #install(CamelContext, boolean)}
     * adds the server flows too.
     */
    public static void install(CamelContext context) throws Exception {
        install(context, false);
    }

    public static void install(CamelContext context, boolean withServerRoutes) throws Exception {
        declare(context);
        loadRoutes(context, ROUTES, withServerRoutes);
    }

    /**
     * The bundle's defaults for unset keys, and its beans in the context's registry: what camel-main does
     * for a class named in camel.main.configuration-classes.
     */
    public static void declare(CamelContext context) throws Exception {
        HoneybeeConfiguration configuration = new HoneybeeConfiguration();
        configuration.configure(context);
        DefaultCamelBeanPostProcessor beans = new DefaultCamelBeanPostProcessor(context);
        beans.postProcessBeforeInitialization(configuration, "honeybeeConfiguration");
        beans.postProcessAfterInitialization(configuration, "honeybeeConfiguration");
    }

    /** Loads route files; the server flows ({@value #SERVER_ROUTES}) only when asked for. */
    public static void loadRoutes(CamelContext context, String pattern, boolean withServerRoutes) throws Exception {
        var resolver = PluginHelper.getPackageScanResourceResolver(context);
        var resources = resolver.findResources(pattern).stream()
                .filter(r -> withServerRoutes || !r.getLocation().contains("/server-")).toList();
        if (resources.isEmpty()) {
            throw new IllegalStateException("no route files found at " + pattern);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources.toArray(Resource[]::new));
    }

    /**
     * Checks the Partner API now, on the caller's thread: fetches a token and verifies
     * honeybee.shipping.method-id against GET /shipping_methods. Fails with a message that says what to fix.
     * The bundle itself never needs this call: its honeybee-partner-api-check route runs the same check in
     * the background from startup on, and the outbox waits for it; a host may call this to fail its own
     * startup on a wrong configuration.
     */
    public static void verifyPartnerApi(CamelContext context) {
        try {
            context.createProducerTemplate().requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof PhiFreeMessage)) {
                cause = cause.getCause();
            }
            boolean sandbox = Boolean.parseBoolean(context.getPropertiesComponent().resolveProperty("honeybee.sandbox.enabled").orElse("false"));
            throw new IllegalStateException("Partner API check failed: " + FailureReason.describe(cause)
                    + ". Check honeybee.api.url, honeybee.oauth.* and honeybee.shipping.method-id"
                    + " (the embedded sandbox is " + (sandbox ? "on" : "off") + ")", cause);
        }
    }
}
