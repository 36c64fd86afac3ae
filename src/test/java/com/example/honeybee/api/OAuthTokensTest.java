package com.example.honeybee.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When a token is replaced: a tenth of its life, at least a minute, at most a quarter of its life (hand-computed). */
class OAuthTokensTest {

    @Test
    void refreshMarginKeepsShortTokensForMostOfTheirLife() {
        assertThat(OAuthTokens.refreshMargin(43_200)).isEqualTo(Duration.ofMinutes(72));
        assertThat(OAuthTokens.refreshMargin(3_600)).isEqualTo(Duration.ofMinutes(6));
        assertThat(OAuthTokens.refreshMargin(300)).isEqualTo(Duration.ofSeconds(60));
        assertThat(OAuthTokens.refreshMargin(120)).isEqualTo(Duration.ofSeconds(30));
        assertThat(OAuthTokens.refreshMargin(30)).isEqualTo(Duration.ofMillis(7_500));
        assertThat(OAuthTokens.refreshMargin(0)).isEqualTo(Duration.ZERO);
    }
}
