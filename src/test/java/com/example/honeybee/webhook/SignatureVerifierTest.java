package com.example.honeybee.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final String SECRET = "s3cr3t-signing";
    private static final String URL = "https://partner.example.com/webhooks/honeybee?src=hb";

    @ParameterizedTest(name = "secret {0}")
    @CsvSource(delimiter = '|', textBlock = """
            test_secret          | qQ0WU6unEWl3lfcxkBaWEW8z0xgK
            [CLIENT_SECRET_HERE] | WjK28W47ZwXsBAWTVJNjTIO2fRUK
            """)
    void reproducesHoneybeesPublishedVector(String secret, String published) {
        byte[] body = PublishedSignatureVector.body();
        assertThat(body).hasSize(PublishedSignatureVector.BODY_BYTES);
        assertThat(published).hasSize(28).endsWith("K").doesNotContain("=");
        assertThat(SignatureVerifier.sign(secret, "POST", PublishedSignatureVector.URL, body)).isEqualTo(published);
        assertThat(new SignatureVerifier(List.of(secret)).verify(published, "POST", PublishedSignatureVector.URL, body)).isTrue();
    }

    @Test
    void refusesPlainBase64OfTheDigestWhichHoneybeeNeverSends() {
        assertThat(new SignatureVerifier(List.of(PublishedSignatureVector.SECRET)).verify(PublishedSignatureVector.PLAIN_BASE64_OF_DIGEST,
                "POST", PublishedSignatureVector.URL, PublishedSignatureVector.body())).isFalse();
    }

    @Test
    void trimsTheLineFeedRubysEncode64PutsAfterItsOutput() {
        byte[] body = PublishedSignatureVector.body();
        var verifier = new SignatureVerifier(List.of(PublishedSignatureVector.SECRET));
        assertThat(verifier.verify(PublishedSignatureVector.SIGNATURE + "\n", "POST", PublishedSignatureVector.URL, body)).isTrue();
        assertThat(verifier.verify(" " + PublishedSignatureVector.SIGNATURE + " \r\n", "POST", PublishedSignatureVector.URL, body)).isTrue();
    }

    /**
     * Expected signatures computed outside Java, as Honeybee's Python example does it:
     * urllib.parse.quote_plus(safe=''), key = sha256(secret).hexdigest(), b64encode(hmac.digest(...) + b"\n"),
     * for bodies that trip naive implementations.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            spaces     | {"sig_text": "Take 1 tablet by mouth daily."}  | jLUrMt7R1uUgo/TpEyn8OFJVXqgK
            tilde_star | {"note":"a~b*c"}                               | 1I6t3FDIST16k66Bw8GDfmapZYUK
            quotes     | {"q":"say \\"hi\\" and 'bye'"}                  | s8p9IETRnr4pMgXixwGbV8smYJIK
            non_ascii  | {"drug_name":"Estradiol 1mg – café ü"}         | LpGHND6u1rc+q4qrzlj6U2ItMJgK
            int        | {"written_qty":90}                             | POOi/4LwwIRQwtrRvCUYSHoK25UK
            float      | {"written_qty":90.0}                           | R8dUJPOIp9bnH3MnoqrWVNWaq6IK
            """)
    void matchesSignaturesComputedByAnotherImplementation(String name, String body, String expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureVerifier.sign(SECRET, "POST", URL, bytes)).isEqualTo(expected);
        assertThat(new SignatureVerifier(List.of(SECRET)).verify(expected, "POST", URL, bytes)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            spaces and plus   | {"a": "b c+d"}
            tilde and star    | {"a":"~*~"}
            slashes and query | {"url":"https://x.test/a?b=c&d=e#f"}
            unicode           | {"name":"Zoë 😀 ñ"}
            control chars     | {"a":"line\\nbreak\\ttab"}
            """)
    void agreesWithAnIndependentJdkImplementation(String name, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureVerifier.sign(SECRET, "POST", URL, bytes)).isEqualTo(independentSignature(SECRET, URL, body));
    }

    @Test
    void escapingFollowsRubyCgiEscapeNotJavaUrlEncoder() {
        String escaped = new String(CgiEscaper.escape("a b*c~d_e.f-g/é".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
        assertThat(escaped).isEqualTo("a+b%2Ac~d_e.f-g%2F%C3%A9");
    }

    @Test
    void numbersAreSignedAsWrittenSoReserialisingBreaksTheSignature() {
        String signed = SignatureVerifier.sign(SECRET, "POST", URL, "{\"written_qty\":90}".getBytes(StandardCharsets.UTF_8));
        var verifier = new SignatureVerifier(List.of(SECRET));
        assertThat(verifier.verify(signed, "POST", URL, "{\"written_qty\":90.0}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void toleratesATrailingNewline() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String signed = SignatureVerifier.sign(SECRET, "POST", URL, body);
        assertThat(new SignatureVerifier(List.of(SECRET)).verify(signed + "\n", "POST", URL, body)).isTrue();
    }

    @Test
    void acceptsAnyConfiguredSecretSoSecretsCanRotate() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        var verifier = new SignatureVerifier(List.of("old-secret", "new-secret"));
        assertThat(verifier.verify(SignatureVerifier.sign("old-secret", "POST", URL, body), "POST", URL, body)).isTrue();
        assertThat(verifier.verify(SignatureVerifier.sign("new-secret", "POST", URL, body), "POST", URL, body)).isTrue();
        assertThat(verifier.verify(SignatureVerifier.sign("other", "POST", URL, body), "POST", URL, body)).isFalse();
    }

    @Test
    void rejectsWrongUrlWrongMethodAndMissingHeader() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String signed = SignatureVerifier.sign(SECRET, "POST", URL, body);
        var verifier = new SignatureVerifier(List.of(SECRET));
        assertThat(verifier.verify(signed, "POST", URL + "&x=1", body)).isFalse();
        assertThat(verifier.verify(signed, "PUT", URL, body)).isFalse();
        assertThat(verifier.verify(null, "POST", URL, body)).isFalse();
    }

    /**
     * As Honeybee's Java example does it (URLEncoder, then the digest copied into a 21-byte array ending in
     * a newline), with URLEncoder's two differences from CGI.escape fixed up by string: '*' (kept) and '~' (encoded).
     */
    private static String independentSignature(String secret, String url, String body) throws Exception {
        String encoded = URLEncoder.encode("POST" + url + body, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
        byte[] key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] digest = mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII));
        byte[] withNewline = java.util.Arrays.copyOf(digest, digest.length + 1);
        withNewline[digest.length] = '\n';
        return Base64.getEncoder().encodeToString(withNewline);
    }
}
