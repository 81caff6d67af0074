package io.defensebuilders.aitools;

import io.defensebuilders.testing.quarkus.InternalJwtResource;
import io.defensebuilders.testing.quarkus.KafkaResource;
import io.defensebuilders.testing.quarkus.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every test of this module runs against a real PostgreSQL and Kafka, a real JWKS endpoint, and the real services the
 * tools call ({@link PlatformServicesResource}).
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = InternalJwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PlatformServicesResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = IntegrationsTestResource.class, restrictToAnnotatedClass = false)
public class AiToolsTestResources {
}
