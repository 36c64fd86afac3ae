package com.example.honeybee.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check of the bundle's (group {@code honeybee}) that counts for readiness only
 * ({@code /observe/health/ready}): what it watches makes the application unfit to take work, never dead.
 */
public abstract class ReadinessCheck extends AbstractHealthCheck {

    /** @param id the check's name in health answers, {@code honeybee-…} */
    protected ReadinessCheck(String id) {
        super("honeybee", id);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
