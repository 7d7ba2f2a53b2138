package dev.corebank.account.rest;

import dev.corebank.base.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import dev.corebank.account.accounts.AccountService;
import dev.corebank.account.journal.JournalPartitions;
import dev.corebank.platform.rest.InvalidRequest;
import dev.corebank.platform.rest.RequestChecks;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Operator calls. In a deployment these sit behind the cluster's admin ingress, not the public one. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class AdminResource {

    private final JournalPartitions partitions;
    private final AccountService accounts;

    public AdminResource(JournalPartitions partitions, AccountService accounts) {
        this.partitions = partitions;
        this.accounts = accounts;
    }

    @GET
    @Path("/partitions")
    public Uni<List<JournalPartitions.Partition>> partitions() {
        return partitions.list();
    }

    /** Detaches the journal's months older than {@code olderThanMonths} into the archive schema. */
    @POST
    @Path("/partitions/archive")
    public Uni<Archived> archive(@QueryParam("olderThanMonths") String olderThanMonths) {
        if (olderThanMonths == null) {
            throw new InvalidRequest("olderThanMonths", "olderThanMonths is required");
        }
        int months = (int) RequestChecks.intIn("olderThanMonths", olderThanMonths, 1, 1200);
        return partitions.archive(months).map(Archived::new);
    }

    /** Writes every account from PostgreSQL to the Redis read model (where newer than what Redis holds). */
    @POST
    @Path("/read-model/rebuild")
    public Uni<Rebuilt> rebuild() {
        return accounts.rebuildReadModel().map(Rebuilt::new);
    }

    public record Archived(List<String> archived) {
    }

    public record Rebuilt(long accounts) {
    }
}
