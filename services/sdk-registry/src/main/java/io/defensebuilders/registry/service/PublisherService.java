package io.defensebuilders.registry.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.Names;
import io.defensebuilders.registry.Publisher;
import io.defensebuilders.registry.repository.PublisherRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creating and finding publishers. A publisher's name is unique across the platform, like an SDK's. */
@ApplicationScoped
public class PublisherService {

    private final PublisherRepository publishers;

    public PublisherService(PublisherRepository publishers) {
        this.publishers = publishers;
    }

    @WithSpan
    @WithTransaction
    public Uni<Publisher> create(Caller caller, String name, String displayName, String url) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("creating a publisher needs the publisher role"));
        }
        if (!Names.validName(name)) {
            return Uni.createFrom().failure(ProblemException.invalid("name", Names.NAME_RULE));
        }
        Publisher p = new Publisher(UUID.randomUUID(), caller.tenant(), name, displayName, url, caller.subject(),
                Instant.now());
        return publishers.insert(p)
                .onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("the publisher name '" + name + "' is taken"))
                .replaceWith(p);
    }

    @WithSession
    public Uni<Publisher> get(String name) {
        return publishers.findByName(name)
                .map(p -> p.orElseThrow(() -> ProblemException.notFound("no publisher named '" + name + "'")));
    }

    @WithSession
    public Uni<List<Publisher>> ofTenant(Caller caller) {
        return publishers.listByTenant(caller.tenant());
    }
}
