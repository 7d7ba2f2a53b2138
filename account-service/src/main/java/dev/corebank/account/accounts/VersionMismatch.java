package dev.corebank.account.accounts;

/** An edit made against a version of the account that is no longer the current one. */
public class VersionMismatch extends RuntimeException {

    public VersionMismatch(long expected) {
        super("the account is no longer at version " + expected + "; read it again and retry", null, false, false);
    }
}
