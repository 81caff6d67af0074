package io.defensebuilders.registry.api;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.registry.service.PublisherService;
import io.defensebuilders.registry.service.SdkCommands;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Publishers: the organisations SDKs are published under. */
@Path("/api/v1/publishers")
@Authenticated
@Tag(name = "Publishers")
public class PublisherResource {

    private final PublisherService publishers;
    private final TenantContext tenant;

    public PublisherResource(PublisherService publishers, TenantContext tenant) {
        this.publishers = publishers;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Create a publisher in the caller's tenant", description = "Needs the publisher role. Names are unique across the platform.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Uni<RestResponse<Views.PublisherView>> create(@Valid @NotNull SdkCommands.NewPublisher body) {
        return publishers.create(tenant.caller(), body.name(), body.displayName(), body.url())
                .map(p -> RestResponse.ResponseBuilder.<Views.PublisherView> created(
                        URI.create("/api/v1/publishers/" + p.name()))
                        .entity(Views.PublisherView.of(p)).build());
    }

    @GET
    @Operation(summary = "List the publishers of the caller's tenant")
    public Uni<List<Views.PublisherView>> mine() {
        return publishers.ofTenant(tenant.caller()).map(list -> list.stream().map(Views.PublisherView::of).toList());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a publisher")
    public Uni<Views.PublisherView> get(@PathParam("name") String name) {
        return publishers.get(name).map(Views.PublisherView::of);
    }
}
