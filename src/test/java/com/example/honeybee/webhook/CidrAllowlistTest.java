package com.example.honeybee.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CidrAllowlistTest {

    @Test
    void emptyListAllowsEverySource() {
        assertThat(new CidrAllowlist(List.of()).allows(null)).isTrue();
    }

    @Test
    void matchesIpv4NetworksAndSingleAddresses() {
        var list = new CidrAllowlist(List.of("44.229.36.28", "10.0.0.0/8", "192.168.1.128/25"));
        assertThat(list.allows("44.229.36.28")).isTrue();
        assertThat(list.allows("44.229.36.29")).isFalse();
        assertThat(list.allows("10.200.3.4:51234")).isTrue();
        assertThat(list.allows("192.168.1.200")).isTrue();
        assertThat(list.allows("192.168.1.100")).isFalse();
    }

    @Test
    void matchesIpv6AndRefusesUnknownOrMalformedSources() {
        var list = new CidrAllowlist(List.of("2001:db8::/32"));
        assertThat(list.allows("2001:db8:1::7")).isTrue();
        assertThat(list.allows("[2001:db8::1]:443")).isTrue();
        assertThat(list.allows("2001:db9::1")).isFalse();
        assertThat(list.allows(null)).isFalse();
        assertThat(list.allows("not-an-address")).isFalse();
    }

    @Test
    void anIpv4ClientSeenOnAnIpv6SocketMatchesItsIpv4Network() {
        var list = new CidrAllowlist(List.of("203.0.113.0/24"));
        assertThat(list.allows("::ffff:203.0.113.5")).isTrue();
        assertThat(list.allows("[::ffff:198.51.100.5]:8080")).isFalse();
    }

    @Test
    void hostNamesAndPrefixedSourcesAreNeverAllowed() {
        var list = new CidrAllowlist(List.of("127.0.0.0/8"));
        assertThat(list.allows("localhost")).isFalse();
        assertThat(list.allows("127.0.0.0/8")).isFalse();
        assertThat(list.allows("127.0.0.1")).isTrue();
    }

    @Test
    void badConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> new CidrAllowlist(List.of("10.0.0.0/40")))
                .hasMessageContaining("honeybee.webhook.allow-cidrs");
        assertThatThrownBy(() -> new CidrAllowlist(List.of("partner.example.com")))
                .hasMessageContaining("honeybee.webhook.allow-cidrs");
    }
}
