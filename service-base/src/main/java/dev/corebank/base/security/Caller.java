package dev.corebank.base.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified bearer token: its subject and roles. Everything a caller may do to an
 * account follows from these and from the account's owner:
 * <ul>
 *   <li>{@value #CUSTOMER}: reads and moves only the accounts it owns (owner = token subject);
 *   <li>{@value #TELLER}: bank staff serving customers: opens and edits accounts, takes deposits and pays
 *       withdrawals, and acts for any customer;
 *   <li>{@value #OPERATOR}: runs the system: admin endpoints, partitions, read-model rebuilds, saga retries,
 *       and reads everything, but moves no money;
 *   <li>{@value #SERVICE}: another service of ours: reads accounts.
 * </ul>
 * Idempotency-Keys and rate-limit buckets belong to the subject, never to something the caller can choose.
 */
public record Caller(String subject, Set<String> roles, String token) {

    public static final String CUSTOMER = "customer";
    public static final String TELLER = "teller";
    public static final String OPERATOR = "operator";
    public static final String SERVICE = "service";
    /**
     * The owner of the bank's own accounts (each currency's cash account). Reserved: no customer acts for it or
     * reads its accounts, whatever subject its token carries, and no account is opened for it over the API.
     */
    public static final String BANK = "bank";

    public static Caller of(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getSubject() == null) {
            throw new UnauthorizedException();
        }
        return new Caller(jwt.getSubject(), Set.copyOf(identity.getRoles()), jwt.getRawToken());
    }

    public boolean is(String role) {
        return roles.contains(role);
    }

    /** Tellers act for every customer, on every account. */
    public boolean actsForEveryAccount() {
        return is(TELLER);
    }

    /** Staff and services read every account; customers only their own. */
    public boolean readsEveryAccount() {
        return is(TELLER) || is(OPERATOR) || is(SERVICE);
    }

    /** Whether the caller may move money from, or otherwise act for, an account of {@code ownerId}. */
    public boolean mayActFor(String ownerId) {
        return actsForEveryAccount() || is(CUSTOMER) && subject.equals(ownerId) && !BANK.equals(ownerId);
    }

    /** Whether the caller may read an account of {@code ownerId}: its balance, statement and history. */
    public boolean mayRead(String ownerId) {
        return readsEveryAccount() || mayActFor(ownerId);
    }

    /** The caller's rate-limit bucket. */
    public String rateLimitId() {
        return "sub:" + subject;
    }

    /** The scope the caller's Idempotency-Keys live in: two callers' equal keys never meet. */
    public String keyScope() {
        return subject;
    }

    @Override
    public String toString() {
        return "Caller[" + subject + " " + roles + "]"; // never the token
    }
}
