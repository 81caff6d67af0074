package io.defensebuilders.environments.messaging;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.environments.operator.OperatorLifecycle;
import io.quarkus.scheduler.Scheduled;

/** Counts the whole Ready minutes of every Ready environment into usage.v1 ({@code environment.minutes}). */
@ApplicationScoped
public class UsageTicker {

    private static final Logger LOG = Logger.getLogger(UsageTicker.class);

    private final OperatorLifecycle operator;
    private final EnvironmentEvents events;
    private final Clock clock;

    public UsageTicker(OperatorLifecycle operator, EnvironmentEvents events, Clock clock) {
        this.operator = operator;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(every = "${dbp.environments.usage.every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        tick();
    }

    /** One pass; the number of minutes emitted. */
    public long tick() {
        if (!operator.leading()) {
            return 0; // the leader counts; counting again elsewhere would find nothing new anyway
        }
        Instant now = clock.instant();
        long total = 0;
        for (Environment env : operator.environments()) {
            if (env.getStatus() == null || env.getStatus().readySince == null
                    || !env.getStatus().is(Phase.Ready) || env.getSpec() == null) {
                continue;
            }
            try {
                total += events.countMinutes(env, Instant.parse(env.getStatus().readySince), now);
            } catch (RuntimeException e) {
                LOG.warnf("counting minutes of %s failed, next tick retries: %s", env.getMetadata().getName(),
                        e.toString());
            }
        }
        return total;
    }
}
