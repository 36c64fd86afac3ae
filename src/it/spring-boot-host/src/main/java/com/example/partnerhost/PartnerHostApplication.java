package com.example.partnerhost;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The partner's own application; honeybee-partner-routes joins it through its auto-configuration. */
@SpringBootApplication
public class PartnerHostApplication {

    public static void main(String[] args) {
        SpringApplication.run(PartnerHostApplication.class, args);
    }
}
