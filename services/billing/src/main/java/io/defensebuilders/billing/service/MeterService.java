package io.defensebuilders.billing.service;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.ValueProperty;
import io.defensebuilders.billing.repository.MeterRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The meter catalog. A meter aggregates the events that arrive while it exists; the shape of its aggregates (event
 * meter, aggregation, value property) never changes, so stored buckets always mean what the meter says. Retiring a
 * meter stops its aggregation and frees its key; its stored aggregates stay. Each use case is one Hibernate Reactive
 * session or transaction (docs/adr/0001-data-access.md).
 */
@ApplicationScoped
public class MeterService {

    private final MeterRepository meters;

    public MeterService(MeterRepository meters) {
        this.meters = meters;
    }

    @WithSpan
    public Uni<Meter> create(MeterCommands.NewMeter m) {
        List<String> groupBy = m.groupBy() == null ? List.of() : m.groupBy();
        checkValueProperty(m.aggregation(), m.valueProperty());
        checkDistinct(groupBy);
        return Panache.withTransaction(() -> meters.insert(m.key(), m.description(), m.eventMeter(), m.aggregation(),
                m.valueProperty(), groupBy))
                .onFailure(Sql::isUniqueViolation)
                .transform(e -> ProblemException.conflict("a meter with key '" + m.key() + "' exists"));
    }

    public Uni<List<Meter>> list() {
        return Panache.withSession(() -> meters.live());
    }

    public Uni<Meter> get(String key) {
        return Panache.withSession(() -> meters.live(key)).map(m -> m.orElseThrow(() -> notFound(key)));
    }

    @WithSpan
    public Uni<Meter> update(String key, MeterCommands.MeterChanges changes) {
        if (changes.groupBy() != null) {
            checkDistinct(changes.groupBy());
        }
        return Panache.withTransaction(() -> meters.liveForUpdate(key).chain(found -> {
            Meter m = found.orElseThrow(() -> notFound(key));
            immutable("eventMeter", changes.eventMeter(), m.eventMeter());
            immutable("aggregation", changes.aggregation(), m.aggregation());
            immutable("valueProperty", changes.valueProperty(),
                    m.valueProperty() == null ? null : m.valueProperty().name());
            return meters.change(m.id(), changes.description() != null ? changes.description() : m.description(),
                    changes.groupBy() != null ? changes.groupBy() : m.groupBy());
        }));
    }

    @WithSpan
    public Uni<Void> retire(String key) {
        return Panache.withTransaction(() -> meters.retire(key)).invoke(done -> {
            if (!done) {
                throw notFound(key);
            }
        }).replaceWithVoid();
    }

    /** COUNT reads no value; every other aggregation needs a property it can read. */
    static void checkValueProperty(Aggregation aggregation, String valueProperty) {
        if (aggregation == Aggregation.COUNT) {
            if (valueProperty != null) {
                throw ProblemException.invalid("valueProperty", "COUNT counts events and takes no value property");
            }
            return;
        }
        if (valueProperty == null) {
            throw ProblemException.invalid("valueProperty", aggregation + " needs a value property");
        }
        ValueProperty parsed = ValueProperty.parse(valueProperty).orElseThrow(() -> ProblemException.invalid(
                "valueProperty", "must be 'quantity', 'subject' or 'attributes.<key>'"));
        if (parsed instanceof ValueProperty.Subject && aggregation != Aggregation.UNIQUE_COUNT) {
            throw ProblemException.invalid("valueProperty", "'subject' is not a number; only UNIQUE_COUNT can read it");
        }
    }

    private static void checkDistinct(List<String> groupBy) {
        if (new HashSet<>(groupBy).size() != groupBy.size()) {
            throw ProblemException.invalid("groupBy", "lists an attribute twice");
        }
    }

    private static void immutable(String field, Object sent, Object current) {
        if (sent != null && !Objects.equals(sent, current)) {
            throw ProblemException.conflict(field + " of a meter cannot change (its stored aggregates depend on it);"
                    + " create a new meter and retire this one");
        }
    }

    private static ProblemException notFound(String key) {
        return ProblemException.notFound("no meter with key '" + key + "'");
    }
}
