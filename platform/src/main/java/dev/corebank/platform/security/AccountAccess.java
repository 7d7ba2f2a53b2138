package dev.corebank.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.corebank.base.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * Ownership checks for services that act on accounts they do not hold (transfers, orders): may this caller
 * move money from, or read, that account?
 *
 * <p>Tellers act for anyone and operators and services read anything, so they are never looked up. For a
 * customer, account-service is asked with the customer's own token ({@code GET /accounts/{id}}), so it
 * applies its own rule and answers 404 to anyone but the owner; nothing here needs more rights than its
 * caller. An account's owner never changes, so an answer is remembered and later requests for that account
 * (by its owner or anybody else) need no call. A refusal is {@link AccountNotAccessible} (404, whether the
 * account is someone else's or does not exist); no answer is {@link AccountsUnavailable} (503).
 */
@ApplicationScoped
public class AccountAccess {

    private final AccountsConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Cache<UUID, String> owners;

    public AccountAccess(AccountsConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.owners = Caffeine.newBuilder().maximumSize(config.ownersCached()).build();
    }

    /** Completes if {@code caller} may move money from {@code accountId}; fails otherwise. */
    public Uni<Void> requireActFor(Caller caller, UUID accountId) {
        if (caller.actsForEveryAccount()) {
            return Uni.createFrom().voidItem();
        }
        return ownerAsSeenBy(caller, accountId).invoke(owner -> require(caller.mayActFor(owner), accountId)).replaceWithVoid();
    }

    /** Completes if {@code caller} may read {@code accountId}'s balance and history; fails otherwise. */
    public Uni<Void> requireRead(Caller caller, UUID accountId) {
        if (caller.readsEveryAccount()) {
            return Uni.createFrom().voidItem();
        }
        return ownerAsSeenBy(caller, accountId).invoke(owner -> require(caller.mayRead(owner), accountId)).replaceWithVoid();
    }

    private Uni<String> ownerAsSeenBy(Caller caller, UUID accountId) {
        String known = owners.getIfPresent(accountId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        if (!caller.is(Caller.CUSTOMER)) {
            return Uni.createFrom().failure(new AccountNotAccessible(accountId));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + "/accounts/" + accountId))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + caller.token())
                .header("Accept", "application/json")
                .GET()
                .build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> new AccountsUnavailable("account-service did not answer: " + e.getMessage()))
                .map(response -> owner(response, accountId))
                .invoke(owner -> owners.put(accountId, owner));
    }

    private String owner(HttpResponse<String> response, UUID accountId) {
        if (response.statusCode() == 404 || response.statusCode() == 403) {
            throw new AccountNotAccessible(accountId);
        }
        if (response.statusCode() != 200) {
            throw new AccountsUnavailable("account-service answered " + response.statusCode());
        }
        try {
            JsonNode owner = json.readTree(response.body()).path("ownerId");
            if (!owner.isTextual()) {
                throw new AccountsUnavailable("account-service answered without an ownerId");
            }
            return owner.asText();
        } catch (IOException e) {
            throw new AccountsUnavailable("account-service answered unreadable JSON");
        }
    }

    private static void require(boolean allowed, UUID accountId) {
        if (!allowed) {
            throw new AccountNotAccessible(accountId);
        }
    }
}
