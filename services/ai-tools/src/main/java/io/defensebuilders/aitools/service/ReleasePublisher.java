package io.defensebuilders.aitools.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.aitools.Delivery;
import io.defensebuilders.aitools.Integration;
import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.repository.DeliveryRepository;
import io.defensebuilders.platform.auth.GatewayTokens;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Publishes a linked repository's GitHub release as a version of its SDK, acting as the tenant (publisher): the tag
 * (a leading {@code v} dropped) is the version, the release notes its README, the release's tarball its artifact,
 * fetched from GitHub's API only (with the integration's token for a private repository). Work comes from pending
 * deliveries, claimed with a lease so that one replica does each; a failure that may pass (the registry or GitHub
 * down, no token from the gateway) is tried again later with exponential backoff and jitter, up to
 * {@code dbp.ai-tools.integrations.attempts}; a refusal (the version is not SemVer, the SDK is gone) fails at once.
 * A retry after a partial success goes on where it stopped: a version or artifact already there is not an error.
 */
@ApplicationScoped
public class ReleasePublisher {

    private static final Logger LOG = Logger.getLogger(ReleasePublisher.class);
    private static final Duration DB = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String REGISTRY = "sdk-registry";

    /** A failure worth another attempt. */
    private static final class Transient extends RuntimeException {
        Transient(String message) {
            super(message);
        }
    }

    private final Pool pool;
    private final DeliveryRepository repository;
    private final Deliveries deliveries;
    private final TenantTokens tokens;
    private final PlatformApi api;
    private final AiToolsConfig.Integrations config;
    private final HttpClient github = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Instant lastForget = Instant.EPOCH;

    public ReleasePublisher(Pool pool, DeliveryRepository repository, Deliveries deliveries, TenantTokens tokens,
            PlatformApi api, AiToolsConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.deliveries = deliveries;
        this.tokens = tokens;
        this.api = api;
        this.config = config.integrations();
    }

