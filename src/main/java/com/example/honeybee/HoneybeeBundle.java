package com.example.honeybee;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.example.honeybee.api.ApiCallLog;
import com.example.honeybee.api.OAuthTokens;
import com.example.honeybee.api.PartnerApi;
import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.demo.DemoDriver;
import com.example.honeybee.orders.ExceptionActions;
import com.example.honeybee.orders.ExceptionPolicy;
import com.example.honeybee.observe.DatabaseReadiness;
import com.example.honeybee.observe.HoneybeeMetrics;
import com.example.honeybee.ops.OpsApi;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillRequests;
import com.example.honeybee.orders.OrderPlacement;
import com.example.honeybee.orders.OrderRequestFactory;
import com.example.honeybee.orders.RetrySchedule;
import com.example.honeybee.orders.ShippingMethods;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatientDirectory;
import com.example.honeybee.patients.PatientCsvImporter;
import com.example.honeybee.patients.PatientMatcher;
import com.example.honeybee.patients.PatientReviewQueue;
import com.example.honeybee.refill.QuartzClustering;
import com.example.honeybee.refill.RefillSchedule;
import com.example.honeybee.refill.ScheduleRuns;
import com.example.honeybee.sandbox.SandboxFaults;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.example.honeybee.sandbox.SandboxWebhookSender;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.inbox.EventTransaction;
import com.example.honeybee.inbox.InboxGroupCommit;
import com.example.honeybee.inbox.FailedAttemptCounter;
import com.example.honeybee.inbox.InboxEventReader;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.record.ShipmentRepository;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.PhiFreeMessage;
import com.example.honeybee.support.Settings;
import com.example.honeybee.webhook.CidrAllowlist;
import com.example.honeybee.webhook.SignatureVerifier;
import com.example.honeybee.webhook.WebhookAuthenticator;
import com.example.honeybee.webhook.WebhookEventValidator;
import com.example.honeybee.webhook.WebhookResponses;
import com.example.honeybee.webhook.WebhookTransportGuard;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's beans, bound by name into any CamelContext: the standalone camel-main application
 * and an ESB that loads the routes into a context of its own use the same wiring. An ESB may bind
 * its own DataSource as {@value #DATA_SOURCE} first; otherwise one is built from honeybee.db.*.
 */
public final class HoneybeeBundle {

    public static final String DATA_SOURCE = "honeybeeDataSource";
    /**
     * The route files, packaged in the jar; camel-main can load them from the routes/ folder instead.
     * The flows that need the embedded HTTP server (the sandbox, the demo, the ops API and page) are the
     * files named routes/server-*.yaml. The folder stays flat: inside a jar, Camel's resolver mangles
     * the paths of files in subfolders matched by a ** pattern.
     */
    public static final String ROUTES = "classpath:routes/*.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(HoneybeeBundle.class);

    private HoneybeeBundle() {
    }

    /**
     * Binds the beans and loads the routes into an existing context (the embedding entry point): the
     * intake, the event flows, the Partner API, the outbox and the schedules. The server flows (sandbox,
     * demo, ops API and page: routes/server-*.yaml) need a platform-http engine; {@link #install(CamelContext, boolean)} adds them.
     */
    public static void install(CamelContext context) throws Exception {
        install(context, false);
    }

    public static void install(CamelContext context, boolean withServerRoutes) throws Exception {
        bindBeans(context);
        loadRoutes(context, ROUTES, withServerRoutes);
    }

    /** Loads route files; the server flows (routes/server-*.yaml) only when asked for. */
    public static void loadRoutes(CamelContext context, String pattern, boolean withServerRoutes) throws Exception {
        var resolver = PluginHelper.getPackageScanResourceResolver(context);
        var resources = resolver.findResources(pattern).stream()
                .filter(r -> withServerRoutes || !r.getLocation().contains("routes/server-")).toList();
        if (resources.isEmpty()) {
            throw new IllegalStateException("no route files found at " + pattern);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources.toArray(Resource[]::new));
    }

    public static void bindBeans(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        // dates as ISO-8601 text in every JSON this bundle writes (API answers, sandbox payloads)
        ObjectMapper mapper = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        DataSource dataSource = registry.lookupByNameAndType(DATA_SOURCE, DataSource.class);
        if (dataSource == null) {
            HikariDataSource pooled = HoneybeeDatabase.createDataSource(settings.required("honeybee.db.url"),
                    settings.string("honeybee.db.user", ""), settings.string("honeybee.db.password", ""),
                    settings.integer("honeybee.db.pool-size", 10));
            // the pool built here is closed with the context; one the ESB bound stays the ESB's
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    pooled.close();
                }
            }, true, true);
            dataSource = pooled;
            registry.bind(DATA_SOURCE, dataSource);
        }
        HoneybeeDatabase.migrate(dataSource);
        Sql sql = new Sql(dataSource);
        HoneybeeMetrics metrics = new HoneybeeMetrics(context, sql, clock);
        registry.bind("metrics", metrics);
        registry.bind("honeybeeReadiness", new DatabaseReadiness(dataSource, settings.string("honeybee.oauth.token-url", "")));

        String webhookPath = settings.string("honeybee.webhook.path", "/webhooks/honeybee");
        String publicUrl = publicUrl(settings);
        registry.bind("webhookTransportGuard", new WebhookTransportGuard(settings.integer("honeybee.webhook.max-bytes", 1_048_576),
                new CidrAllowlist(settings.list("honeybee.webhook.allow-cidrs"))));
        registry.bind("webhookAuthenticator", new WebhookAuthenticator(settings.string("honeybee.webhook.auth", "signature"),
                new SignatureVerifier(settings.list("honeybee.webhook.signing-secrets")),
                settings.string("honeybee.webhook.shared-secret", null), publicUrl));
        registry.bind("webhookEventValidator", new WebhookEventValidator(mapper));
        registry.bind("webhookResponses", new WebhookResponses(mapper, metrics));

        InboxRepository inbox = new InboxRepository(sql, clock, WORKER_ID,
                Duration.ofSeconds(settings.integer("honeybee.inbox.lease-seconds", 60)));
        registry.bind("inbox", inbox);
        if (settings.bool("honeybee.inbox.group-commit", true)) {
            InboxGroupCommit groupCommit = new InboxGroupCommit(sql, clock, inbox, settings.integer("honeybee.inbox.group-commit-max", 64));
            inbox.setGroupCommit(groupCommit);
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    groupCommit.close();
                }
            }, true, true);
        }
        registry.bind("inboxEventReader", new InboxEventReader(mapper));
        registry.bind("deadLetters", new DeadLetterStore(sql, inbox, clock));
        registry.bind("failedAttemptCounter", new FailedAttemptCounter());
        // one object: process-event calls its begin/commit, the dead-letter channel its restart before a redelivery
        EventTransaction eventTransaction = new EventTransaction(sql, EventTransaction.Step.RESTART);
        registry.bind("eventTransaction", eventTransaction);
        registry.bind("eventTransactionRestart", eventTransaction);
        registry.bind("eventTransactionRollback", new EventTransaction(sql, EventTransaction.Step.ROLLBACK));

        OrderRepository orders = new OrderRepository(sql, clock);
        PrescriptionRepository prescriptions = new PrescriptionRepository(sql, clock);
        ExceptionRepository exceptions = new ExceptionRepository(sql, orders, clock);
        registry.bind("prescriptions", prescriptions);
        registry.bind("orders", orders);
        registry.bind("shipments", new ShipmentRepository(sql, clock));
        registry.bind("orderExceptions", exceptions);

        bindPartnerApi(context, settings, sql, mapper, clock, metrics);
        bindOrders(context, settings, sql, mapper, clock, prescriptions, orders, exceptions, inbox);
        // bound even when off: its routes exist (not started), so an operator can switch it on in a profile
        bindSandbox(context, settings, mapper, clock);
        LOG.info("honeybee bundle wired: webhook path {}, public URL {}, auth {}, fill policy {}, sandbox {}", webhookPath, publicUrl,
                settings.string("honeybee.webhook.auth", "signature"), settings.string("honeybee.fill.policy", "approval"),
                settings.bool("honeybee.sandbox.enabled", false) ? "on" : "off");
    }

    private static void bindPartnerApi(CamelContext context, Settings settings, Sql sql, ObjectMapper mapper, Clock clock,
                                       HoneybeeMetrics metrics) {
        Registry registry = context.getRegistry();
        OAuthTokens tokens = new OAuthTokens(settings.string("honeybee.oauth.client-id", ""),
                settings.string("honeybee.oauth.client-secret", ""), settings.bool("honeybee.oauth.basic-auth", false), mapper, clock);
        tokens.setTemplate(context.createProducerTemplate());
        registry.bind("oauthTokens", tokens);
        registry.bind("partnerApi", new PartnerApi(mapper, new ApiCallLog(sql, clock, metrics)));
    }

    private static void bindOrders(CamelContext context, Settings settings, Sql sql, ObjectMapper mapper, Clock clock,
                                   PrescriptionRepository prescriptions, OrderRepository orders, ExceptionRepository exceptions,
                                   InboxRepository inbox) throws Exception {
        Registry registry = context.getRegistry();
        PartnerPatientDirectory directory = registry.lookupByNameAndType("partnerPatientDirectory", PartnerPatientDirectory.class);
        JdbcPartnerPatientDirectory jdbcDirectory = new JdbcPartnerPatientDirectory(sql);
        if (directory == null) {
            directory = jdbcDirectory;
            registry.bind("partnerPatientDirectory", directory);
        }
        Optional<String> csv = settings.optional("honeybee.patients.import-csv");
        if (csv.isPresent()) {
            PatientCsvImporter.importLocation(csv.get(), jdbcDirectory);
        }
        PatientReviewQueue reviews = new PatientReviewQueue(sql, clock);
        registry.bind("patientMatcher", new PatientMatcher(directory, sql, clock));
        registry.bind("patientReviews", reviews);

        FillRepository fills = new FillRepository(sql, clock, WORKER_ID,
                Duration.ofSeconds(settings.integer("honeybee.outbox.lease-seconds", 120)));
        registry.bind("fills", fills);
        registry.bind("fillRequests", new FillRequests(fills, prescriptions, settings.string("honeybee.fill.policy", "approval"), clock));
        String configuredMethod = settings.optional("honeybee.shipping.method-id").orElse(null);
        ShippingMethods shipping = new ShippingMethods(configuredMethod == null ? null : Integer.valueOf(configuredMethod));
        registry.bind("shippingMethods", shipping);
        registry.bind("orderRequestFactory", new OrderRequestFactory(mapper, shipping, settings.list("honeybee.order.add-on-skus")));
        DeadLetterStore deadLetters = registry.lookupByNameAndType("deadLetters", DeadLetterStore.class);
        registry.bind("orderPlacement", new OrderPlacement(fills, orders, reviews, deadLetters,
                new RetrySchedule(Duration.ofMillis(settings.integer("honeybee.outbox.retry-base-ms", 1000)),
                        Duration.ofMillis(settings.integer("honeybee.outbox.retry-max-ms", 300_000)),
                        settings.integer("honeybee.outbox.max-attempts", 10)), clock));
        registry.bind("exceptionActions", new ExceptionActions(exceptions, mapper));
        String policyFile = settings.string("honeybee.exception.policy-file", "config/exception-policy.properties");
        Map<String, String> rules = ExceptionPolicy.load(policyFile);
        if (rules.isEmpty() && !policyFile.startsWith("classpath:")) {
            rules = ExceptionPolicy.load("classpath:" + policyFile);
        }
        registry.bind("exceptionPolicy", new ExceptionPolicy(rules, exceptions));
        registry.bind("refillSchedule", new RefillSchedule(sql, clock, settings.integer("honeybee.refill.interval-days", 30),
                settings.integer("honeybee.refill.lead-days", 5), settings.string("honeybee.refill.policy", "reminder")));
        registry.bind("scheduleRuns", new ScheduleRuns(sql, clock, WORKER_ID));
        if (settings.bool("honeybee.quartz.clustered", false)) {
            QuartzClustering.configure(context, sql.dataSource(), HoneybeeDatabase.isPostgres(sql.dataSource()),
                    settings.integer("honeybee.quartz.checkin-interval-ms", 7500));
        }
        OpsApi ops = new OpsApi(sql, mapper, opsToken(settings), reviews, registry.lookupByNameAndType("patientMatcher", PatientMatcher.class),
                directory, fills, deadLetters);
        ops.setTemplate(context.createProducerTemplate());
        registry.bind("opsApi", ops);
        DemoDriver demo = new DemoDriver(sql, fills, () -> { });
        demo.setTemplate(context.createProducerTemplate());
        registry.bind("demoDriver", demo);
    }

    private static void bindSandbox(CamelContext context, Settings settings, ObjectMapper mapper, Clock clock) {
        SandboxFaults faults = new SandboxFaults(settings.integer("honeybee.sandbox.fault.seed", 42))
                .rates(Double.parseDouble(settings.string("honeybee.sandbox.fault.error-rate", "0")),
                        Double.parseDouble(settings.string("honeybee.sandbox.fault.rate-limit-rate", "0")),
                        Double.parseDouble(settings.string("honeybee.sandbox.fault.timeout-rate", "0")))
                .latencyMs(settings.integer("honeybee.sandbox.fault.latency-ms", 0))
                .timeoutDelayMs(settings.integer("honeybee.sandbox.fault.timeout-delay-ms", 15_000))
                .webhookFaults(Double.parseDouble(settings.string("honeybee.sandbox.fault.duplicate-rate", "0")),
                        Double.parseDouble(settings.string("honeybee.sandbox.fault.out-of-order-rate", "0")));
        SandboxHoneybee sandbox = new SandboxHoneybee(mapper, clock, faults,
                settings.string("honeybee.sandbox.client-id", settings.string("honeybee.oauth.client-id", "")),
                settings.string("honeybee.sandbox.client-secret", settings.string("honeybee.oauth.client-secret", "")),
                settings.integer("honeybee.sandbox.token-ttl-seconds", 43_200),
                settings.integer("honeybee.sandbox.exception-on-order", 0),
                Set.copyOf(settings.list("honeybee.sandbox.unshippable-states")));
        sandbox.setExceptionName(settings.string("honeybee.sandbox.exception-name", "State Invalid"));
        context.getRegistry().bind("sandbox", sandbox);
        List<String> secrets = settings.list("honeybee.webhook.signing-secrets");
        context.getRegistry().bind("sandboxWebhooks", new SandboxWebhookSender(sandbox,
                settings.string("honeybee.sandbox.signing-secret", secrets.isEmpty() ? "" : secrets.get(0)),
                settings.string("honeybee.sandbox.webhook-url", publicUrl(settings))));
    }

    /** honeybee.ops.token; with honeybee.ops.generate-token (demo) a random one is made and printed once. */
    private static String opsToken(Settings settings) {
        Optional<String> configured = settings.optional("honeybee.ops.token");
        if (configured.isPresent() || !settings.bool("honeybee.ops.generate-token", false)) {
            if (configured.isEmpty()) {
                LOG.warn("honeybee.ops.token is not set: the ops API and page refuse every call");
            }
            return configured.orElse(null);
        }
        String generated = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        LOG.info("ops page: http://localhost:{}/ops - demo token (printed once, valid until restart): {}",
                settings.integer("honeybee.http.port", 8080), generated);
        return generated;
    }

    private static String publicUrl(Settings settings) {
        return settings.string("honeybee.webhook.public-url", "http://localhost:" + settings.integer("honeybee.http.port", 8080)
                + settings.string("honeybee.webhook.path", "/webhooks/honeybee"));
    }

    /**
     * Checks the Partner API before work starts: fetches a token and verifies honeybee.shipping.method-id
     * against GET /shipping_methods. Fails with a message that says what to fix.
     */
    public static void verifyPartnerApi(CamelContext context) {
        try {
            context.createProducerTemplate().requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof PhiFreeMessage)) {
                cause = cause.getCause();
            }
            throw new IllegalStateException("Partner API check failed: " + FailureReason.describe(cause)
                    + ". Check honeybee.api.url, honeybee.oauth.* and honeybee.shipping.method-id"
                    + " (the embedded sandbox is " + (new Settings(context).bool("honeybee.sandbox.enabled", false) ? "on" : "off") + ")", cause);
        }
    }

    /** Identifies this process in claim columns and schedule runs, so an operator can tell who holds a row. */
    private static final String WORKER_ID = workerIdOfThisProcess();

    private static String workerIdOfThisProcess() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return (name.length() > 60 ? name.substring(0, 60) : name) + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
