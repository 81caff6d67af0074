package io.defensebuilders.registry.repository;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Download counts per version and UTC day, and the SDK's running total. */
@ApplicationScoped
public class DownloadRepository {

    /** One day's count of one version. */
    public record DailyCount(LocalDate day, String version, long downloads) {
    }

    public Uni<Void> record(SqlClient tx, UUID sdkId, UUID versionId, LocalDate day) {
        return tx.preparedQuery("INSERT INTO download_daily (version_id, day, downloads) VALUES ($1, $2, 1)"
                + " ON CONFLICT (version_id, day) DO UPDATE SET downloads = download_daily.downloads + 1")
                .execute(Sql.tuple(versionId, day))
                .chain(() -> tx.preparedQuery("UPDATE sdk SET downloads = downloads + 1 WHERE id = $1")
                        .execute(Sql.tuple(sdkId)))
                .replaceWithVoid();
    }

    public Uni<List<DailyCount>> daily(SqlClient c, UUID sdkId, LocalDate from, LocalDate to) {
        return c.preparedQuery("SELECT d.day, v.version, d.downloads FROM download_daily d"
                + " JOIN sdk_version v ON v.id = d.version_id WHERE v.sdk_id = $1 AND d.day BETWEEN $2 AND $3"
                + " ORDER BY d.day, v.version").execute(Sql.tuple(sdkId, from, to))
                .map(rows -> Sql.list(rows, r -> new DailyCount(r.getLocalDate("day"), r.getString("version"),
                        r.getLong("downloads"))));
    }
}
