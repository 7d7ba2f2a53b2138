package dev.corebank.chaos;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code POST /transfers} or {@code POST /orders} as the driver saw it: when it was due and sent, how and when
 * it was answered, the id it was given, and the final state its {@code GET} reached. Times are
 * {@code System.nanoTime()}; 0 means "not yet". Written by the HTTP client's threads, read once they are done.
 */
final class Request {

    enum Kind {
        TRANSFER("/transfers", Set.of("COMPLETED", "REJECTED"), "COMPLETED"),
        ORDER("/orders", Set.of("CONFIRMED", "CANCELLED"), "CONFIRMED");

        final String path;
        /** States a client may stop polling at. An order FAILED waits for an operator, so it is not one. */
        final Set<String> terminal;
        final String success;

        Kind(String path, Set<String> terminal, String success) {
            this.path = path;
            this.terminal = terminal;
            this.success = success;
        }
    }

    /** How a POST was answered. */
    enum Outcome {
        /** Not answered yet. */
        WAITING,
        /** 2xx with an id: the service took it on. */
        ACCEPTED,
        /** 503 or 429 with Retry-After: "not now", which is what an outage should look like to a client. */
        REFUSED,
        /** 503 or 429 without Retry-After: the client cannot tell when to come back. */
        REFUSED_WITHOUT_RETRY_AFTER,
        /** Any other 5xx: a client cannot tell "try later" from a bug. */
        SERVER_ERROR,
        /** A 4xx other than 429: the driver sends only valid requests. */
        CLIENT_ERROR,
        /** No answer within the client's timeout. */
        HANG,
        /** Connection refused or dropped: the process was not there (expected only of a killed service). */
        UNREACHABLE
    }

    final Kind kind;
    final boolean probe;
    final String key;
    final String body;
    final long intendedAt;
    volatile long sentAt;
    volatile long answeredAt;
    volatile int status;
    volatile Outcome outcome = Outcome.WAITING;
    /** The failure, or the start of an unexpected answer's body. */
    volatile String detail = "";
    volatile boolean problemJson;
    volatile String id;
    /** The state last read (from the POST's answer or a GET). */
    volatile String state;
    /** When a terminal state was first seen. */
    volatile long finalAt;
    /** Completes when the request is final, or was not accepted. */
    final CompletableFuture<Request> ended = new CompletableFuture<>();

    Request(Kind kind, boolean probe, String key, String body, long intendedAt) {
        this.kind = kind;
        this.probe = probe;
        this.key = key;
        this.body = body;
        this.intendedAt = intendedAt;
    }

    boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    boolean terminal() {
        return finalAt != 0;
    }

    boolean succeeded() {
        return terminal() && kind.success.equals(state);
    }

    /** Accepted and never seen in a terminal state, or a 5xx, or no answer: what the suite calls lost. */
    boolean lost() {
        return (accepted() && !terminal()) || outcome == Outcome.SERVER_ERROR || outcome == Outcome.HANG;
    }
}
