package dev.corebank.relay.rest;

import dev.corebank.base.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import dev.corebank.relay.Relay;
import dev.corebank.relay.RelayStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/relay/status")
@RolesAllowed(Caller.OPERATOR)
public class RelayStatusResource {

    private final Relay relay;

    RelayStatusResource(Relay relay) {
        this.relay = relay;
    }

    /** Per source: lanes this instance owns, lag (age of the oldest unpublished row), rows published, latency. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RelayStatus status() {
        return relay.status();
    }
}
