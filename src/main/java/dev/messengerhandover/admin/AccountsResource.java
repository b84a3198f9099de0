package dev.messengerhandover.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.thread.RoutingModes;

/** {@code GET /accounts}: every account this deployment serves, its platform, routing and last Graph error. */
@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private final Accounts accounts;
    private final RoutingModes routings;
    private final OperatorKey key;

    public AccountsResource(Accounts accounts, RoutingModes routings, OperatorKey key) {
        this.accounts = accounts;
        this.routings = routings;
        this.key = key;
    }

    @GET
    public Response list(@HeaderParam(OperatorKey.HEADER) String apiKey) {
        var refused = key.refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        return Response.ok(accounts.all().stream().map(this::view).toList()).build();
    }

    private AccountView view(Account a) {
        var error = accounts.lastGraphError(a).map(e -> AccountView.LastError.of(e.at(), e.summary())).orElse(null);
        return new AccountView(a.id(), a.kind().wire(), a.name(), a.pageId(), a.control().rules().inboxAppId(),
                routing(a), error);
    }

    private String routing(Account a) {
        return switch (a.routingMode()) {
            case ROUTING -> wire(Routing.ROUTING) + " (configured)";
            case DEFAULT_BEHAVIOUR -> wire(Routing.DEFAULT_BEHAVIOUR) + " (configured)";
            case AUTO -> routings.lastProbed(a).map(AccountsResource::wire).orElse("not probed yet");
        };
    }

    private static String wire(Routing routing) {
        return switch (routing) {
            case ROUTING -> "routing";
            case DEFAULT_BEHAVIOUR -> "default-behaviour";
        };
    }
}
