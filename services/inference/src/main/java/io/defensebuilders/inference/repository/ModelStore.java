package io.defensebuilders.inference.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.inference.Model;
import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.inference.runtime.Datatype;
import io.defensebuilders.inference.runtime.Signature;
import io.defensebuilders.inference.runtime.TensorSpec;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The model catalog in PostgreSQL (schema {@code inference}): models and their versions. */
@ApplicationScoped
public class ModelStore {

    private static final String VERSION_COLUMNS = "id, tenant_id, name, version, blob_key, size_bytes, sha256, inputs, "
            + "outputs, max_batch_size, max_queue_delay_us, desired, created_by, created_at";

    private final Pool pool;

    public ModelStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * The model a caller of {@code tenant} means by {@code name}: their own, else the public one of that name. Another
     * tenant's private model is never found.
     */
    public Uni<Optional<Model>> visible(String tenant, String name) {
        return pool.preparedQuery("SELECT * FROM model WHERE name = $1 AND (tenant_id = $2 OR visibility = 'public') "
                + "ORDER BY (tenant_id = $2) DESC LIMIT 1").execute(Sql.tuple(name, tenant))
                .map(rows -> Sql.first(rows, ModelStore::model));
    }

    /** The models a caller of {@code tenant} sees: their own and the public ones, by name. */
    public Uni<List<Model>> visibleAll(String tenant) {
        return pool.preparedQuery("SELECT * FROM model WHERE tenant_id = $1 OR visibility = 'public' ORDER BY name, "
                + "tenant_id").execute(Sql.tuple(tenant)).map(rows -> Sql.list(rows, ModelStore::model));
    }

    public Uni<List<ModelVersion>> versions(String tenant, String name) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM model_version WHERE tenant_id = $1 AND name = $2 "
                + "ORDER BY created_at, version").execute(Sql.tuple(tenant, name))
                .map(rows -> Sql.list(rows, ModelStore::version));
    }

    public Uni<Optional<ModelVersion>> version(String tenant, String name, String version) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM model_version WHERE tenant_id = $1 AND name = $2 "
                + "AND version = $3").execute(Sql.tuple(tenant, name, version))
                .map(rows -> Sql.first(rows, ModelStore::version));
    }

    /** Every version replicas should hold in memory. */
    public Uni<List<ModelVersion>> toLoad() {
        return pool.query("SELECT " + VERSION_COLUMNS + " FROM model_version WHERE desired = 'loaded'").execute()
                .map(rows -> Sql.list(rows, ModelStore::version));
    }

    /**
     * Catalogues a new version, creating its model on the first one (which becomes the default). Fails with a unique
     * violation when the version exists.
     */
    public Uni<Void> add(Model model, ModelVersion v) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO model (tenant_id, name, description, "
                + "visibility, default_version) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, name) DO NOTHING")
                .execute(Sql.tuple(model.tenant(), model.name(), model.description(),
                        model.isPublic() ? "public" : "private", v.version()))
                .flatMap(ignored -> insertVersion(tx, v)));
    }

    private static Uni<Void> insertVersion(SqlClient tx, ModelVersion v) {
        return tx.preparedQuery("INSERT INTO model_version (id, tenant_id, name, version, blob_key, size_bytes, sha256, "
                + "inputs, outputs, max_batch_size, max_queue_delay_us, desired, created_by) VALUES ($1, $2, $3, $4, $5, "
                + "$6, $7, $8, $9, $10, $11, $12, $13)")
                .execute(Sql.tuple(v.id(), v.tenant(), v.name(), v.version(), v.blobKey(), v.sizeBytes(), v.sha256(),
                        specs(v.signature().inputs()), specs(v.signature().outputs()), v.batching().maxBatchSize(),
                        v.batching().maxQueueDelayMicros(), v.loaded() ? "loaded" : "unloaded", v.createdBy()))
                .replaceWithVoid();
    }

    /** Whether the version was found. */
    public Uni<Boolean> setLoaded(String tenant, String name, String version, boolean loaded) {
        return pool.preparedQuery("UPDATE model_version SET desired = $4 WHERE tenant_id = $1 AND name = $2 AND "
                + "version = $3").execute(Sql.tuple(tenant, name, version, loaded ? "loaded" : "unloaded"))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> setDefault(String tenant, String name, String version) {
        return pool.preparedQuery("UPDATE model SET default_version = $3 WHERE tenant_id = $1 AND name = $2")
                .execute(Sql.tuple(tenant, name, version)).replaceWithVoid();
    }

    private static Model model(Row row) {
        return new Model(row.getString("tenant_id"), row.getString("name"), row.getString("description"),
                "public".equals(row.getString("visibility")), row.getString("default_version"),
                Sql.instant(row, "created_at"));
    }

    private static ModelVersion version(Row row) {
        return new ModelVersion(row.getUUID("id"), row.getString("tenant_id"), row.getString("name"),
                row.getString("version"), row.getString("blob_key"), row.getLong("size_bytes"), row.getString("sha256"),
                new Signature(specs((JsonArray) row.getValue("inputs")), specs((JsonArray) row.getValue("outputs"))),
                new Batching(row.getInteger("max_batch_size"), row.getInteger("max_queue_delay_us")),
                "loaded".equals(row.getString("desired")), row.getString("created_by"), Sql.instant(row, "created_at"));
    }

    private static JsonArray specs(List<TensorSpec> specs) {
        JsonArray out = new JsonArray();
        for (TensorSpec t : specs) {
            out.add(new JsonObject().put("name", t.name()).put("datatype", t.datatype().name())
                    .put("shape", new JsonArray(new ArrayList<>(t.shape()))));
        }
        return out;
    }

    private static List<TensorSpec> specs(JsonArray json) {
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            JsonObject t = json.getJsonObject(i);
            List<Long> shape = new ArrayList<>();
            JsonArray dims = t.getJsonArray("shape");
            for (int d = 0; d < dims.size(); d++) {
                shape.add(dims.getLong(d));
            }
            out.add(new TensorSpec(t.getString("name"), Datatype.valueOf(t.getString("datatype")), shape));
        }
        return out;
    }
}
