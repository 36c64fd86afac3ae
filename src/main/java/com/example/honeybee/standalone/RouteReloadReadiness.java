package com.example.honeybee.standalone;

import java.util.Map;

import com.example.honeybee.observe.ReadinessCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness while routes are edited live ({@code /observe/health/ready}, check {@code honeybee-route-reload}):
 * DOWN while a saved route file is refused or failed to load, with each such file and its cause as details;
 * the application then runs that file's previous routes, not what the file says. UP again once the file
 * loads or is back as it runs. Registered only when route reloading is on.
 */
public class RouteReloadReadiness extends ReadinessCheck {

    private final RouteFileReload reload;

    RouteReloadReadiness(RouteFileReload reload) {
        super("honeybee-route-reload");
        this.reload = reload;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> failures = reload.failures();
        if (failures.isEmpty()) {
            builder.up();
            return;
        }
        failures.forEach(builder::detail);
        builder.message(failures.size() + " route file(s) saved with errors run their previous version: " + String.join(", ", failures.keySet()));
        builder.down();
    }
}
