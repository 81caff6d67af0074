package io.defensebuilders.aitools.api;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.defensebuilders.aitools.service.GitHubHooks;
import io.defensebuilders.aitools.service.SlackHooks;
import io.defensebuilders.platform.web.RequestIds;
import io.smallrye.common.annotation.Blocking;

/**
 * Where GitHub and Slack deliver: no platform credential (the gateway lets these paths through unauthenticated); the
 * sender's signature over the raw body, under the integration's own secret, is the authentication.
 */
@Path("/api/v1/integrations/hooks")
@PermitAll
@Blocking
@Tag(name = "Integrations")
public class HookResource {

    private final GitHubHooks github;
    private final SlackHooks slack;

    public HookResource(GitHubHooks github, SlackHooks slack) {
        this.github = github;
        this.slack = slack;
    }

    @POST
    @Path("/github/{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A GitHub webhook delivery", description = "Signed with X-Hub-Signature-256. Deduplicated by "
            + "X-GitHub-Delivery: a redelivery answers 200 and does nothing again.")
    @APIResponse(responseCode = "202", description = "Recorded (and its work, such as publishing a release, queued)")
    @APIResponse(responseCode = "200", description = "Seen before")
    @APIResponse(responseCode = "401", description = "No signature, or not this integration's")
    @APIResponse(responseCode = "404", description = "No such GitHub integration")
    @APIResponse(responseCode = "422", description = "The delivery is for another repository")
    public RestResponse<GitHubHooks.Outcome> github(@PathParam("id") UUID id,
            @HeaderParam("X-GitHub-Event") String event, @HeaderParam("X-GitHub-Delivery") String delivery,
            @HeaderParam("X-Hub-Signature-256") String signature, @HeaderParam("Content-Type") String contentType,
            byte[] body) {
        GitHubHooks.Outcome outcome = github.receive(id, event, delivery, signature, contentType, body == null
                ? new byte[0]
                : body);
        return RestResponse.status(outcome.duplicate() ? RestResponse.Status.OK : RestResponse.Status.ACCEPTED, outcome);
    }

    @POST
    @Path("/slack/{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A Slack request: Events API or the /dbp slash command", description = "Signed with "
            + "X-Slack-Signature (v0) and X-Slack-Request-Timestamp, at most 300 s old. url_verification answers its "
            + "challenge; a slash command answers in Block Kit, to the person who asked.")
    @APIResponse(responseCode = "200", description = "The challenge, an empty acknowledgement or the command's answer")
    @APIResponse(responseCode = "401", description = "Unsigned, stale or not this integration's signature")
    @APIResponse(responseCode = "404", description = "No such Slack integration")
    public Map<String, Object> slack(@PathParam("id") UUID id,
            @HeaderParam("X-Slack-Request-Timestamp") String timestamp,
            @HeaderParam("X-Slack-Signature") String signature, @HeaderParam("Content-Type") String contentType,
            @HeaderParam(RequestIds.HEADER) String requestId, byte[] body) {
        return slack.receive(id, timestamp, signature, contentType, body == null ? new byte[0] : body, requestId);
    }
}
