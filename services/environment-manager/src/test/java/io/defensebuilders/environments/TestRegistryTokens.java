package io.defensebuilders.environments;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.environments.grpc.RegistryTokens;
import io.defensebuilders.testing.quarkus.InternalJwtResource;

/** In tests the operator's tenant tokens come from the test JWT issuer instead of a gateway. */
@Alternative
@Priority(1)
@jakarta.inject.Singleton
public class TestRegistryTokens extends RegistryTokens {

    public TestRegistryTokens(EnvironmentsConfig config, ObjectMapper json) {
        super(config, json);
    }

    @Override
    public String tokenFor(String tenant) {
        return InternalJwtResource.issuer().token(tenant, "service:environment-manager", "viewer").sign();
    }
}
