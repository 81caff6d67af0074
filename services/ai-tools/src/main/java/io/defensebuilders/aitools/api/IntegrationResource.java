package io.defensebuilders.aitools.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.aitools.Delivery;
import io.defensebuilders.aitools.Integration;
import io.defensebuilders.aitools.service.IntegrationService;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.web.RequestIds;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** A tenant's GitHub and Slack integrations: link, list, rotate a secret, unlink, and what they received. */
@Path("/api/v1/integrations")
@Authenticated
@Blocking
@Tag(name = "Integrations")
public class IntegrationResource {

    @Schema(name = "GitHubIntegrationRequest")
    public record NewGitHub(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}", message = "must be owner/name of a GitHub repository") @Schema(example = "acme/tak-client") String repository,
            @NotBlank @Size(max = 214) @Schema(description = "The SDK its published releases become versions of", example = "tak-client") String sdk,
            @Size(min = 16, max = 256) @Schema(description = "The webhook's secret; absent: one is made and answered once") String secret,
            @Size(max = 512) @Schema(description = "A GitHub token that can read the repository: needed for a private repository's release tarballs") String token) {
    }

    @Schema(name = "SlackIntegrationRequest")
    public record NewSlack(
            @NotBlank @Pattern(regexp = "T[A-Z0-9]{2,20}", message = "must be a Slack team id such as T0123ABCD") String teamId,
            @NotBlank @Size(min = 16, max = 256) @Schema(description = "The Slack app's signing secret (Basic Information)") String signingSecret) {
    }

    @Schema(name = "SecretRotation")
    public record Rotation(
            @Size(min = 16, max = 256) @Schema(description = "The new secret; absent (GitHub only): one is made and answered once") String secret) {
    }

    @Schema(name = "Integration")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, @Schema(description = "github or slack") String kind,
            @Schema(description = "GitHub: owner/name") String repository,
            @Schema(description = "Slack: the team id") String teamId,
            String sdk,
            @Schema(description = "Where the sender delivers: set it as the webhook's or the Slack app's request URL") String webhookUrl,
            @Schema(description = "Only when this service made the secret: set it in GitHub now, it is not shown again") String secret,
            Boolean hasToken, String createdBy, Instant createdAt) {

        static View of(Integration i, String secret, String base) {
            boolean github = i.kind() == Integration.Kind.GITHUB;
            return new View(i.id(), i.kind().value(), github ? i.target() : null, github ? null : i.target(), i.sdk(),
                    base + "/api/v1/integrations/hooks/" + i.kind().value() + "/" + i.id(), secret,
                    github ? i.hasToken() : null, i.createdBy(), i.createdAt());
        }
    }

    private final IntegrationService integrations;
    private final TenantContext tenant;

    public IntegrationResource(IntegrationService integrations, TenantContext tenant) {
        this.integrations = integrations;
        this.tenant = tenant;
    }

    @POST
    @Path("/github")
    @Operation(summary = "Link a GitHub repository to an SDK", description = "Needs the publisher role and an SDK of "
            + "the tenant. A published release of the repository becomes a version of the SDK (tag without a leading v, "
            + "release notes as README, the release's tarball as artifact). Add the answer's webhookUrl as the "
            + "repository's webhook (content type application/json, the secret, the Releases event).")
    @APIResponse(responseCode = "201", description = "Linked")
    @APIResponse(responseCode = "409", description = "The tenant has linked this repository already")
    public RestResponse<View> linkGitHub(@Valid @NotNull NewGitHub body, @Context HttpHeaders headers) {
        IntegrationService.Created created = integrations.linkGitHub(tenant.caller(), tenant.token(),
                headers.getHeaderString(RequestIds.HEADER), new IntegrationService.GitHubLink(body.repository(),
                        body.sdk(), body.secret(), body.token()));
        return created(created, headers);
    }

    @POST
    @Path("/slack")
    @Operation(summary = "Link a Slack workspace", description = "Needs the admin role: the workspace's members can "
            + "then ask /dbp for the tenant's SDKs, environments and CCDM assessments. Set the answer's webhookUrl as the "
            + "Slack app's slash command and Event Subscriptions request URL.")
    @APIResponse(responseCode = "201", description = "Linked")
    @APIResponse(responseCode = "409", description = "The tenant has linked this workspace already")
    public RestResponse<View> linkSlack(@Valid @NotNull NewSlack body, @Context HttpHeaders headers) {
        return created(integrations.linkSlack(tenant.caller(), new IntegrationService.SlackLink(body.teamId(),
                body.signingSecret())), headers);
    }

    @GET
    @Operation(summary = "The tenant's integrations")
    public List<View> list(@Context HttpHeaders headers) {
        String base = base(headers);
        return integrations.list(tenant.caller()).stream().map(i -> View.of(i, null, base)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One integration")
    @APIResponse(responseCode = "404", description = "No such integration in the tenant")
    public View get(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        return View.of(integrations.get(tenant.caller(), id), null, base(headers));
    }

    @POST
    @Path("/{id}/secret")
    @Operation(summary = "Replace the integration's secret", description = "The old one stops working at once.")
    public View rotate(@PathParam("id") UUID id, @Valid Rotation body, @Context HttpHeaders headers) {
        IntegrationService.Created rotated = integrations.rotate(tenant.caller(), id, body == null ? null : body.secret());
        return View.of(rotated.integration(), rotated.secret(), base(headers));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Unlink", description = "Its deliveries go with it; the sender's next delivery is a 404.")
    @APIResponse(responseCode = "204", description = "Unlinked")
    public void unlink(@PathParam("id") UUID id) {
        integrations.unlink(tenant.caller(), id);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "What the integration received, newest first", description = "Status received (recorded, "
            + "nothing to do), pending (work to do, retried), done or failed (detail says why). Kept for "
            + "dbp.ai-tools.integrations.keep-deliveries.")
    public List<Delivery> deliveries(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return integrations.deliveries(tenant.caller(), id, limit);
    }

    private static RestResponse<View> created(IntegrationService.Created created, HttpHeaders headers) {
        Integration i = created.integration();
        return RestResponse.ResponseBuilder.<View> created(URI.create("/api/v1/integrations/" + i.id()))
                .entity(View.of(i, created.secret(), base(headers))).build();
    }

    /** The platform's public base URL as the gateway forwarded it (X-Forwarded-Proto and -Host). */
    private static String base(HttpHeaders headers) {
        String host = headers.getHeaderString("X-Forwarded-Host");
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            return "";
        }
        return (proto == null || !proto.matches("https?") ? "https" : proto) + "://" + host;
    }
}
