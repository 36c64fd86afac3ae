package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.webhook.PublishedSignatureVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A genuine Honeybee webhook, over real HTTP: the bundle is configured as a partner whose registered URL
 * and signing secret are those of Honeybee's published example, and receives that example's exact body
 * and signature. Nothing here is signed by the bundle's own code.
 */
class PublishedSignatureIntakeTest {

    private static RunningBundle bundle;

    @BeforeAll
    static void start() {
        bundle = RunningBundle.start(Map.of(
                "honeybee.webhook.signing-secrets", PublishedSignatureVector.SECRET,
                "honeybee.webhook.public-url", PublishedSignatureVector.URL));
    }

    @AfterAll
    static void stop() {
        bundle.close();
    }

    @Test
    void plainBase64OfTheDigestIsRefusedAndThePublishedSignatureAcceptedAndProcessed() {
        HttpResponse<String> plain = bundle.post(PublishedSignatureVector.body(), Map.of("Content-Type", "application/json",
                "X-Honeybee-Signature", PublishedSignatureVector.PLAIN_BASE64_OF_DIGEST));
        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", PublishedSignatureVector.EVENT_ID)).isZero();

        // whitespace around the header, as a Ruby sender's encode64 output may carry, is not part of the signature
        HttpResponse<String> genuine = bundle.post(PublishedSignatureVector.body(), Map.of("Content-Type", "application/json",
                "X-Honeybee-Signature", PublishedSignatureVector.SIGNATURE + " \t"));
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(genuine.body()).isEqualTo("{\"status\":\"accepted\",\"event_id\":\"" + PublishedSignatureVector.EVENT_ID + "\"}");

        bundle.awaitStatus(PublishedSignatureVector.EVENT_ID, InboxStatus.PROCESSED);
        assertThat(bundle.sql().queryOne("SELECT drug_name FROM prescription WHERE prescription_id = 82", row -> row.getString(1)))
                .contains("ATORVASTATIN 10MG TABLET");
    }
}
