package com.example.honeybee.it;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;

/** A bundle with its sandbox per test, started with the test's overrides, and the lifecycle steps on it. */
abstract class SandboxBundleTestSupport {

    protected RunningBundle bundle;
    protected Lifecycle life;

    protected void start(Map<String, String> overrides) {
        bundle = RunningBundle.start(overrides);
        life = new Lifecycle(bundle);
    }

    @AfterEach
    void stopBundle() {
        if (bundle != null) {
            bundle.close();
        }
    }
}
