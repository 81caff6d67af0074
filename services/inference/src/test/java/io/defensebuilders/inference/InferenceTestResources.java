package io.defensebuilders.inference;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every test of this module runs against a real PostgreSQL and Kafka, a real JWKS endpoint, and
 * billing's entitlements on a gRPC server of their own ({@link FakeBilling}).
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = InternalJwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeBilling.class, restrictToAnnotatedClass = false)
public class InferenceTestResources {
}
