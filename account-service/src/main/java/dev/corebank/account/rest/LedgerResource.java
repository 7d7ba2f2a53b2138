package dev.corebank.account.rest;

import dev.corebank.base.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import dev.corebank.account.ledger.TrialBalance;
import dev.corebank.account.ledger.TrialBalanceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/ledger")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class LedgerResource {

    private final TrialBalanceRepository trialBalance;

    public LedgerResource(TrialBalanceRepository trialBalance) {
        this.trialBalance = trialBalance;
    }

    /** Per currency: total debits and credits, whether they balance, and any account off its journal. */
    @GET
    @Path("/trial-balance")
    public Uni<TrialBalance> trialBalance() {
        return trialBalance.compute();
    }
}
