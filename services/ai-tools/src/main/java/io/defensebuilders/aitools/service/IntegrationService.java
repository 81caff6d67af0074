package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.Delivery;
import io.defensebuilders.aitools.Integration;
import io.defensebuilders.aitools.repository.DeliveryRepository;
import io.defensebuilders.aitools.repository.IntegrationRepository;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A tenant's integrations: link a GitHub repository to one of its SDKs (publisher role) or a Slack workspace to the
 * tenant (admin role: its members can then read the tenant's SDKs, environments and CCDM assessments there), list,
 * rotate a secret, unlink, see what was delivered. Another tenant's integration is a 404.
 */
@ApplicationScoped
public class IntegrationService {

    /** A GitHub repository to link; a secret and a token are optional (the secret is made when absent). */
    public record GitHubLink(String repository, String sdk, String secret, String token) {
    }

    /** A Slack workspace to link, with the Slack app's signing secret. */
    public record SlackLink(String teamId, String signingSecret) {
    }

    /** An integration as created: the secret is there only when this service made it (shown once). */
    public record Created(Integration integration, String secret) {
    }

    private static final Duration DB = Duration.ofSeconds(10);
    private final Pool pool;
    private final IntegrationRepository integrations;
    private final DeliveryRepository deliveries;
    private final IntegrationSecrets secrets;
    private final PlatformApi api;

    public IntegrationService(Pool pool, IntegrationRepository integrations, DeliveryRepository deliveries,
            IntegrationSecrets secrets, PlatformApi api) {
        this.pool = pool;
        this.integrations = integrations;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.api = api;
    }

    /**
     * Links a repository to an SDK the caller's tenant publishes; {@code callerToken} asks the registry, as the
     * caller, whether it does.
     */
    public Created linkGitHub(Caller caller, String callerToken, String requestId, GitHubLink link) {
        require(caller, Role.PUBLISHER, "linking a GitHub repository");
        String repository = link.repository().toLowerCase(Locale.ROOT);
        requireOwnSdk(callerToken, requestId, link.sdk());
        String secret = link.secret() == null ? IntegrationSecrets.newSecret() : link.secret();
        Integration integration = new Integration(UUID.randomUUID(), caller.tenant(), Integration.Kind.GITHUB,
                repository, link.sdk(), link.token() != null, caller.subject(), Instant.now());
        insert(integration, secret, link.token());
        return new Created(integration, link.secret() == null ? secret : null);
    }

    public Created linkSlack(Caller caller, SlackLink link) {
        require(caller, Role.ADMIN, "linking a Slack workspace");
        Integration integration = new Integration(UUID.randomUUID(), caller.tenant(), Integration.Kind.SLACK,
                link.teamId(), null, false, caller.subject(), Instant.now());
        insert(integration, link.signingSecret(), null);
        return new Created(integration, null);
    }

    public List<Integration> list(Caller caller) {
        return integrations.list(pool, caller.tenant()).await().atMost(DB);
    }

    /** The caller's tenant's integration, else a 404 (another tenant's too). */
    public Integration get(Caller caller, UUID id) {
        return integrations.find(pool, id).await().atMost(DB).filter(i -> i.tenant().equals(caller.tenant()))
                .orElseThrow(() -> ProblemException.notFound("no integration " + id));
    }

    /**
     * A new secret for the integration: {@code secret} when given (Slack: the app's regenerated signing secret),
     * else made here and answered once (GitHub). The old one stops working at once.
     */
    public Created rotate(Caller caller, UUID id, String secret) {
        Integration integration = get(caller, id);
        requireToManage(caller, integration);
        if (secret == null && integration.kind() == Integration.Kind.SLACK) {
            throw ProblemException.invalid("secret", "a Slack workspace's new signing secret comes from Slack: give it");
        }
        String next = secret == null ? IntegrationSecrets.newSecret() : secret;
        integrations.replaceSecret(pool, caller.tenant(), id, secrets.seal(id, "secret", next)).await().atMost(DB);
        return new Created(integration, secret == null ? next : null);
    }

    public void unlink(Caller caller, UUID id) {
        requireToManage(caller, get(caller, id));
        integrations.delete(pool, caller.tenant(), id).await().atMost(DB);
    }

    /** The integration's latest deliveries, newest first. */
    public List<Delivery> deliveries(Caller caller, UUID id, int limit) {
        get(caller, id);
        return deliveries.recent(pool, id, limit).await().atMost(DB);
    }

    private void insert(Integration integration, String secret, String token) {
        IntegrationRepository.Sealed sealed = new IntegrationRepository.Sealed(
                secrets.seal(integration.id(), "secret", secret),
                token == null ? null : secrets.seal(integration.id(), "token", token));
        try {
            integrations.insert(pool, integration, sealed).await().atMost(DB);
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw ProblemException.conflict("the tenant has a " + integration.kind().value() + " integration for "
                        + integration.target() + " already");
            }
            throw e;
        }
    }

    /** The SDK exists and one of the caller's tenant's publishers publishes it. */
    private void requireOwnSdk(String callerToken, String requestId, String sdk) {
        JsonNode found;
        JsonNode publishers;
        try {
            found = api.send(PlatformApi.Call.get("sdk-registry", "/api/v1/sdks/" + PlatformApi.segment(sdk)),
                    callerToken, requestId);
            publishers = api.send(PlatformApi.Call.get("sdk-registry", "/api/v1/publishers"), callerToken, requestId);
        } catch (PlatformApi.Refusal e) {
            if (e.status() == 404) {
                throw ProblemException.invalid("sdk", "no SDK named " + sdk);
            }
            throw new ProblemException(io.defensebuilders.platform.problem.ProblemType.UNAVAILABLE,
                    "cannot check the SDK with the registry now: " + e.getMessage());
        }
        String publisher = found.path("publisher").asText();
        for (JsonNode p : publishers.isArray() ? publishers : publishers.path("items")) {
            if (p.path("name").asText().equals(publisher)) {
                return;
            }
        }
        throw ProblemException.invalid("sdk", sdk + " is published by " + publisher
                + ", not by a publisher of your tenant");
    }

    private static void requireToManage(Caller caller, Integration integration) {
        if (integration.kind() == Integration.Kind.SLACK) {
            require(caller, Role.ADMIN, "managing a Slack integration");
        } else {
            require(caller, Role.PUBLISHER, "managing a GitHub integration");
        }
    }

    private static void require(Caller caller, Role role, String what) {
        if (!caller.has(role)) {
            throw ProblemException.forbidden(what + " needs the " + role.claimValue() + " role");
        }
    }
}