    /** One round: the due work, then (hourly) forgetting deliveries older than the keep time. */
    @Scheduled(every = "${dbp.ai-tools.integrations.work-every:2s}", concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        try {
            Instant now = Instant.now();
            List<DeliveryRepository.Work> due = pool.withTransaction(tx -> repository.claim(tx, 4, now, LEASE))
                    .await().atMost(DB);
            for (DeliveryRepository.Work work : due) {
                run(work);
            }
            if (Duration.between(lastForget, now).toHours() >= 1) {
                lastForget = now;
                int forgotten = repository.forget(pool, now.minus(config.keepDeliveries())).await().atMost(DB);
                if (forgotten > 0) {
                    LOG.debugf("forgot %d deliveries older than %s", forgotten, config.keepDeliveries());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("integration work round failed, trying again: %s", e.toString());
        }
    }

    private void run(DeliveryRepository.Work work) {
        Instant now = Instant.now();
        try {
            String done = publish(work.integration(), work.work());
            settle(work, Delivery.Status.DONE, done, null, now);
        } catch (Transient | GatewayTokens.UnavailableException e) {
            retryOrFail(work, e.getMessage(), now);
        } catch (PlatformApi.Refusal e) {
            if (e.transientFailure()) {
                retryOrFail(work, e.getMessage(), now);
            } else {
                settle(work, Delivery.Status.FAILED, e.getMessage(), null, now);
            }
        } catch (ProblemException e) {
            // the integration is gone (its deliveries go with it)
            LOG.debugf("delivery %s dropped: %s", work.delivery(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "delivery %s of integration %s failed", work.delivery(), work.integration());
            retryOrFail(work, "unexpected failure: " + e, now);
        }
    }

    private void retryOrFail(DeliveryRepository.Work work, String why, Instant now) {
        if (work.attempts() >= config.attempts()) {
            settle(work, Delivery.Status.FAILED, why + " (gave up after " + work.attempts() + " attempts)", null, now);
            return;
        }
        settle(work, Delivery.Status.PENDING, why + " (attempt " + work.attempts() + "; trying again)", now.plus(
                Backoff.after(work.attempts(), config.firstRetry())), now);
    }

    private void settle(DeliveryRepository.Work work, Delivery.Status status, String detail, Instant retryAt,
            Instant now) {
        repository.settle(pool, work.integration(), work.delivery(), status, detail, retryAt, now).await().atMost(DB);
    }

    /** Publishes the release; what was done, in words. */
    private String publish(java.util.UUID integrationId, JsonObject work) {
        Integration integration = deliveries.integration(integrationId, Integration.Kind.GITHUB);
        String sdk = work.getString("sdk");
        String tag = work.getString("tag");
        String version = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
        String token = tokens.tokenFor(work.getString("tenant"), "publisher");
        String versions = "/api/v1/sdks/" + PlatformApi.segment(sdk) + "/versions";
        boolean existed = false;
        try {
            api.send(PlatformApi.Call.post(REGISTRY, versions, PlatformApi.body("version", version, "readme",
                    work.getString("notes"))), token, null);
        } catch (PlatformApi.Refusal e) {
            if (e.status() != 409) {
                throw e;
            }
            existed = true; // published by an earlier attempt (or by hand): go on to the artifact
        }
        String tarball = work.getString("tarball");
        if (tarball == null || tarball.isBlank()) {
            return (existed ? "already published " : "published ") + sdk + "@" + version + " (the release has no tarball)";
        }
        Path file = download(tarball, deliveries.token(integration));
        try {
            long size = Files.size(file);
            String filename = work.getString("repository").replace('/', '-') + "-" + tag + ".tar.gz";
            try {
                api.send(PlatformApi.Call.putFile(REGISTRY, versions + "/" + PlatformApi.segment(version) + "/artifact",
                        file, "application/gzip").query("filename", filename), token, null);
            } catch (PlatformApi.Refusal e) {
                if (e.status() != 409) {
                    throw e;
                }
                return "published " + sdk + "@" + version + "; it had an artifact already";
            }
            return "published " + sdk + "@" + version + " with the release's tarball (" + size + " bytes)";
        } catch (IOException e) {
            throw new Transient("cannot read the downloaded tarball: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("cannot delete %s: %s", file, e);
            }
        }
    }

    /**
     * The tarball, from GitHub's API only, into a temporary file of at most {@code max-artifact-bytes}. GitHub
     * answers with a redirect to a short-lived download URL; the token goes to the API's host only, never along a
     * redirect.
     */
    private Path download(String tarball, Optional<String> githubToken) {
        String apiBase = config.githubApiUrl().replaceFirst("/+$", "");
        if (!tarball.startsWith(apiBase + "/")) {
            throw new PlatformApi.Refusal(422, "the release's tarball " + tarball + " is not under " + apiBase
                    + " (dbp.ai-tools.integrations.github-api-url); not fetched");
        }
        URI uri = URI.create(tarball);
        String apiHost = URI.create(apiBase).getAuthority();
        for (int hops = 0; hops < 5; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .header("Accept", "application/vnd.github+json").header("User-Agent", "defense-builders-ai-tools");
            if (githubToken.isPresent() && apiHost.equals(uri.getAuthority())) {
                request.header("Authorization", "Bearer " + githubToken.get());
            }
            HttpResponse<InputStream> response;
            try {
                response = github.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Transient("GitHub is unreachable for the tarball: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Transient("interrupted");
            }
            int status = response.statusCode();
            if (status / 100 == 3) {
                closeQuietly(response.body());
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new Transient("GitHub redirected the tarball without a Location");
                }
                uri = uri.resolve(location);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new PlatformApi.Refusal(422, "GitHub redirected the tarball to " + uri.getScheme());
                }
                continue;
            }
            if (status != 200) {
                closeQuietly(response.body());
                if (status >= 500 || status == 429) {
                    throw new Transient("GitHub answered " + status + " for the tarball");
                }
                throw new PlatformApi.Refusal(status, "GitHub answered " + status + " for the release's tarball"
                        + (status == 404 && githubToken.isEmpty() ? "; a private repository needs a token on the integration"
                                : ""));
            }
            return save(response.body());
        }
        throw new PlatformApi.Refusal(422, "GitHub redirected the tarball more than 5 times");
    }

    private Path save(InputStream body) {
        Path file = null;
        try (InputStream in = body) {
            file = Files.createTempFile("release-", ".tar.gz");
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    total += n;
                    if (total > config.maxArtifactBytes()) {
                        throw new PlatformApi.Refusal(413, "the release's tarball is larger than "
                                + config.maxArtifactBytes() + " bytes (dbp.ai-tools.integrations.max-artifact-bytes)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            return file;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new Transient("the tarball's download broke off: " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing read from it
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }
}
