package com.example.honeybee.orders;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import com.example.honeybee.record.Prescription;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a fill may be requested and puts it in the outbox. Policy {@code approval}: nothing
 * is ordered until the partner approves (direct:honeybee-request-fill); {@code auto}: the first fill is
 * requested as soon as RX_RECEIVED is recorded. A refill reuses the prescription_id while
 * refills_left &gt; 0 and the prescription has not expired. Orders Honeybee reported for the
 * prescription, including those placed outside the bundle, count as fills ({@link FillHistory}): one
 * still in progress refuses the request (409), finished ones raise the fill number. What the order holds
 * (quantity, package_size, add-ons; {@link OrderItemsReader}) is read from the request, completed with the
 * partner's defaults and stored with the fill, so every attempt posts the same items.
 */
public class FillRequests {

    /** honeybee.fill.policy, as HoneybeeSettings reads it. */
    public enum Policy { APPROVAL, AUTO }

    private static final Logger LOG = LoggerFactory.getLogger(FillRequests.class);

    private final FillRepository fills;
    private final PrescriptionRepository prescriptions;
    private final Policy policy;
    private final Clock clock;
    private final OrderItemsReader items;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public FillRequests(FillRepository fills, PrescriptionRepository prescriptions, Policy policy, Clock clock,
                        OrderItemsReader items, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.fills = fills;
        this.prescriptions = prescriptions;
        this.policy = policy;
        this.clock = clock;
        this.items = items;
        this.mapper = mapper;
    }

    /**
     * After RX_RECEIVED: with the auto policy, the first fill goes to the outbox at once, unless the
     * prescription already has a fill, ours or one Honeybee reported (an RX_UPDATED may arrive first).
     */
    public void onPrescriptionReceived(@Header(HoneybeeHeaders.PRESCRIPTION_ID) Long prescriptionId) {
        if (prescriptionId == null) {
            return;
        }
        FillHistory history = fills.history(prescriptionId);
        if (!history.fills().isEmpty()) {
            return;
        }
        if (policy == Policy.AUTO) {
            try {
                request(prescriptionId, null, "auto-policy", null);
            } catch (FillRefusedException e) {
                LOG.warn("prescription {} not ordered automatically: {}", prescriptionId, e.getMessage());
            }
        } else {
            LOG.info("prescription {} recorded; waiting for the partner to approve its first fill", prescriptionId);
        }
    }

    /**
     * An order of add-on items alone (SKUs agreed with Honeybee) for a patient Honeybee knows, through the outbox like
     * a fill. The patient must be one the local record holds (a prescription of theirs was reported).
     *
     * @throws FillRefusedException 400 for a body without add-ons or with a field that does not fit, 404 for an unknown patient
     */
    public Fill requestAddOns(String honeybeePatientId, String requestedBy, Object body) {
        OrderItems ordered = items.read(body, false);
        if (!prescriptions.knowsPatient(honeybeePatientId)) {
            throw new FillRefusedException(404, "patient " + LogSafe.escape(honeybeePatientId) + " is not known (no prescription of theirs"
                    + " was reported)");
        }
        Fill fill = fills.insertAddOnOrder(honeybeePatientId, requestedBy == null ? "partner" : requestedBy, ordered.toJson(mapper));
        LOG.info("order of {} add-on item(s) for patient {} requested by {} (fill id {})", ordered.addOns().size(),
                LogSafe.escape(honeybeePatientId), LogSafe.escape(fill.requestedBy()), fill.id());
        return fill;
    }

    /**
     * Requests the next fill of a prescription (first fill or refill), or refuses with the reason. Without a
     * prescription id but with a Honeybee patient id (header HoneybeePatientId): an order of add-on items alone for
     * that patient (the body's add_ons, at least one), see {@link #requestAddOns}.
     *
     * @param body what to order besides the prescription, as {@link OrderItemsReader} reads it (null: the defaults)
     * @throws FillRefusedException 400 for a request that does not fit (naming the field), 404, 409 or 422 as the prescription's state says
     */
    public Fill request(@Header(HoneybeeHeaders.PRESCRIPTION_ID) Long prescriptionId, @Header(HoneybeeHeaders.PATIENT_ID) String patientId,
                        @Header("HoneybeeRequestedBy") String requestedBy, @Body Object body) {
        if (prescriptionId == null && patientId != null && !patientId.isBlank()) {
            return requestAddOns(patientId, requestedBy, body);
        }
        if (prescriptionId == null) {
            throw new FillRefusedException(400, "no prescription id given (header HoneybeePrescriptionId), nor a patient for an order"
                    + " of add-ons alone (header HoneybeePatientId)");
        }
        OrderItems ordered = items.read(body, true);
        Prescription rx = prescriptions.find(prescriptionId)
                .orElseThrow(() -> new FillRefusedException(404, "prescription " + prescriptionId + " is not known"));
        FillHistory history = fills.history(prescriptionId);
        for (Fill fill : history.fills()) {
            if (fill.status() != FillStatus.PLACED && fill.status() != FillStatus.DEAD) {
                throw new FillRefusedException(409, "fill " + fill.fillNumber() + " of prescription " + prescriptionId
                        + " is still " + fill.status().name().toLowerCase(Locale.ROOT) + "; one fill at a time");
            }
        }
        Optional<FillHistory.ReportedOrder> outside = history.openOutside();
        if (outside.isPresent()) {
            throw new FillRefusedException(409, "Honeybee reported order " + outside.get().orderNumber() + " of prescription "
                    + prescriptionId + ", placed outside this bundle (Orders Dashboard or another system), and it is still "
                    + outside.get().status() + "; one fill at a time");
        }
        if (Boolean.FALSE.equals(rx.active())) {
            throw new FillRefusedException(422, "prescription " + prescriptionId + " is not active");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (rx.expireDate() != null && !rx.expireDate().isAfter(now)) {
            throw new FillRefusedException(422, "prescription " + prescriptionId + " expired on " + rx.expireDate()
                    + "; a new prescription is needed");
        }
        int fillNumber = history.nextFillNumber();
        if (fillNumber > 1 && (rx.refillsLeft() == null || rx.refillsLeft() <= 0)) {
            throw new FillRefusedException(422, "prescription " + prescriptionId + " has no refills left");
        }
        Fill fill = fills.insertNext(prescriptionId, fillNumber, rx.patientId(), requestedBy == null ? "partner" : requestedBy,
                        ordered.toJson(mapper))
                .orElseThrow(() -> new FillRefusedException(409, "fill " + fillNumber + " of prescription " + prescriptionId
                        + " was requested at the same moment by another caller"));
        LOG.info("fill {} of prescription {} requested by {} (fill id {})", fillNumber, prescriptionId, LogSafe.escape(fill.requestedBy()), fill.id());
        return fill;
    }
}
