package dev.corebank.platform.rest;

/** An edit without If-Match: it would overwrite changes the client never saw. Answered with 428. */
public class PreconditionRequired extends RuntimeException {

    public PreconditionRequired() {
        super("send If-Match with the ETag of the account as you last read it", null, false, false);
    }
}
