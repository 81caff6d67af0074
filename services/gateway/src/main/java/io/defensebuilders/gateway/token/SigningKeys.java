package io.defensebuilders.gateway.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.crypto.SecretBox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The keys that sign internal JWTs, kept in PostgreSQL (private halves encrypted) so every replica signs with the
 * same set. Rotation publishes a new key in the JWKS {@code publish-ahead} before it starts signing and keeps the
 * old one published until every token it signed has expired: no call in flight fails because of a rotation.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    // any constant: serialises key creation and rotation across replicas
    private static final long LOCK = 0x6462705f6b657973L;
    private static final String DEV_KEY_ENCRYPTION_KEY = "ZGJwLWRldmVsb3BtZW50LW9ubHkta2V5LTMyYnl0ZXM=";

    /** One key: its public JWK (with the private key loaded) and its life. */
    public record Key(String kid, PublicJsonWebKey jwk, Instant activatesAt, Instant retiresAt, Instant createdAt) {
        boolean published(Instant now) {
            return retiresAt == null || retiresAt.isAfter(now);
        }
    }

    private final Pool pool;
    private final GatewayConfig config;
    private final SecretBox crypto;
    private volatile List<Key> keys = List.of();
    private volatile String jwks = "{\"keys\":[]}";

    public SigningKeys(Pool pool, GatewayConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.config = config;
        // DbpSigningKeyNotRotated compares the two: the newest key older than its period means rotation has stopped
        Gauge.builder("dbp.gateway.signing.key.age.seconds", this, SigningKeys::newestAgeSeconds)
                .description("age of the newest internal-token signing key, seconds").register(meters);
        Gauge.builder("dbp.gateway.signing.key.rotation.period.seconds", config,
                c -> c.signing().rotationPeriod().toSeconds())
                .description("how often a new signing key is made (dbp.gateway.signing.rotation-period)").register(meters);
        String kek = config.signing().keyEncryptionKey().orElse(null);
        if (kek == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException(
                        "set dbp.gateway.signing.key-encryption-key (DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY):"
                                + " a base64 AES-256 key that encrypts the gateway's signing keys at rest");
            }
            kek = DEV_KEY_ENCRYPTION_KEY;
        }
        this.crypto = new SecretBox(kek, "dbp.gateway.signing.key-encryption-key");
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        ensureKey().chain(this::reload).await().atMost(Duration.ofSeconds(30));
        vertx.setPeriodic(config.signing().reloadInterval().toMillis(), id -> rotateIfDue().chain(this::reload)
                .subscribe().with(ignored -> {
                }, e -> LOG.warnf("signing key reload failed, keeping the current set: %s", e.toString())));
    }

    /** The key to sign with now: the newest one whose time has come. Called on every proxied call. */
    public Key current() {
        Key chosen = null;
        Instant now = Instant.now();
        for (Key k : keys) {
            if (!k.activatesAt().isAfter(now) && k.published(now)
                    && (chosen == null || k.activatesAt().isAfter(chosen.activatesAt()))) {
                chosen = k;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no active signing key");
        }
        return chosen;
    }

    /** Seconds since the newest key was made; NaN before the keys are loaded. */
    private double newestAgeSeconds() {
        Instant newest = null;
        for (Key k : keys) {
            newest = newest == null || k.createdAt().isAfter(newest) ? k.createdAt() : newest;
        }
        return newest == null ? Double.NaN : Duration.between(newest, Instant.now()).toMillis() / 1000.0;
    }

    /** The JWKS document: every published public key. */
    public String jwks() {
        return jwks;
    }

    public List<Key> all() {
        return keys;
    }

    /** Makes a new key now (it signs after publish-ahead) and schedules the retirement of the others. */
    public Uni<Key> rotate() {
        return pool.withTransaction(tx -> lock(tx).chain(() -> insertNew(tx, config.signing().publishAhead())))
                .call(this::reload);
    }

    private Uni<Void> rotateIfDue() {
        return pool.withTransaction(tx -> lock(tx).chain(() -> tx
                .preparedQuery("SELECT max(created_at) AS newest FROM signing_key").execute()
                .chain(rows -> {
                    var newest = rows.iterator().next().getOffsetDateTime("newest");
                    boolean due = newest == null
                            || newest.toInstant().plus(config.signing().rotationPeriod()).isBefore(Instant.now());
                    return due ? insertNew(tx, config.signing().publishAhead()).replaceWithVoid() : Uni.createFrom().voidItem();
                })));
    }

    private Uni<Void> ensureKey() {
        return pool.withTransaction(tx -> lock(tx).chain(() -> tx.preparedQuery("SELECT count(*) FROM signing_key")
                .execute().chain(rows -> rows.iterator().next().getLong(0) == 0
                        ? insertNew(tx, Duration.ZERO).replaceWithVoid()
                        : Uni.createFrom().voidItem())));
    }

    private Uni<Key> insertNew(SqlConnection tx, Duration ahead) {
        Instant now = Instant.now();
        Instant activates = now.plus(ahead);
        Key key = generate(now, activates);
        // the others keep verifying until every token they signed before the switch has expired
        Instant retire = activates.plus(config.token().ttl()).plus(Duration.ofMinutes(1));
        return tx.preparedQuery("UPDATE signing_key SET retires_at = $1 WHERE retires_at IS NULL OR retires_at > $1")
                .execute(Tuple.of(retire.atOffset(java.time.ZoneOffset.UTC)))
                .chain(() -> tx.preparedQuery("INSERT INTO signing_key (kid, algorithm, public_jwk, private_key,"
                        + " created_at, activates_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .execute(Tuple.tuple(List.of(key.kid(), key.jwk().getAlgorithm(),
                                key.jwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                                io.vertx.core.buffer.Buffer.buffer(crypto.seal(privateJson(key.jwk()).getBytes(
                                        java.nio.charset.StandardCharsets.UTF_8), key.kid())),
                                now.atOffset(java.time.ZoneOffset.UTC), activates.atOffset(java.time.ZoneOffset.UTC)))))
                .invoke(() -> LOG.infof("new signing key %s (%s), signs from %s", key.kid(), key.jwk().getAlgorithm(),
                        activates))
                .replaceWith(key);
    }

    private Uni<Void> reload() {
        return pool.preparedQuery("SELECT kid, private_key, activates_at, retires_at, created_at FROM signing_key"
                + " WHERE retires_at IS NULL OR retires_at > now() - interval '1 day' ORDER BY activates_at")
                .execute().invoke(rows -> {
                    List<Key> loaded = new ArrayList<>();
                    for (Row r : rows) {
                        String kid = r.getString("kid");
                        String json = new String(crypto.open(r.getBuffer("private_key").getBytes(), kid),
                                java.nio.charset.StandardCharsets.UTF_8);
                        try {
                            loaded.add(new Key(kid, PublicJsonWebKey.Factory.newPublicJwk(json),
                                    r.getOffsetDateTime("activates_at").toInstant(),
                                    r.getOffsetDateTime("retires_at") == null ? null
                                            : r.getOffsetDateTime("retires_at").toInstant(),
                                    r.getOffsetDateTime("created_at").toInstant()));
                        } catch (JoseException e) {
                            throw new IllegalStateException("unreadable signing key " + kid, e);
                        }
                    }
                    keys = List.copyOf(loaded);
                    jwks = publicJwks(loaded);
                }).replaceWithVoid();
    }

    private static String publicJwks(List<Key> loaded) {
        Instant now = Instant.now();
        List<JsonWebKey> published = new ArrayList<>();
        for (Key k : loaded) {
            if (k.published(now)) {
                try {
                    JsonWebKey pub = JsonWebKey.Factory.newJwk(k.jwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                    published.add(pub);
                } catch (JoseException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private Key generate(Instant now, Instant activates) {
        try {
            PublicJsonWebKey jwk;
            if ("RS256".equals(config.signing().algorithm())) {
                jwk = RsaJwkGenerator.generateJwk(2048);
                jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            } else if ("ES256".equals(config.signing().algorithm())) {
                jwk = EcJwkGenerator.generateJwk(EllipticCurves.P256);
                jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            } else {
                throw new IllegalStateException("dbp.gateway.signing.algorithm must be ES256 or RS256");
            }
            jwk.setKeyId(UUID.randomUUID().toString());
            jwk.setUse("sig");
            return new Key(jwk.getKeyId(), jwk, activates, null, now);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String privateJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    private static Uni<Void> lock(SqlConnection tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK)).replaceWithVoid();
    }
}
