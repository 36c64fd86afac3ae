package com.example.partnercamel;

import org.apache.camel.main.Main;

/** The partner's own camel-main application: everything, the bundle included, comes from application.properties. */
public final class PartnerCamelApplication {

    private PartnerCamelApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main(PartnerCamelApplication.class).run(args);
    }
}
