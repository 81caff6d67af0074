package io.defensebuilders.orbital.api;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.elements.ElementSetReader;
import io.defensebuilders.orbital.service.CatalogService;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.defensebuilders.platform.web.Params;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** Element sets: uploading TLE/3LE and OMM into the catalog, and reading one by id. */
@Path("/api/v1/orbital/element-sets")
@Authenticated
@Tag(name = "Element sets")
public class ElementSetResource {

    private final CatalogService catalog;
    private final TenantContext tenant;

    public ElementSetResource(CatalogService catalog, TenantContext tenant) {
        this.catalog = catalog;
        this.tenant = tenant;
    }

    @POST
    @Blocking
    @APIResponse(responseCode = "403", description = "Not a publisher")
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_XML, MediaType.TEXT_XML, MediaType.APPLICATION_JSON })
    @Operation(summary = "Ingest element sets (TLE/3LE or CCSDS OMM)", description = "Needs the publisher role. A "
            + "platform admin's upload goes to the shared catalog every tenant sees; a tenant publisher's to the "
            + "tenant's private overlay, which only that tenant sees (scope in the answer). Epochs more than "
            + "dbp.orbital.ingest.max-future-epoch (3 days) ahead of now are refused. The format "
            + "comes from the format parameter or the content type: text/plain is TLE or 3LE (or OMM KVN when it holds "
            + "CCSDS_OMM_VERS), application/xml is OMM XML (an <omm> or an <ndm> of them), application/json is OMM "
            + "keywords as a JSON object or array (CelesTrak/space-track GP form). All or nothing: if any element set is "
            + "invalid, nothing is stored and the 400 problem lists each error by line (or JSON index) and field. An "
            + "element set the scope already holds (same NORAD id and epoch) is reported with stored=false. Each "
            + "object's current element set is the one with the newest epoch.")
    @RequestBody(content = {
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING), example = "VANGUARD 1\n1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753\n"
                    + "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"),
            @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "200", description = "What became of each element set, in upload order")
    @APIResponse(responseCode = "413", description = "More element sets than dbp.orbital.ingest.max-element-sets")
    @APIResponse(responseCode = "415", description = "A content type other than text/plain, XML or JSON")
    public Uni<Views.IngestView> ingest(
            @Parameter(description = "tle, omm-kvn, omm-xml or omm-json; overrides the content type") @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        ElementFormat detected = ElementSetReader.detect(format, contentType, body);
        if (detected == null) {
            throw format != null && !format.isBlank()
                    ? ProblemException.invalid("format", "must be one of tle, omm-kvn, omm-xml, omm-json")
                    : new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                            "send text/plain, application/xml or application/json");
        }
        var caller = tenant.caller();
        boolean shared = caller.has(Role.PLATFORM_ADMIN);
        return catalog.ingest(caller, tenant.token(), detected, body).map(items -> Views.IngestView.of(items, shared));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get one element set by id", description = "404 for an element set of another tenant's "
            + "overlay (platform admins see every one). A withdrawn element set carries its withdrawal.")
    @APIResponse(responseCode = "404", description = "No such element set in the caller's view")
    public Uni<Views.ElementSetView> get(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        var caller = tenant.caller();
        return catalog.elementSet(caller, Params.uuid("id", id)).map(r -> Views.ElementSetView.of(r, caller));
    }

    @Schema(name = "Withdraw")
    public record Withdraw(
            @Schema(description = "Why it is withdrawn (kept for audit), at most 500 characters", example = "epoch in 2056: a typo in the source") String reason) {
    }

    @POST
    @Path("/{id}/withdraw")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Withdraw an element set", description = "A shared element set needs the platform-admin role; "
            + "an element set of the caller's overlay its publisher (or admin). The element set is kept for audit "
            + "(flagged in the history) but is no longer current; maneuvers built on it are superseded "
            + "(maneuver.superseded), the element sets it separated are compared anew, and "
            + "io.defensebuilders.orbital.v1.element-set.withdrawn is emitted on orbital.catalog.v1.")
    @APIResponse(responseCode = "200", description = "The withdrawn element set")
    @APIResponse(responseCode = "403", description = "Not allowed to withdraw this element set")
    @APIResponse(responseCode = "404", description = "No such element set in the caller's view")
    @APIResponse(responseCode = "409", description = "Withdrawn already")
    public Uni<Views.ElementSetView> withdraw(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id, Withdraw body) {
        var caller = tenant.caller();
        UUID elementSet = Params.uuid("id", id);
        return catalog.withdraw(caller, tenant.token(), elementSet, body == null ? null : body.reason())
                .map(r -> Views.ElementSetView.of(r, caller));
    }

    @POST
    @Path("/{id}/publish")
    @Operation(summary = "Promote a tenant's element set to the shared catalog", description = "Needs the "
            + "platform-admin role. A shared copy is stored (its ingestedBy the original's, publishedFrom the "
            + "original's id) as if the orbital.elements.v1 topic had delivered it: it may become current for "
            + "every tenant, maneuvers are detected, orbital.catalog.v1 announces it. The original stays in the "
            + "tenant's overlay.")
    @APIResponse(responseCode = "200", description = "The shared copy")
    @APIResponse(responseCode = "409", description = "Shared already, withdrawn, or the shared catalog holds one at "
            + "that epoch")
    public Uni<Views.IngestedView> publish(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return catalog.publish(tenant.caller(), tenant.token(), Params.uuid("id", id)).map(Views.IngestedView::of);
    }
}
