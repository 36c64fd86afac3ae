package com.example.partnerhost;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * The host's own bean named "metrics", with the methods the bundle's metrics bean has: a bundle route that
 * looked beans up by a bare name would call this one. Counts every call, so a test can show there was none.
 */
@Component("metrics")
public class HostMetrics {

    private final AtomicInteger calls = new AtomicInteger();

    public void webhookStored(Object outcome) {
        calls.incrementAndGet();
    }

    public void webhookRejected(String reason) {
        calls.incrementAndGet();
    }

    public void eventProcessed(Object exchange) {
        calls.incrementAndGet();
    }

    public void apiCall(String method, String path, Integer status, String outcome) {
        calls.incrementAndGet();
    }

    public int calls() {
        return calls.get();
    }
}
