package com.example.honeybee.it;

import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * Delivers a webhook as Honeybee would under the bundle's admission control (CONTRACT.md): a 503 with
 * Retry-After (seconds) is sent again after that wait, up to a number of times. Which answer a test's input
 * gets must not depend on how busy the machine running the test is. A 503 without Retry-After (a database
 * fault) is an answer like any other.
 */
final class Redelivery {

    /** The last response (null when none came) and how many 503 + Retry-After answers were waited out before it. */
    record Delivery<T>(HttpResponse<T> last, int deferrals) {
    }

    private Redelivery() {
    }

    /** Sends until the answer is not a 503 with Retry-After, or {@code maxDeferrals} waits have been spent. */
    static <T> Delivery<T> deliver(Supplier<HttpResponse<T>> send, int maxDeferrals) throws InterruptedException {
        for (int deferrals = 0;; deferrals++) {
            HttpResponse<T> answer = send.get();
            String retryAfter = answer == null ? null : answer.headers().firstValue("Retry-After").orElse(null);
            if (answer == null || answer.statusCode() != 503 || retryAfter == null || deferrals == maxDeferrals) {
                return new Delivery<>(answer, deferrals);
            }
            Thread.sleep(Math.max(1, Integer.parseInt(retryAfter.trim())) * 1000L);
        }
    }
}
