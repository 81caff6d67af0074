package io.defensebuilders.registry.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Artifact;
import io.defensebuilders.registry.EnvironmentTemplate;
import io.defensebuilders.registry.SdkVersion;
import io.defensebuilders.registry.SemVer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Versions of an SDK. Rows are inserted once; only yank, deprecation and the one-time artifact change later. */
@ApplicationScoped
public class VersionRepository {

    private static final String COLUMNS = "id, sdk_id, version, readme, image, image_digest, environment_template,"
            + " artifact_key, artifact_size, artifact_integrity, artifact_media_type, artifact_filename,"
            + " artifact_uploaded_at, yanked, yank_reason, yanked_at, deprecation_message, deprecated_at,"
            + " published_by, published_at";
    /** Everything but the README, for lists and the resolution index. */
    private static final String SUMMARY_COLUMNS = COLUMNS.replace(" readme,", " '' AS readme,");

    private final ObjectMapper mapper;

    public VersionRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Inserts; fails with a unique violation when the version (ignoring build metadata) exists. */
    public Uni<Void> insert(SqlClient tx, SdkVersion v) {
        return tx.preparedQuery("INSERT INTO sdk_version (id, sdk_id, version, version_key, prerelease, readme, image,"
                + " image_digest, environment_template, published_by, published_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .execute(Sql.tuple(v.id(), v.sdkId(), v.version().text(), v.version().key(), v.version().prerelease(),
                        v.readme(), v.image(), v.imageDigest(), json(v.environmentTemplate()), v.publishedBy(),
                        v.publishedAt()))
                .replaceWithVoid();
    }

    /** Every version of an SDK, READMEs left out, in no particular order. */
    public Uni<List<SdkVersion>> listSummaries(SqlClient c, UUID sdkId) {
        return c.preparedQuery("SELECT " + SUMMARY_COLUMNS + " FROM sdk_version WHERE sdk_id = $1")
                .execute(Sql.tuple(sdkId))
                .map(rows -> Sql.list(rows, this::map));
    }

    /** The version with this precedence key (build metadata ignored), README included. */
    public Uni<Optional<SdkVersion>> find(SqlClient c, UUID sdkId, SemVer version) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM sdk_version WHERE sdk_id = $1 AND version_key = $2")
                .execute(Sql.tuple(sdkId, version.key()))
                .map(rows -> Sql.first(rows, this::map));
    }

    public Uni<Void> setYanked(SqlClient tx, UUID id, boolean yanked, String reason, Instant at) {
        return tx.preparedQuery("UPDATE sdk_version SET yanked = $2, yank_reason = $3, yanked_at = $4 WHERE id = $1")
                .execute(Sql.tuple(id, yanked, yanked ? reason : null, yanked ? at : null)).replaceWithVoid();
    }

    public Uni<Void> setDeprecation(SqlClient tx, UUID id, String message, Instant at) {
        return tx.preparedQuery("UPDATE sdk_version SET deprecation_message = $2, deprecated_at = $3 WHERE id = $1")
                .execute(Sql.tuple(id, message, message == null ? null : at)).replaceWithVoid();
    }

    /** Attaches the artifact unless one is attached already; true when this call attached it. */
    public Uni<Boolean> attachArtifact(SqlClient tx, UUID id, Artifact a) {
        return tx.preparedQuery("UPDATE sdk_version SET artifact_key = $2, artifact_size = $3, artifact_integrity = $4,"
                + " artifact_media_type = $5, artifact_filename = $6, artifact_uploaded_at = $7"
                + " WHERE id = $1 AND artifact_key IS NULL")
                .execute(Sql.tuple(id, a.key(), a.size(), a.integrity(), a.mediaType(), a.filename(), a.uploadedAt()))
                .map(result -> result.rowCount() == 1);
    }

    private JsonObject json(EnvironmentTemplate template) {
        if (template == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(template, Map.class);
        return new JsonObject(map);
    }

    private SdkVersion map(Row r) {
        Object template = r.getValue("environment_template");
        Artifact artifact = r.getString("artifact_key") == null ? null
                : new Artifact(r.getString("artifact_key"), r.getLong("artifact_size"), r.getString("artifact_integrity"),
                        r.getString("artifact_media_type"), r.getString("artifact_filename"),
                        Sql.instant(r, "artifact_uploaded_at"));
        return new SdkVersion(r.getUUID("id"), r.getUUID("sdk_id"), SemVer.parse(r.getString("version")).orElseThrow(),
                r.getString("readme"), r.getString("image"), r.getString("image_digest"),
                template == null ? null
                        : mapper.convertValue(template instanceof JsonObject o ? o.getMap() : template,
                                EnvironmentTemplate.class),
                artifact,
                r.getBoolean("yanked"), r.getString("yank_reason"), Sql.instant(r, "yanked_at"),
                r.getString("deprecation_message"), Sql.instant(r, "deprecated_at"), r.getString("published_by"),
                Sql.instant(r, "published_at"));
    }
}
