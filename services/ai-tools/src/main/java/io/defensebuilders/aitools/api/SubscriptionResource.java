package io.defensebuilders.aitools.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.aitools.Notification;
import io.defensebuilders.aitools.Subscription;
import io.defensebuilders.aitools.service.SubscriptionService;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** Notification subscriptions: platform events to a tenant's Slack, Teams or HTTPS webhook; their dead letters. */
@Path("/api/v1/integrations/subscriptions")
@Authenticated
@Blocking
@Tag(name = "Notifications")
public class SubscriptionResource {

    @Schema(name = "SubscriptionRequest")
    public record NewSubscription(@NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "slack|teams|webhook", message = "must be slack, teams or webhook") @Schema(description = "slack (incoming webhook, Block Kit), teams (incoming webhook or Workflows URL, Adaptive Card) or webhook (JSON signed per Standard Webhooks)") String channel,
            @NotBlank @Size(max = 2048) @Schema(description = "https URL to POST to; kept sealed, never shown again (Slack and Teams URLs are credentials)") String url,
            @NotEmpty @Size(max = 10) @Schema(description = "ccdm.changed, conjunction.found, environment.ready, environment.failed, environment.expiring, environment.expired, invoice.issued, plan.limit-near") List<@NotBlank String> events,
            @DecimalMin("0") @DecimalMax("1") @Schema(description = "conjunction.found: only at or above this probability of collision") Double minProbability,
            @Pattern(regexp = "NONE|LOW|MEDIUM|HIGH|CRITICAL", message = "must be NONE, LOW, MEDIUM, HIGH or CRITICAL") @Schema(description = "ccdm.changed: only at or above this threat level") String minThreatLevel,
            @Size(max = 100) @Schema(description = "Only events about these objects; for ccdm.changed also the shared catalog's assessments of them") List<@NotNull @Min(1) @Max(999999999) Integer> noradIds) {
    }

    @Schema(name = "SubscriptionChange")
    public record Change(
            @NotNull @Schema(description = "false pauses it: notifications wait, their attempts unspent") Boolean enabled) {
    }

    @Schema(name = "Subscription")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, String name, String channel,
            @Schema(description = "The target URL's host (the URL itself is not shown)") String targetHost,
            List<String> events, Double minProbability, String minThreatLevel, List<Integer> noradIds, boolean enabled,
            @Schema(description = "webhook: the Standard Webhooks signing secret (whsec_...), only in the answer that created it") String secret,
            String createdBy, Instant createdAt) {

        static View of(Subscription s, String secret) {
            return new View(s.id(), s.name(), s.channel().value(), s.targetHost(), s.events(), s.minProbability(),
                    s.minThreatLevel(), s.noradIds(), s.enabled(), secret, s.createdBy(), s.createdAt());
        }
    }

    private final SubscriptionService subscriptions;
    private final TenantContext tenant;

    public SubscriptionResource(SubscriptionService subscriptions, TenantContext tenant) {
        this.subscriptions = subscriptions;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Subscribe a Slack, Teams or HTTPS webhook to platform events", description = "Needs the "
            + "admin role. The URL must be https and resolve to public addresses only (no private, loopback or "
            + "link-local targets unless the operator allows a network).")
    @APIResponse(responseCode = "201", description = "Subscribed; a webhook's signing secret is in this answer only")
    public RestResponse<View> create(@Valid @NotNull NewSubscription body) {
        SubscriptionService.Created created = subscriptions.create(tenant.caller(), new SubscriptionService.NewSubscription(
                body.name(), Subscription.Channel.of(body.channel()), body.url(), body.events(), body.minProbability(),
                body.minThreatLevel(), body.noradIds()));
        return RestResponse.ResponseBuilder.<View> created(URI.create("/api/v1/integrations/subscriptions/"
                + created.subscription().id())).entity(View.of(created.subscription(), created.secret())).build();
    }

    @GET
    @Operation(summary = "The tenant's subscriptions")
    public List<View> list() {
        return subscriptions.list(tenant.caller()).stream().map(s -> View.of(s, null)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One subscription")
    @APIResponse(responseCode = "404", description = "No such subscription in the tenant")
    public View get(@PathParam("id") UUID id) {
        return View.of(subscriptions.get(tenant.caller(), id), null);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Pause or resume a subscription")
    public View change(@PathParam("id") UUID id, @Valid @NotNull Change body) {
        return View.of(subscriptions.enable(tenant.caller(), id, body.enabled()), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription", description = "Its notifications, dead letters included, go with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public void delete(@PathParam("id") UUID id) {
        subscriptions.delete(tenant.caller(), id);
    }

    @GET
    @Path("/{id}/notifications")
    @Operation(summary = "The subscription's notifications, newest first", description = "status=dead lists its dead "
            + "letters: notifications every attempt failed for, with the last answer.")
    public List<Notification> notifications(@PathParam("id") UUID id,
            @QueryParam("status") @Pattern(regexp = "pending|delivered|dead", message = "must be pending, delivered or dead") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return subscriptions.notifications(tenant.caller(), id, status == null ? null : Notification.Status.of(status),
                limit);
    }

    @POST
    @Path("/{id}/notifications/{notification}/replay")
    @Operation(summary = "Send a dead letter again", description = "It goes back in line with its attempts reset.")
    public Map<String, Integer> replayOne(@PathParam("id") UUID id, @PathParam("notification") UUID notification) {
        int replayed = subscriptions.replay(tenant.caller(), id, notification);
        if (replayed == 0) {
            throw ProblemException.conflict("notification " + notification + " is not dead: only dead letters are replayed");
        }
        return Map.of("replayed", replayed);
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Send every dead letter of the subscription again")
    public Map<String, Integer> replayAll(@PathParam("id") UUID id) {
        return Map.of("replayed", subscriptions.replay(tenant.caller(), id, null));
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Queue a test notification", description = "Delivered like any other: follow it in the "
            + "subscription's notifications.")
    @APIResponse(responseCode = "202", description = "Queued")
    public RestResponse<Notification> test(@PathParam("id") UUID id) {
        return RestResponse.status(RestResponse.Status.ACCEPTED, subscriptions.test(tenant.caller(), id));
    }
}
