package com.example.honeybee;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.example.honeybee.address.AddressFlags;
import com.example.honeybee.address.ShippingAddressCorrection;
import com.example.honeybee.api.ApiCallLog;
import com.example.honeybee.api.OAuthTokens;
import com.example.honeybee.api.PartnerApi;
import com.example.honeybee.api.PartnerApiCheck;
import com.example.honeybee.db.H2StoreMaintenance;
import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.SchemaAgreement;
import com.example.honeybee.db.Sql;
import com.example.honeybee.demo.DemoDriver;
import com.example.honeybee.http.HttpEntryHeaderFilter;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.dispatch.DatabaseNotify;
import com.example.honeybee.dispatch.EventBatch;
import com.example.honeybee.dispatch.InboxAdmission;
import com.example.honeybee.dispatch.InboxDispatch;
import com.example.honeybee.dispatch.InboxRetries;
import com.example.honeybee.dispatch.RepeatedFailureLog;
import com.example.honeybee.dispatch.Wakeup;
import com.example.honeybee.dispatch.WakeupPollScheduler;
import com.example.honeybee.inbox.InboxEventReader;
import com.example.honeybee.inbox.InboxGroupCommit;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.observe.DatabaseReadiness;
import com.example.honeybee.observe.HoneybeeMetrics;
import com.example.honeybee.ops.OpsApi;
import com.example.honeybee.orders.ControlledSubstances;
import com.example.honeybee.orders.ExceptionActions;
import com.example.honeybee.orders.ExceptionPolicy;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillRequests;
import com.example.honeybee.orders.OrderItemsReader;
import com.example.honeybee.orders.OrderPlacement;
import com.example.honeybee.orders.OrderRequestFactory;
import com.example.honeybee.orders.ReorderPlacement;
import com.example.honeybee.orders.ReorderRepository;
import com.example.honeybee.orders.Reorders;
import com.example.honeybee.orders.RetrySchedule;
import com.example.honeybee.orders.ShippingMethods;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatientDirectory;
import com.example.honeybee.patients.PatientCsvImporter;
import com.example.honeybee.patients.PatientMatcher;
import com.example.honeybee.patients.PatientReviewQueue;
import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.record.OrderReconciliation;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.record.ShipmentRepository;
import com.example.honeybee.refill.QuartzClustering;
import com.example.honeybee.refill.RefillSchedule;
import com.example.honeybee.refill.ScheduleRuns;
import com.example.honeybee.sandbox.SandboxFaults;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.example.honeybee.sandbox.SandboxWebhookSender;
import com.example.honeybee.support.LogSafe;
import com.example.honeybee.webhook.CidrAllowlist;
import com.example.honeybee.webhook.SignatureVerifier;
import com.example.honeybee.webhook.WebhookAuthenticator;
import com.example.honeybee.webhook.WebhookEventValidator;
import com.example.honeybee.webhook.WebhookFields;
import com.example.honeybee.webhook.WebhookResponses;
import com.example.honeybee.webhook.WebhookTransportGuard;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's beans, declared: each {@code @BindToRegistry} method below is one bean, named by the
 * method ({@code honeybee...}, so a host's own beans are never shadowed or called), built from its
 * {@code honeybee.*} settings ({@code @PropertyInject}) and the beans it names ({@code @BeanInject}).
 * Every bean is lazy: it is built when a route (or another bean) first looks it up, so the order of
 * the methods does not matter and a host may bind its own {@value #DATA_SOURCE} or
 * {@value #PATIENT_DIRECTORY} first.
 * <p>
 * A camel-main host names this class in {@code camel.main.configuration-classes} (the standalone
 * application does, in config/application.properties); Spring Boot gets it from the bundle's
 * auto-configuration; a plain CamelContext from {@link HoneybeeBundle#install(CamelContext)}. Its
 * {@link #configure(CamelContext)} step adds the bundle's defaults (classpath:honeybee/defaults.properties)
 * for every key the host leaves unset. Nothing here renames or reconfigures the host's context or components.
 */
public class HoneybeeConfiguration implements CamelConfiguration {

    /** The database: a host may bind its own DataSource under this name (or name one in honeybee.db.data-source). */
    public static final String DATA_SOURCE = "honeybeeDataSource";
    /** The partner's patient records: a host may bind its own {@link PartnerPatientDirectory} under this name. */
    public static final String PATIENT_DIRECTORY = "honeybeePartnerPatientDirectory";

    private static final Logger LOG = LoggerFactory.getLogger(HoneybeeConfiguration.class);
    /** Identifies this process in claim columns and schedule runs, so an operator can tell who holds a row. */
    private static final String WORKER_ID = workerIdOfThisProcess();
    private static final Clock CLOCK = Clock.systemUTC();

    @Override
    public void configure(CamelContext context) {
        HoneybeeDefaults.apply(context);
        // read once, before any route starts: a wrong value stops the start instead of a lazy bean's first use
        context.getRegistry().bind(HoneybeeSettings.BEAN, HoneybeeSettings.read(context.getPropertiesComponent()));
    }

    // ---- database ---------------------------------------------------------------------------------

    /**
     * The bundle's schema, migrated before any bean uses it, on the DataSource a host bound as
     * {@value #DATA_SOURCE}, or named in honeybee.db.data-source, or else a HikariCP pool built from
     * honeybee.db.url/user/password/pool-size and closed with the context.
     */
    @BindToRegistry(value = "honeybeeSql", lazy = true)
    public Sql sql(CamelContext context,
                   @PropertyInject("honeybee.db.data-source") String dataSourceName,
                   @PropertyInject("honeybee.db.url") String url,
                   @PropertyInject("honeybee.db.user") String user,
                   @PropertyInject("honeybee.db.password") String password,
                   @PropertyInject("honeybee.db.pool-size") int poolSize) {
        DataSource dataSource = context.getRegistry().lookupByNameAndType(blankToNull(dataSourceName) == null ? DATA_SOURCE : dataSourceName,
                DataSource.class);
        if (dataSource == null && blankToNull(dataSourceName) != null) {
            throw new IllegalStateException("honeybee.db.data-source names '" + dataSourceName + "', but no DataSource has that name");
        }
        if (dataSource == null) {
            var pooled = HoneybeeDatabase.createDataSource(url, user, password, poolSize);
            // the pool built here is closed with the context; one the host bound stays the host's
            closeWith(context, pooled::close);
            dataSource = pooled;
        }
        HoneybeeDatabase.migrate(dataSource);
        // the columns must hold every value intake accepts: refuse to start otherwise
        SchemaAgreement.check(dataSource, WebhookFields.all());
        return new Sql(dataSource);
    }

    @BindToRegistry(value = "honeybeeObjectMapper", lazy = true)
    public ObjectMapper objectMapper() {
        // dates as ISO-8601 text in every JSON this bundle writes (API answers, sandbox payloads)
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    // ---- observability ----------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeMetrics", lazy = true)
    public HoneybeeMetrics metrics(CamelContext context, @BeanInject("honeybeeSql") Sql sql) {
        return new HoneybeeMetrics(context, sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeeReadiness", lazy = true)
    public DatabaseReadiness readiness(@BeanInject("honeybeeSql") Sql sql, @PropertyInject("honeybee.oauth.token-url") String tokenUrl,
                                       @BeanInject("honeybeePartnerApiCheck") PartnerApiCheck partnerApi) {
        return new DatabaseReadiness(sql.dataSource(), tokenUrl, partnerApi);
    }

    // ---- HTTP entries -----------------------------------------------------------------------------

    /**
     * platform-http's headerFilterStrategy for the bundle's HTTP entries (the standalone application sets it on
     * its component; a host may name it on its own): the only query parameters and form fields that become
     * headers are those the endpoints read, the ops API's list filters and the sandbox's OAuth token form.
     */
    @BindToRegistry(value = "honeybeeHttpHeaderFilter", lazy = true)
    public HttpEntryHeaderFilter httpHeaderFilter() {
        return new HttpEntryHeaderFilter(Set.of("patient_id", "status", "grant_type", "client_id", "client_secret"));
    }

    // ---- webhook intake ---------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeWebhookTransportGuard", lazy = true)
    public WebhookTransportGuard webhookTransportGuard(@PropertyInject("honeybee.webhook.max-bytes") int maxBytes,
                                                       @PropertyInject("honeybee.webhook.allow-cidrs") String allowCidrs) {
        return new WebhookTransportGuard(maxBytes, new CidrAllowlist(list(allowCidrs)));
    }

    @BindToRegistry(value = "honeybeeWebhookAuthenticator", lazy = true)
    public WebhookAuthenticator webhookAuthenticator(@BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings,
                                                     @PropertyInject("honeybee.webhook.signing-secrets") String signingSecrets,
                                                     @PropertyInject("honeybee.webhook.shared-secret") String sharedSecret,
                                                     @PropertyInject("honeybee.webhook.public-url") String publicUrl) {
        return new WebhookAuthenticator(settings.webhookAuth(), new SignatureVerifier(list(signingSecrets)), blankToNull(sharedSecret), publicUrl);
    }

    @BindToRegistry(value = "honeybeeWebhookEventValidator", lazy = true)
    public WebhookEventValidator webhookEventValidator(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper) {
        return new WebhookEventValidator(mapper);
    }

    /** Escapes ids from outside for the routes' log steps ({@code ${bean:honeybeeLogSafe?method=eventId}}). */
    @BindToRegistry(value = "honeybeeLogSafe", lazy = true)
    public LogSafe logSafe() {
        return new LogSafe();
    }

    @BindToRegistry(value = "honeybeeWebhookResponses", lazy = true)
    public WebhookResponses webhookResponses(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                             @BeanInject("honeybeeMetrics") HoneybeeMetrics metrics) {
        return new WebhookResponses(mapper, metrics);
    }

    // ---- inbox ------------------------------------------------------------------------------------

    /** The inbox, with group commit of concurrent inserts unless honeybee.inbox.group-commit is false. */
    @BindToRegistry(value = "honeybeeInbox", lazy = true)
    public InboxRepository inbox(CamelContext context, @BeanInject("honeybeeSql") Sql sql,
                                 @PropertyInject("honeybee.inbox.lease-seconds") int leaseSeconds,
                                 @PropertyInject("honeybee.inbox.group-commit") boolean groupCommit,
                                 @PropertyInject("honeybee.inbox.group-commit-max") int groupCommitMax,
                                 @PropertyInject("honeybee.inbox.wake-on-commit") boolean wakeOnCommit,
                                 @BeanInject("honeybeeInboxWakeup") Wakeup wakeup) {
        InboxRepository inbox = new InboxRepository(sql, CLOCK, WORKER_ID, Duration.ofSeconds(leaseSeconds));
        if (wakeOnCommit) {
            inbox.setWakeup(wakeup::wake);
        }
        if (groupCommit) {
            InboxGroupCommit writer = new InboxGroupCommit(sql, CLOCK, inbox, groupCommitMax);
            inbox.setGroupCommit(writer);
            closeWith(context, () -> {
                try {
                    writer.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return inbox;
    }

    @BindToRegistry(value = "honeybeeInboxEventReader", lazy = true)
    public InboxEventReader inboxEventReader(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper) {
        return new InboxEventReader(mapper);
    }

    @BindToRegistry(value = "honeybeeDeadLetters", lazy = true)
    public DeadLetterStore deadLetters(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeInbox") InboxRepository inbox) {
        return new DeadLetterStore(sql, inbox, CLOCK);
    }

    /**
     * The event-processing dead-letter channel (routes/error-handling.camel.yaml): no redelivery on the
     * dispatcher's thread; a failed event backs off in the database ({@code honeybeeInboxRetries}).
     */
    @BindToRegistry(value = "honeybeeEventRedelivery", lazy = true)
    public RedeliveryPolicy eventRedelivery() {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(0);
        policy.setLogExhaustedMessageBody(false);
        policy.setLogExhaustedMessageHistory(false);
        policy.setLogStackTrace(false);
        return policy;
    }

    // ---- dispatch: wakeups, batches, backoff, threads ----------------------------------------------

    /** Wakes the inbox dispatcher: the inbox commit, a backoff falling due, a replay, NOTIFY from other instances. */
    @BindToRegistry(value = "honeybeeInboxWakeup", lazy = true)
    public Wakeup inboxWakeup(@BeanInject("honeybeeDatabaseNotify") DatabaseNotify notify) {
        Wakeup wakeup = new Wakeup("inbox", CLOCK);
        notify.attach(wakeup);
        return wakeup;
    }

    /** Wakes the order outbox: a fill placed, requeued or replayed, a retry falling due, NOTIFY from other instances. */
    @BindToRegistry(value = "honeybeeOutboxWakeup", lazy = true)
    public Wakeup outboxWakeup(@BeanInject("honeybeeDatabaseNotify") DatabaseNotify notify) {
        Wakeup wakeup = new Wakeup("outbox", CLOCK);
        notify.attach(wakeup);
        return wakeup;
    }

    /** LISTEN/NOTIFY between instances on PostgreSQL (honeybee.db.notify); nothing on H2. */
    @BindToRegistry(value = "honeybeeDatabaseNotify", lazy = true)
    public DatabaseNotify databaseNotify(CamelContext context, @BeanInject("honeybeeSql") Sql sql,
                                         @PropertyInject("honeybee.db.notify") boolean enabled,
                                         @PropertyInject("honeybee.poll.error-log-interval-seconds") long logIntervalSeconds) {
        if (!enabled || !HoneybeeDatabase.isPostgres(sql.dataSource())) {
            return DatabaseNotify.off();
        }
        // the payload names this bundle, not only the process: two bundles in one JVM still wake each other
        DatabaseNotify notify = DatabaseNotify.postgres(sql.dataSource(), WORKER_ID + "/" + UUID.randomUUID().toString().substring(0, 8),
                new RepeatedFailureLog("honeybee-db-notify", Duration.ofSeconds(logIntervalSeconds), CLOCK));
        closeWith(context, () -> {
            try {
                notify.close();
            } catch (Exception e) {
                LOG.debug("closing the NOTIFY listener", e);
            }
        });
        return notify;
    }

    /**
     * The inbox dispatcher's scheduler: honeybee.inbox.dispatcher-threads threads, woken on commit, polling
     * every honeybee.inbox.safety-poll-ms as a safety net (every honeybee.inbox.poll-delay-ms with
     * wake-on-commit off), backing off on failed polls.
     */
    @BindToRegistry(value = "honeybeeInboxScheduler", lazy = true)
    public WakeupPollScheduler inboxScheduler(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeInboxWakeup") Wakeup wakeup,
                                              @PropertyInject("honeybee.inbox.dispatcher-threads") int threads,
                                              @PropertyInject("honeybee.inbox.wake-on-commit") boolean wakeOnCommit,
                                              @PropertyInject("honeybee.inbox.safety-poll-ms") long safetyPollMs,
                                              @PropertyInject("honeybee.inbox.poll-delay-ms") long pollDelayMs,
                                              @PropertyInject("honeybee.poll.error-backoff-base-ms") long backoffBaseMs,
                                              @PropertyInject("honeybee.poll.error-backoff-max-ms") long backoffMaxMs,
                                              @PropertyInject("honeybee.poll.error-log-interval-seconds") long logIntervalSeconds) {
        return new WakeupPollScheduler("honeybee-inbox-dispatch", wakeup, threads, Duration.ofMillis(500),
                Duration.ofMillis(wakeOnCommit ? safetyPollMs : pollDelayMs), Duration.ofMillis(backoffBaseMs), Duration.ofMillis(backoffMaxMs),
                new RepeatedFailureLog("honeybee-inbox-dispatch", Duration.ofSeconds(logIntervalSeconds), CLOCK), sql::rollback);
    }

    /** The order outbox's scheduler: one thread, woken when a fill falls due, safety net honeybee.outbox.safety-poll-ms. */
    @BindToRegistry(value = "honeybeeOutboxScheduler", lazy = true)
    public WakeupPollScheduler outboxScheduler(@BeanInject("honeybeeOutboxWakeup") Wakeup wakeup,
                                               @PropertyInject("honeybee.inbox.wake-on-commit") boolean wakeOnCommit,
                                               @PropertyInject("honeybee.outbox.safety-poll-ms") long safetyPollMs,
                                               @PropertyInject("honeybee.outbox.poll-delay-ms") long pollDelayMs,
                                               @PropertyInject("honeybee.poll.error-backoff-base-ms") long backoffBaseMs,
                                               @PropertyInject("honeybee.poll.error-backoff-max-ms") long backoffMaxMs,
                                               @PropertyInject("honeybee.poll.error-log-interval-seconds") long logIntervalSeconds) {
        return new WakeupPollScheduler("honeybee-order-outbox", wakeup, 1, Duration.ofMillis(1000),
                Duration.ofMillis(wakeOnCommit ? safetyPollMs : pollDelayMs), Duration.ofMillis(backoffBaseMs), Duration.ofMillis(backoffMaxMs),
                new RepeatedFailureLog("honeybee-order-outbox", Duration.ofSeconds(logIntervalSeconds), CLOCK), null);
    }

    /** The dispatcher's adaptive claim, at most honeybee.inbox.batch-size events. */
    @BindToRegistry(value = "honeybeeInboxDispatch", lazy = true)
    public InboxDispatch inboxDispatch(@BeanInject("honeybeeInbox") InboxRepository inbox,
                                       @PropertyInject("honeybee.inbox.batch-size") int batchSize,
                                       @BeanInject("honeybeeInboxAdmission") InboxAdmission admission) {
        return new InboxDispatch(inbox, batchSize, admission);
    }

    /** Intake's admission control: 503 + Retry-After while the dispatcher is more than honeybee.inbox.max-lag-ms behind. */
    @BindToRegistry(value = "honeybeeInboxAdmission", lazy = true)
    public InboxAdmission inboxAdmission(CamelContext context, @BeanInject("honeybeeInbox") InboxRepository inbox,
                                         @PropertyInject("honeybee.inbox.max-lag-ms") long maxLagMs,
                                         @PropertyInject("honeybee.poll.error-log-interval-seconds") long logIntervalSeconds) {
        return new InboxAdmission(CLOCK, maxLagMs, () -> context.getRouteController().getRouteStatus("honeybee-inbox-dispatch") == ServiceStatus.Started,
                eventId -> inbox.status(eventId).isPresent(), logIntervalSeconds * 1000);
    }

    /** One transaction per claimed batch with a savepoint per event (honeybee.inbox.batch-transaction=false: per event). */
    @BindToRegistry(value = "honeybeeEventBatch", lazy = true)
    public EventBatch eventBatch(@BeanInject("honeybeeSql") Sql sql, @PropertyInject("honeybee.inbox.batch-transaction") boolean batchTransaction) {
        return new EventBatch(sql, !batchTransaction);
    }

    /** A failed event's backoff in the database, then the dead-letter store: honeybee.retry.*. */
    @BindToRegistry(value = "honeybeeInboxRetries", lazy = true)
    public InboxRetries inboxRetries(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeInbox") InboxRepository inbox,
                                     @BeanInject("honeybeeInboxWakeup") Wakeup wakeup,
                                     @PropertyInject("honeybee.retry.max-redeliveries") int maxRedeliveries,
                                     @PropertyInject("honeybee.retry.delay-ms") long delayMs,
                                     @PropertyInject("honeybee.retry.backoff-multiplier") double backoffMultiplier,
                                     @PropertyInject("honeybee.retry.max-delay-ms") long maxDelayMs) {
        return new InboxRetries(sql, inbox, wakeup, CLOCK, maxRedeliveries, Duration.ofMillis(delayMs), backoffMultiplier,
                Duration.ofMillis(maxDelayMs));
    }

    /**
     * The embedded H2 file's maintenance while running (routes/h2-store-maintenance.camel.yaml): sparse chunks
     * rewritten so their space is reused; nothing on PostgreSQL.
     */
    @BindToRegistry(value = "honeybeeH2Store", lazy = true)
    public H2StoreMaintenance h2Store(@BeanInject("honeybeeSql") Sql sql,
                                      @PropertyInject("honeybee.db.h2-compact-fill-rate") int fillRate) {
        return new H2StoreMaintenance(sql, !HoneybeeDatabase.isPostgres(sql.dataSource()), fillRate);
    }

    /** The H2 maintenance route's scheduler: every honeybee.db.h2-maintenance-ms, backing off and logging once per interval on failure. */
    @BindToRegistry(value = "honeybeeH2StoreScheduler", lazy = true)
    public WakeupPollScheduler h2StoreScheduler(@PropertyInject("honeybee.db.h2-maintenance-ms") long intervalMs,
                                                @PropertyInject("honeybee.poll.error-backoff-base-ms") long backoffBaseMs,
                                                @PropertyInject("honeybee.poll.error-backoff-max-ms") long backoffMaxMs,
                                                @PropertyInject("honeybee.poll.error-log-interval-seconds") long logIntervalSeconds) {
        return new WakeupPollScheduler("honeybee-h2-store-maintenance", new Wakeup("h2-store", CLOCK), 1, Duration.ofMillis(intervalMs),
                Duration.ofMillis(intervalMs), Duration.ofMillis(backoffBaseMs), Duration.ofMillis(Math.max(backoffMaxMs, intervalMs)),
                new RepeatedFailureLog("honeybee-h2-store-maintenance", Duration.ofSeconds(logIntervalSeconds), CLOCK), null);
    }

    // ---- the local record -------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeePrescriptions", lazy = true)
    public PrescriptionRepository prescriptions(@BeanInject("honeybeeSql") Sql sql) {
        return new PrescriptionRepository(sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeeOrders", lazy = true)
    public OrderRepository orders(@BeanInject("honeybeeSql") Sql sql) {
        return new OrderRepository(sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeeShipments", lazy = true)
    public ShipmentRepository shipments(@BeanInject("honeybeeSql") Sql sql) {
        return new ShipmentRepository(sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeeOrderExceptions", lazy = true)
    public ExceptionRepository orderExceptions(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeOrders") OrderRepository orders,
                                               @BeanInject("honeybeeShipments") ShipmentRepository shipments) {
        return new ExceptionRepository(sql, orders, shipments, CLOCK);
    }

    // ---- Partner API ------------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeOAuthTokens", lazy = true)
    public OAuthTokens oauthTokens(CamelContext context, @BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                   @PropertyInject("honeybee.oauth.client-id") String clientId,
                                   @PropertyInject("honeybee.oauth.client-secret") String clientSecret,
                                   @PropertyInject("honeybee.oauth.basic-auth") boolean basicAuth) {
        OAuthTokens tokens = new OAuthTokens(clientId, clientSecret, basicAuth, mapper, CLOCK);
        tokens.setTemplate(context.createProducerTemplate());
        return tokens;
    }

    @BindToRegistry(value = "honeybeePartnerApi", lazy = true)
    public PartnerApi partnerApi(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper, @BeanInject("honeybeeSql") Sql sql,
                                 @BeanInject("honeybeeMetrics") HoneybeeMetrics metrics) {
        return new PartnerApi(mapper, new ApiCallLog(sql, CLOCK, metrics));
    }

    /**
     * The Partner API check from startup on (routes/partner-api.camel.yaml), retried with the outbox's
     * backoff; the outbox waits for it, intake never does.
     */
    @BindToRegistry(value = "honeybeePartnerApiCheck", lazy = true)
    public PartnerApiCheck partnerApiCheck(@PropertyInject("honeybee.startup.verify-partner-api") boolean enabled,
                                           @PropertyInject("honeybee.outbox.retry-base-ms") long retryBaseMs,
                                           @PropertyInject("honeybee.outbox.retry-max-ms") long retryMaxMs) {
        return new PartnerApiCheck(enabled, new RetrySchedule(Duration.ofMillis(retryBaseMs), Duration.ofMillis(retryMaxMs),
                Duration.ofDays(36_500)), CLOCK);
    }

    /**
     * camel-http's own retries are off on the bundle's endpoints (httpClientConfigurer=#honeybeeHttpClientConfigurer):
     * HttpClient would re-send a POST after 429/503 by itself, unseen by the outbox. The host's http component is untouched.
     */
    @BindToRegistry(value = "honeybeeHttpClientConfigurer", lazy = true)
    public HttpClientConfigurer httpClientConfigurer() {
        return builder -> builder.disableAutomaticRetries();
    }

    // ---- patients and the order outbox ------------------------------------------------------------

    /** The partner's records: the host's {@value #PATIENT_DIRECTORY} when it bound one, else the partner_patient table. */
    @BindToRegistry(value = "honeybeePatientMatcher", lazy = true)
    public PatientMatcher patientMatcher(CamelContext context, @BeanInject("honeybeeSql") Sql sql,
                                         @PropertyInject("honeybee.patients.import-csv") String importCsv) throws Exception {
        return new PatientMatcher(patientDirectory(context, sql, importCsv), sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeePatientReviews", lazy = true)
    public PatientReviewQueue patientReviews(@BeanInject("honeybeeSql") Sql sql) {
        return new PatientReviewQueue(sql, CLOCK);
    }

    @BindToRegistry(value = "honeybeeFills", lazy = true)
    public FillRepository fills(@BeanInject("honeybeeSql") Sql sql, @PropertyInject("honeybee.outbox.lease-seconds") int leaseSeconds,
                                @BeanInject("honeybeeOutboxWakeup") Wakeup outboxWakeup) {
        FillRepository fills = new FillRepository(sql, CLOCK, WORKER_ID, Duration.ofSeconds(leaseSeconds));
        fills.setDueListener(outboxDue(outboxWakeup));
        return fills;
    }

    @BindToRegistry(value = "honeybeeFillRequests", lazy = true)
    public FillRequests fillRequests(@BeanInject("honeybeeFills") FillRepository fills,
                                     @BeanInject("honeybeePrescriptions") PrescriptionRepository prescriptions,
                                     @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings,
                                     @BeanInject("honeybeeObjectMapper") ObjectMapper mapper) {
        return new FillRequests(fills, prescriptions, settings.fillPolicy(), CLOCK, new OrderItemsReader(mapper, settings.orderDefaults()),
                mapper);
    }

    @BindToRegistry(value = "honeybeeShippingMethods", lazy = true)
    public ShippingMethods shippingMethods(@PropertyInject("honeybee.shipping.method-id") String methodId) {
        String configured = blankToNull(methodId);
        try {
            return new ShippingMethods(configured == null ? null : Integer.valueOf(configured));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("honeybee.shipping.method-id must be a whole number, was '" + configured + "'");
        }
    }

    @BindToRegistry(value = "honeybeeOrderRequestFactory", lazy = true)
    public OrderRequestFactory orderRequestFactory(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                                   @BeanInject("honeybeeShippingMethods") ShippingMethods shipping,
                                                   @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings,
                                                   @PropertyInject("honeybee.order.identity-document-fields") String documentFields) {
        return new OrderRequestFactory(mapper, shipping, settings.orderDefaults(), list(documentFields));
    }

    /** The outbox's check before a controlled-substance order: an identity document, or the review queue. */
    @BindToRegistry(value = "honeybeeControlledSubstances", lazy = true)
    public ControlledSubstances controlledSubstances(@BeanInject("honeybeePrescriptions") PrescriptionRepository prescriptions) {
        return new ControlledSubstances(prescriptions);
    }

    /** The outbox's decisions; its retries last honeybee.outbox.retry-window from a fill's first attempt. */
    @BindToRegistry(value = "honeybeeOrderPlacement", lazy = true)
    public OrderPlacement orderPlacement(CamelContext context, @BeanInject("honeybeeFills") FillRepository fills,
                                         @BeanInject("honeybeeOrders") OrderRepository orders,
                                         @BeanInject("honeybeePatientReviews") PatientReviewQueue reviews,
                                         @BeanInject("honeybeeDeadLetters") DeadLetterStore deadLetters,
                                         @PropertyInject("honeybee.outbox.retry-base-ms") long retryBaseMs,
                                         @PropertyInject("honeybee.outbox.retry-max-ms") long retryMaxMs,
                                         @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings) {
        if (context.getPropertiesComponent().resolveProperty("honeybee.outbox.max-attempts").isPresent()) {
            LOG.warn("honeybee.outbox.max-attempts is no longer read: a fill is retried for honeybee.outbox.retry-window"
                    + " (default 24h) from its first attempt, however many attempts that takes (see CHANGELOG.md)");
        }
        return new OrderPlacement(fills, orders, reviews, deadLetters, new RetrySchedule(Duration.ofMillis(retryBaseMs),
                Duration.ofMillis(retryMaxMs), settings.outboxRetryWindow()), CLOCK);
    }

    // ---- exceptions -------------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeExceptionActions", lazy = true)
    public ExceptionActions exceptionActions(@BeanInject("honeybeeOrderExceptions") ExceptionRepository exceptions,
                                             @BeanInject("honeybeeObjectMapper") ObjectMapper mapper) {
        return new ExceptionActions(exceptions, mapper);
    }

    @BindToRegistry(value = "honeybeeExceptionPolicy", lazy = true)
    public ExceptionPolicy exceptionPolicy(@BeanInject("honeybeeOrderExceptions") ExceptionRepository exceptions,
                                           @PropertyInject("honeybee.exception.policy-file") String policyFile) throws Exception {
        String location = blankToNull(policyFile);
        Map<String, String> rules = location == null ? Map.of() : ExceptionPolicy.load(location);
        return new ExceptionPolicy(rules, exceptions);
    }

    // ---- address corrections and reorders ------------------------------------------------------------

    /** PUT /orders/{order_number}/shipping_address with the configured validation flags (routes/shipping-address.camel.yaml). */
    @BindToRegistry(value = "honeybeeShippingAddressCorrection", lazy = true)
    public ShippingAddressCorrection shippingAddressCorrection(@BeanInject("honeybeeSql") Sql sql,
                                                               @BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                                               @BeanInject("honeybeeOrders") OrderRepository orders,
                                                               @PropertyInject("honeybee.order.address.accept-suggested") boolean acceptSuggested,
                                                               @PropertyInject("honeybee.order.address.ignore-warnings") boolean ignoreWarnings,
                                                               @PropertyInject("honeybee.order.shipping-address-root") String root) {
        return new ShippingAddressCorrection(sql, mapper, orders, acceptSuggested, ignoreWarnings, blankToNull(root), CLOCK);
    }

    /** Honeybee's accept_suggested / ignore_warnings on an order's address: from the fill request, else configured. */
    @BindToRegistry(value = "honeybeeAddressFlags", lazy = true)
    public AddressFlags addressFlags(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                     @PropertyInject("honeybee.order.address.accept-suggested") boolean acceptSuggested,
                                     @PropertyInject("honeybee.order.address.ignore-warnings") boolean ignoreWarnings) {
        return new AddressFlags(sql, mapper, acceptSuggested, ignoreWarnings, CLOCK);
    }

    @BindToRegistry(value = "honeybeeReorderRequests", lazy = true)
    public ReorderRepository reorderRequests(@BeanInject("honeybeeSql") Sql sql,
                                             @PropertyInject("honeybee.outbox.lease-seconds") int leaseSeconds,
                                             @BeanInject("honeybeeOutboxWakeup") Wakeup outboxWakeup) {
        ReorderRepository reorders = new ReorderRepository(sql, CLOCK, WORKER_ID, Duration.ofSeconds(leaseSeconds));
        reorders.setDueListener(outboxDue(outboxWakeup));
        return reorders;
    }

    @BindToRegistry(value = "honeybeeReorders", lazy = true)
    public Reorders reorders(@BeanInject("honeybeeReorderRequests") ReorderRepository reorders,
                             @BeanInject("honeybeeOrders") OrderRepository orders, @BeanInject("honeybeeObjectMapper") ObjectMapper mapper) {
        return new Reorders(reorders, orders, mapper);
    }

    /** The outbox's decisions for reorders; retried like fills, for honeybee.outbox.retry-window from the first attempt. */
    @BindToRegistry(value = "honeybeeReorderPlacement", lazy = true)
    public ReorderPlacement reorderPlacement(@BeanInject("honeybeeReorderRequests") ReorderRepository reorders,
                                             @BeanInject("honeybeeOrders") OrderRepository orders,
                                             @BeanInject("honeybeeDeadLetters") DeadLetterStore deadLetters,
                                             @BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                             @PropertyInject("honeybee.outbox.retry-base-ms") long retryBaseMs,
                                             @PropertyInject("honeybee.outbox.retry-max-ms") long retryMaxMs,
                                             @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings) {
        return new ReorderPlacement(reorders, orders, deadLetters, new RetrySchedule(Duration.ofMillis(retryBaseMs),
                Duration.ofMillis(retryMaxMs), settings.outboxRetryWindow()), mapper, CLOCK);
    }

    // ---- schedules --------------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeRefillSchedule", lazy = true)
    public RefillSchedule refillSchedule(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeFills") FillRepository fills,
                                         @PropertyInject("honeybee.refill.interval-days") int intervalDays,
                                         @PropertyInject("honeybee.refill.lead-days") int leadDays,
                                         @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings) {
        return new RefillSchedule(sql, fills, CLOCK, intervalDays, leadDays, settings.refillPolicy());
    }

    /** Anti-entropy (routes/reconcile.camel.yaml): stale open orders looked up and caught up, honeybee.reconcile.*. */
    @BindToRegistry(value = "honeybeeOrderReconciliation", lazy = true)
    public OrderReconciliation orderReconciliation(@BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeOrders") OrderRepository orders,
                                                   @BeanInject("honeybeeMetrics") HoneybeeMetrics metrics,
                                                   @BeanInject(HoneybeeSettings.BEAN) HoneybeeSettings settings,
                                                   @PropertyInject("honeybee.reconcile.max-per-run") int maxPerRun) {
        return new OrderReconciliation(sql, orders, metrics, CLOCK, settings.reconcileStaleAfter(), maxPerRun);
    }

    @BindToRegistry(value = "honeybeeScheduleRuns", lazy = true)
    public ScheduleRuns scheduleRuns(@BeanInject("honeybeeSql") Sql sql) {
        return new ScheduleRuns(sql, CLOCK, WORKER_ID);
    }

    /**
     * The bundle's own Quartz component (routes use {@code honeybee-quartz:}): its scheduler is the bundle's,
     * in memory, or on Quartz's clustered JDBC job store in the bundle's database with honeybee.quartz.clustered,
     * so the host's quartz component and scheduler are never touched.
     */
    @BindToRegistry(value = "honeybee-quartz", lazy = true)
    public QuartzComponent quartz(@BeanInject("honeybeeSql") Sql sql,
                                  @PropertyInject("honeybee.quartz.clustered") boolean clustered,
                                  @PropertyInject("honeybee.quartz.checkin-interval-ms") int checkinIntervalMs) throws Exception {
        return QuartzClustering.component(sql.dataSource(), clustered, HoneybeeDatabase.isPostgres(sql.dataSource()), checkinIntervalMs);
    }

    // ---- operations -------------------------------------------------------------------------------

    @BindToRegistry(value = "honeybeeOpsApi", lazy = true)
    public OpsApi opsApi(CamelContext context, @BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                         @BeanInject("honeybeePatientReviews") PatientReviewQueue reviews,
                         @BeanInject("honeybeePatientMatcher") PatientMatcher matcher,
                         @BeanInject("honeybeeFills") FillRepository fills, @BeanInject("honeybeeDeadLetters") DeadLetterStore deadLetters,
                         @BeanInject("honeybeePartnerApiCheck") PartnerApiCheck partnerApi,
                         @PropertyInject("honeybee.ops.token") String token,
                         @PropertyInject("honeybee.ops.generate-token") boolean generateToken,
                         @PropertyInject("honeybee.http.port") int port) {
        OpsApi ops = new OpsApi(sql, mapper, opsToken(blankToNull(token), generateToken, port), reviews, matcher, matcher.directory(),
                fills, deadLetters, partnerApi, CLOCK);
        ops.setTemplate(context.createProducerTemplate());
        return ops;
    }

    @BindToRegistry(value = "honeybeeDemoDriver", lazy = true)
    public DemoDriver demoDriver(CamelContext context, @BeanInject("honeybeeSql") Sql sql, @BeanInject("honeybeeFills") FillRepository fills) {
        DemoDriver demo = new DemoDriver(sql, fills, () -> { });
        demo.setTemplate(context.createProducerTemplate());
        return demo;
    }

    // ---- the embedded Honeybee sandbox (its routes exist only with honeybee.sandbox.enabled) --------

    @BindToRegistry(value = "honeybeeSandbox", lazy = true)
    public SandboxHoneybee sandbox(@BeanInject("honeybeeObjectMapper") ObjectMapper mapper,
                                   @PropertyInject("honeybee.sandbox.client-id") String clientId,
                                   @PropertyInject("honeybee.sandbox.client-secret") String clientSecret,
                                   @PropertyInject("honeybee.sandbox.token-ttl-seconds") long tokenTtlSeconds,
                                   @PropertyInject("honeybee.sandbox.exception-on-order") int exceptionOnOrder,
                                   @PropertyInject("honeybee.sandbox.exception-name") String exceptionName,
                                   @PropertyInject("honeybee.sandbox.unshippable-states") String unshippableStates,
                                   @PropertyInject("honeybee.sandbox.duplicate-window-ms") long duplicateWindowMs,
                                   @BeanInject("honeybeeSandboxFaults") SandboxFaults faults) {
        SandboxHoneybee sandbox = new SandboxHoneybee(mapper, CLOCK, faults, clientId, clientSecret, tokenTtlSeconds, exceptionOnOrder,
                Set.copyOf(list(unshippableStates)));
        sandbox.setExceptionName(exceptionName);
        sandbox.setDuplicateWindowMs(duplicateWindowMs);
        return sandbox;
    }

    @BindToRegistry(value = "honeybeeSandboxFaults", lazy = true)
    public SandboxFaults sandboxFaults(@PropertyInject("honeybee.sandbox.fault.seed") long seed,
                                       @PropertyInject("honeybee.sandbox.fault.error-rate") double errorRate,
                                       @PropertyInject("honeybee.sandbox.fault.rate-limit-rate") double rateLimitRate,
                                       @PropertyInject("honeybee.sandbox.fault.timeout-rate") double timeoutRate,
                                       @PropertyInject("honeybee.sandbox.fault.conflict-rate") double conflictRate,
                                       @PropertyInject("honeybee.sandbox.fault.latency-ms") int latencyMs,
                                       @PropertyInject("honeybee.sandbox.fault.timeout-delay-ms") int timeoutDelayMs,
                                       @PropertyInject("honeybee.sandbox.fault.duplicate-rate") double duplicateRate,
                                       @PropertyInject("honeybee.sandbox.fault.out-of-order-rate") double outOfOrderRate,
                                       @PropertyInject("honeybee.sandbox.fault.lose-webhook-rate") double loseWebhookRate) {
        return new SandboxFaults(seed).rates(errorRate, rateLimitRate, timeoutRate).conflictRate(conflictRate).latencyMs(latencyMs)
                .timeoutDelayMs(timeoutDelayMs)
                .webhookFaults(duplicateRate, outOfOrderRate).loseWebhooks(loseWebhookRate);
    }

    @BindToRegistry(value = "honeybeeSandboxWebhooks", lazy = true)
    public SandboxWebhookSender sandboxWebhooks(@BeanInject("honeybeeSandbox") SandboxHoneybee sandbox,
                                                @PropertyInject("honeybee.sandbox.signing-secret") String signingSecret,
                                                @PropertyInject("honeybee.webhook.signing-secrets") String signingSecrets,
                                                @PropertyInject("honeybee.sandbox.webhook-url") String webhookUrl) {
        List<String> secrets = list(signingSecrets);
        String secret = blankToNull(signingSecret) != null ? signingSecret.trim() : secrets.isEmpty() ? "" : secrets.get(0);
        return new SandboxWebhookSender(sandbox, secret, webhookUrl);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static PartnerPatientDirectory patientDirectory(CamelContext context, Sql sql, String importCsv) throws Exception {
        JdbcPartnerPatientDirectory jdbcDirectory = new JdbcPartnerPatientDirectory(sql);
        if (blankToNull(importCsv) != null) {
            PatientCsvImporter.importLocation(importCsv.trim(), jdbcDirectory);
        }
        PartnerPatientDirectory hosts = context.getRegistry().lookupByNameAndType(PATIENT_DIRECTORY, PartnerPatientDirectory.class);
        return hosts != null ? hosts : jdbcDirectory;
    }

    /** honeybee.ops.token; with honeybee.ops.generate-token (demo) a random one is made and printed once. */
    private static String opsToken(String configured, boolean generate, int port) {
        if (configured != null || !generate) {
            if (configured == null) {
                LOG.warn("honeybee.ops.token is not set: the ops API and page refuse every call");
            }
            return configured;
        }
        String generated = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        LOG.info("ops page: http://localhost:{}/ops - demo token (printed once, valid until restart): {}", port, generated);
        return generated;
    }

    /** Stops a resource of the bundle's with the context (after the routes that use it). */
    private static void closeWith(CamelContext context, Runnable close) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    close.run();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register a resource to close with the context", e);
        }
    }

    /** Wakes the outbox now for work due now, or when work falls due later. */
    private static java.util.function.Consumer<java.time.Instant> outboxDue(Wakeup outboxWakeup) {
        return at -> {
            if (at.isAfter(CLOCK.instant())) {
                outboxWakeup.wakeAt(at);
            } else {
                outboxWakeup.wake();
            }
        };
    }

    /** A comma-separated setting; empty when unset. */
    static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String workerIdOfThisProcess() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return (name.length() > 60 ? name.substring(0, 60) : name) + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
