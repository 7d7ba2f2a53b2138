package dev.corebank.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where account-service answers who owns an account, for services that act on accounts they do not hold. */
@ConfigMapping(prefix = "corebank.accounts")
public interface AccountsConfig {

    /** account-service's base URL. */
    @WithDefault("http://127.0.0.1:8081")
    String url();

    /** How long one ownership lookup may take before the request is answered 503. */
    @WithDefault("2s")
    Duration timeout();

    /** How many accounts' owners are remembered (an account never changes owner, so they never go stale). */
    @WithDefault("100000")
    int ownersCached();
}
