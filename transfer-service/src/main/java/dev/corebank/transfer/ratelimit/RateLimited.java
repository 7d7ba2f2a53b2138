package dev.corebank.transfer.ratelimit;

/** Refused by a rate limit; nothing was written. */
public class RateLimited extends RuntimeException {

    private final RateLimits.Decision decision;

    public RateLimited(RateLimits.Decision decision) {
        super("too many transfer requests for this " + decision.tightest().name() + "; retry after "
                + Math.max(1, (decision.retryAfterMs() + 999) / 1000) + " s");
        this.decision = decision;
    }

    public RateLimits.Decision decision() {
        return decision;
    }
}
