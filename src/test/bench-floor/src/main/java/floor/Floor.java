package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Answers the webhook's routes with 200 and does nothing else. */
@Path("/webhook")
public class Floor {

    @GET
    public String verify() {
        return "ok";
    }

    @POST
    public String receive(String body) {
        return "{\"status\":\"ok\"}";
    }
}
