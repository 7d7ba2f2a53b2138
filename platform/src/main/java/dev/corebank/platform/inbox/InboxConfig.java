package dev.corebank.platform.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How consumers retry, and how long they remember what they processed. */
@ConfigMapping(prefix = "corebank.inbox")
public interface InboxConfig {

    /** Retries of a failing message before it goes to its dead-letter topic (0: fail at once). */
    @WithDefault("3")
    int maxRetries();

    /** Wait before the first retry; doubles (with jitter) up to {@link #maxBackoff()}. */
    @WithDefault("PT0.2S")
    Duration initialBackoff();

    /** Longest wait between two retries. */
    @WithDefault("PT2S")
    Duration maxBackoff();

    /** Processed message ids are kept this long to recognise redeliveries, then purged. */
    @WithDefault("P7D")
    Duration retention();
}
