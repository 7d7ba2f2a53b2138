package dev.corebank.transfer.rest;

import java.util.UUID;

class TransferNotFound extends RuntimeException {

    TransferNotFound(UUID id) {
        super("no transfer " + id);
    }
}
