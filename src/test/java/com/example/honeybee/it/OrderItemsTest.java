package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRefusedException;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.sandbox.SandboxFault;
import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Quantities, package sizes and add-on SKUs over real HTTP against the sandbox. The expected "items" are written
 * by hand from Honeybee's API reference ("Items": {"prescription_id": N, "quantity"?: N, "package_size"?: N} and
 * {"sku": "...", "quantity"?: N, "package_size": N}), never built by the code under test.
 */
class OrderItemsTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "ops-token-for-items";
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFillRequestCarriesQuantityPackageSizeAndAddOnsInTheReferenceShape() throws Exception {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);

        requestFill(rx, "{\"quantity\": 2, \"package_size\": 45,"
                + " \"add_ons\": [{\"sku\": \"HB-INSERT\", \"quantity\": 1, \"package_size\": 1}, {\"sku\": \"HB-ORGANIZER\", \"package_size\": 7}]}");
        life.awaitFill(rx, 1, FillStatus.PLACED);

        JsonNode expected = mapper.readTree("[{\"prescription_id\": " + rx + ", \"quantity\": 2, \"package_size\": 45},"
                + " {\"sku\": \"HB-INSERT\", \"quantity\": 1, \"package_size\": 1},"
                + " {\"sku\": \"HB-ORGANIZER\", \"package_size\": 7}]");
        JsonNode body = life.sandbox().orderRequests().get(0);
        assertThat(body.path("items")).isEqualTo(expected);
        assertThat(body.has("identity_documents")).as("not a controlled substance").isFalse();
    }

    @Test
    void thePartnersDefaultsFillWhatTheRequestLeavesOutAndARetryPostsTheSameBody() throws Exception {
        start(Map.of("honeybee.order.default-add-ons", "HB-INSERT:1:1, HB-ORGANIZER:2", "honeybee.order.default-package-size", "30"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        // the first POST /orders fails with a 500: the fill is retried (after reconciliation finds no order)
        life.sandbox().faults().script(SandboxFault.SERVER_ERROR);

        requestFill(rx, null);
        life.awaitFill(rx, 1, FillStatus.PLACED);

        JsonNode expected = mapper.readTree("[{\"prescription_id\": " + rx + ", \"package_size\": 30},"
                + " {\"sku\": \"HB-INSERT\", \"quantity\": 1, \"package_size\": 1},"
                + " {\"sku\": \"HB-ORGANIZER\", \"package_size\": 2}]");
        List<String> posted = life.sandbox().orderBodiesReceived();
        assertThat(posted).hasSize(2);
        assertThat(posted.get(1)).as("the retry posts the very same body").isEqualTo(posted.get(0));
        assertThat(mapper.readTree(posted.get(0)).path("items")).isEqualTo(expected);
    }

    @Test
    void anEmptyAddOnListOrdersThePrescriptionAlone() throws Exception {
        start(Map.of("honeybee.order.default-add-ons", "HB-INSERT"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);

        requestFill(rx, Map.of("add_ons", List.of()));
        life.awaitFill(rx, 1, FillStatus.PLACED);

        assertThat(life.sandbox().orderRequests().get(0).path("items")).isEqualTo(mapper.readTree("[{\"prescription_id\": " + rx + "}]"));
    }

    @Test
    void invalidQuantitiesAreRefusedNamingTheFieldAndNothingIsStored() {
        start(Map.of("honeybee.ops.token", TOKEN));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);

        record Case(String body, String field) {
        }
        for (Case c : List.of(new Case("{\"quantity\": 0}", "quantity"), new Case("{\"package_size\": -45}", "package_size"),
                new Case("{\"quantity\": 1.5}", "quantity"), new Case("{\"quantity\": \"2\"}", "quantity"),
                new Case("{\"add_ons\": [{\"sku\": \"HB-INSERT\"}]}", "add_ons[0].package_size"),
                new Case("{\"add_ons\": [{\"sku\": \"HB-INSERT\", \"package_size\": 1, \"quantity\": 0}]}", "add_ons[0].quantity"),
                new Case("{\"add_ons\": [{\"package_size\": 1}]}", "add_ons[0].sku"),
                new Case("{\"packageSize\": 45}", "packageSize"))) {
            OpsClient.Answer answer = ops.post("/prescriptions/" + rx + "/fills", c.body());
            assertThat(answer.status()).as(c.body()).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).as(c.body()).contains(c.field());
        }
        assertThatThrownBy(() -> requestFill(rx, "{\"package_size\": 0}"))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOf(FillRefusedException.class)
                .hasMessageContaining("package_size must be a positive whole number");
        assertThat(life.fill(rx, 1)).as("no fill stored for a refused request").isEmpty();

        OpsClient.Answer approved = ops.post("/prescriptions/" + rx + "/fills", "{\"quantity\": 3}");
        assertThat(approved.status()).isEqualTo(201);
        life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(life.sandbox().orderRequests().get(0).path("items").get(0).path("quantity").asInt()).isEqualTo(3);
    }

    @Test
    void theSandboxRefusesAQuantityThatIsNotAPositiveIntegerWith400NamingTheItemField() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        SandboxHttp api = new SandboxHttp(bundle.port());
        String order = "{\"patient\": {\"patient_id\": \"EHR-1001\", \"patient_safety\": {\"medications\": [], \"health_conditions\": [],"
                + " \"allergies\": []}}, \"items\": [%s], \"shipping\": {\"method_id\": 1}, \"address\": {\"first_name\": \"Honee\","
                + " \"last_name\": \"Bea\", \"street1\": \"123 Main St\", \"city\": \"Austin\", \"state\": \"TX\", \"zip\": \"78701\"}}";

        SandboxHttp.Answer zero = api.post("/orders", order.formatted("{\"prescription_id\": " + rx + ", \"quantity\": 0}"));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.body().path("errors").get(0).path("error_detail").get(0).path("field").asText()).isEqualTo("items[0].quantity");

        SandboxHttp.Answer noSize = api.post("/orders", order.formatted("{\"prescription_id\": " + rx + "}, {\"sku\": \"HB-INSERT\"}"));
        assertThat(noSize.status()).isEqualTo(400);
        assertThat(noSize.body().path("errors").get(0).path("error_detail").get(0).path("field").asText())
                .isEqualTo("items[1].package_size");

        SandboxHttp.Answer skusOnly = api.post("/orders", order.formatted("{\"sku\": \"HB-INSERT\", \"package_size\": 1}"));
        assertThat(skusOnly.status()).as("an order may hold SKU items only").isEqualTo(201);
    }

    @Test
    void anOrderOfAddOnsAloneGoesThroughTheOutboxFromTheOpsApiAndDirect() throws Exception {
        start(Map.of("honeybee.ops.token", TOKEN, "honeybee.order.default-add-ons", "HB-INSERT"));
        life.partnerPatient(HONEE);
        life.prescribe(HONEE);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);

        OpsClient.Answer answer = ops.post("/patients/EHR-1001/add-on-orders",
                "{\"add_ons\": [{\"sku\": \"HB-ORGANIZER\", \"quantity\": 2, \"package_size\": 1}]}");
        assertThat(answer.status()).isEqualTo(201);
        long fillId = answer.body().path("id").asLong();
        FillRepository fills = bundle.bean("honeybeeFills", FillRepository.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> fills.find(fillId).orElseThrow().status() == FillStatus.PLACED);

        JsonNode body = life.sandbox().orderRequests().get(0);
        assertThat(body.path("items")).isEqualTo(mapper.readTree("[{\"sku\": \"HB-ORGANIZER\", \"quantity\": 2, \"package_size\": 1}]"));
        String number = fills.find(fillId).orElseThrow().orderNumber();
        assertThat(life.orders().find(number)).isPresent();
        assertThat(life.orders().prescriptionIds(number)).isEmpty();

        Fill direct = bundle.context().createProducerTemplate().requestBodyAndHeaders("direct:honeybee-request-fill",
                Map.of("add_ons", List.of(Map.of("sku", "HB-INSERT", "package_size", 1))),
                Map.of(HoneybeeHeaders.PATIENT_ID, "EHR-1001", "HoneybeeRequestedBy", "test"), Fill.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> fills.find(direct.id()).orElseThrow().status() == FillStatus.PLACED);

        assertThat(ops.post("/patients/EHR-1001/add-on-orders", "{}").body().path("error").asText()).contains("add_ons");
        assertThat(ops.post("/patients/EHR-1001/add-on-orders", "{\"add_ons\": []}").status()).isEqualTo(400);
        OpsClient.Answer withQuantity = ops.post("/patients/EHR-1001/add-on-orders",
                "{\"quantity\": 2, \"add_ons\": [{\"sku\": \"HB-INSERT\", \"package_size\": 1}]}");
        assertThat(withQuantity.status()).isEqualTo(400);
        assertThat(withQuantity.body().path("error").asText()).contains("quantity and package_size are for the prescription item");
        assertThat(ops.post("/patients/NOBODY/add-on-orders", "{\"add_ons\": [{\"sku\": \"HB-INSERT\", \"package_size\": 1}]}")
                .status()).isEqualTo(404);
    }

    private Fill requestFill(long rx, Object body) {
        return bundle.context().createProducerTemplate().requestBodyAndHeaders("direct:honeybee-request-fill", body,
                Map.of(HoneybeeHeaders.PRESCRIPTION_ID, rx, "HoneybeeRequestedBy", "test"), Fill.class);
    }
}
