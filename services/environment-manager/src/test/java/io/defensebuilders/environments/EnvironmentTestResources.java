package io.defensebuilders.environments;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every Quarkus test of this module runs against a real PostgreSQL and Kafka, a real JWKS endpoint, a real gRPC
 * registry server with fixed data, and fabric8's Kubernetes mock API server in CRUD mode (per test class, through
 * {@code @WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)}).
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = InternalJwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRegistry.class, restrictToAnnotatedClass = false)
public class EnvironmentTestResources {
}
