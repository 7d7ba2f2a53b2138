package dev.corebank.platform.readmodel;

/** Redis did not answer a read-model call in time; the caller serves from PostgreSQL or retries later. */
public class RedisTimeout extends RuntimeException {

    public RedisTimeout(String message) {
        super(message, null, false, false);
    }
}
