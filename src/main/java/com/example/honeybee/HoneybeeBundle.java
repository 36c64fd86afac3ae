package com.example.honeybee;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.inbox.FailedAttemptCounter;
import com.example.honeybee.inbox.InboxEventReader;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.record.ShipmentRepository;
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
    /** The route files, packaged in the jar; camel-main can load them from the routes/ folder instead. */
    public static final String ROUTES = "classpath:routes/*.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(HoneybeeBundle.class);

    private HoneybeeBundle() {
    }

    /** Binds the beans and loads the routes into an existing context (the embedding entry point). */
    public static void install(CamelContext context) throws Exception {
        bindBeans(context);
        loadRoutes(context, ROUTES);
    }

    public static void loadRoutes(CamelContext context, String pattern) throws Exception {
        var resolver = PluginHelper.getPackageScanResourceResolver(context);
        var resources = resolver.findResources(pattern);
        if (resources.isEmpty()) {
            throw new IllegalStateException("no route files found at " + pattern);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources.toArray(Resource[]::new));
    }

    public static void bindBeans(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = new ObjectMapper();

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

        String webhookPath = settings.string("honeybee.webhook.path", "/webhooks/honeybee");
        String publicUrl = settings.string("honeybee.webhook.public-url",
                "http://localhost:" + settings.integer("honeybee.http.port", 8080) + webhookPath);
        registry.bind("webhookTransportGuard", new WebhookTransportGuard(settings.integer("honeybee.webhook.max-bytes", 1_048_576),
                new CidrAllowlist(settings.list("honeybee.webhook.allow-cidrs"))));
        registry.bind("webhookAuthenticator", new WebhookAuthenticator(settings.string("honeybee.webhook.auth", "signature"),
                new SignatureVerifier(settings.list("honeybee.webhook.signing-secrets")),
                settings.string("honeybee.webhook.shared-secret", null), publicUrl));
        registry.bind("webhookEventValidator", new WebhookEventValidator(mapper));
        registry.bind("webhookResponses", new WebhookResponses(mapper));

        InboxRepository inbox = new InboxRepository(sql, clock, workerId(),
                Duration.ofSeconds(settings.integer("honeybee.inbox.lease-seconds", 60)));
        registry.bind("inbox", inbox);
        registry.bind("inboxEventReader", new InboxEventReader(mapper));
        registry.bind("deadLetters", new DeadLetterStore(sql, inbox, clock));
        registry.bind("failedAttemptCounter", new FailedAttemptCounter());

        OrderRepository orders = new OrderRepository(sql, clock);
        registry.bind("prescriptions", new PrescriptionRepository(sql, clock));
        registry.bind("orders", orders);
        registry.bind("shipments", new ShipmentRepository(sql, clock));
        registry.bind("orderExceptions", new ExceptionRepository(sql, orders, clock));
        LOG.info("honeybee bundle wired: webhook path {}, public URL {}, auth {}", webhookPath, publicUrl,
                settings.string("honeybee.webhook.auth", "signature"));
    }

    /** Identifies this process in the inbox's claim columns, so an operator can tell who holds a row. */
    private static String workerId() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return (name.length() > 60 ? name.substring(0, 60) : name) + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
