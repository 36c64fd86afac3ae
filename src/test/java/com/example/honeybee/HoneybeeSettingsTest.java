package com.example.honeybee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Durations as the README documents them: Camel's time patterns or ISO-8601, any case (hand-computed values). */
class HoneybeeSettingsTest {

    @Test
    void durationsInCamelsPatternOrIso8601() {
        assertThat(HoneybeeSettings.duration("k", "24h")).isEqualTo(Duration.ofHours(24));
        assertThat(HoneybeeSettings.duration("k", "PT24H")).isEqualTo(Duration.ofHours(24));
        assertThat(HoneybeeSettings.duration("k", "pt30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(HoneybeeSettings.duration("k", "5m30s")).isEqualTo(Duration.ofSeconds(330));
        assertThat(HoneybeeSettings.duration("k", "1D")).isEqualTo(Duration.ofDays(1));
        assertThat(HoneybeeSettings.duration("k", "1500")).isEqualTo(Duration.ofMillis(1500));
        for (String wrong : new String[] {"soon", "", "24 hours", "-1h", "PT0S", "h24"}) {
            assertThatThrownBy(() -> HoneybeeSettings.duration("honeybee.outbox.retry-window", wrong)).as(wrong)
                    .hasMessageStartingWith("honeybee.outbox.retry-window must be a positive duration");
        }
    }
}
