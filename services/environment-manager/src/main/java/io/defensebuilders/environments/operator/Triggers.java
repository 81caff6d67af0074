package io.defensebuilders.environments.operator;

import java.util.Set;

import jakarta.inject.Singleton;

import io.defensebuilders.environments.Environment;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * Events from outside the cluster: "reconcile this environment now" (a test that moved the clock; an operator's
 * command). One event source among the informers of {@link EnvironmentOperator}; until the operator runs they are
 * dropped.
 */
@Singleton
public class Triggers extends AbstractEventSource<Void, Environment> {

    public Triggers() {
        super(Void.class, "triggers");
    }

    /** It stands for no resource. */
    @Override
    public Set<Void> getSecondaryResources(Environment primary) {
        return Set.of();
    }

    /** Queues a reconcile of the (cluster-scoped) environment {@code name}. */
    public void reconcile(String name) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(new ResourceID(name)));
        }
    }
}
