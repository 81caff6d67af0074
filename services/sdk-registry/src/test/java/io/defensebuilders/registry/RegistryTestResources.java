package io.defensebuilders.registry;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.defensebuilders.testing.quarkus.RedisResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every test of this module runs against a real PostgreSQL, Kafka and Redis, a real JWKS endpoint, and
 * the inference service's embedding model on a real gRPC server (FakeInference).
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = InternalJwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeInference.class, restrictToAnnotatedClass = false)
public class RegistryTestResources {
}
