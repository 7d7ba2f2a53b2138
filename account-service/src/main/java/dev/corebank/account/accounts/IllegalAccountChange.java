package dev.corebank.account.accounts;

/** An edit the account's state does not allow: reopening a closed account, closing one holding money. */
public class IllegalAccountChange extends RuntimeException {

    public IllegalAccountChange(String detail) {
        super(detail, null, false, false);
    }
}
