package io.defensebuilders.gateway.support;

import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.defensebuilders.testing.quarkus.RedisResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every gateway test runs against real PostgreSQL, Kafka and Redis, a real identity provider JWKS and a real Keycloak, a stub
 * upstream,
 * and the real sdk-registry and billing as separate processes.
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RateLimitRedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = IdpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = StubUpstreamResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ServiceProcessesResource.class, restrictToAnnotatedClass = false)
public class GatewayTestResources {
}
