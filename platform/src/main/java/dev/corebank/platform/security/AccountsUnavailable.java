package dev.corebank.platform.security;

/** account-service did not say who owns an account in time; the request is refused (503) and changes nothing. */
public class AccountsUnavailable extends RuntimeException {

    public AccountsUnavailable(String message) {
        super(message);
    }
}
