package io.defensebuilders.orbital.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.elements.ElementSetReader;
import io.defensebuilders.orbital.propagation.OutputFrame;
import io.defensebuilders.orbital.propagation.Sgp4;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.Params;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Propagation requests: which element set (a TLE in the request, an object's current element set, or one from the
 * history), at which times (minutes since epoch or UTC instants, within a window around the epoch), in which
 * frame. Validates everything first (400), then runs SGP4 on a worker thread.
 */
@ApplicationScoped
public class PropagationService {

    /** Where the element set comes from: exactly one of the three. */
    public record Source(String tle1, String tle2, boolean hasTle, Integer noradId, UUID elementSetId) {
        int count() {
            return (hasTle ? 1 : 0) + (noradId != null ? 1 : 0) + (elementSetId != null ? 1 : 0);
        }
    }

    /** When and how: minutes since epoch xor times, the frame, whether to add geodetic coordinates. */
    public record Request(List<Double> minutesSinceEpoch, List<String> times, String frame, Boolean geodetic) {
    }

    /** States of one element set. */
    public record Result(ElementSetRecord elementSet, ElementSet elements, OutputFrame frame, List<Sgp4.State> states) {
    }

    /** One object of a batch: its states, or the problem that kept it from having them. */
    public record BatchItem(String id, Result result, Integer noradId, Problem problem) {
    }

    private record When(List<Double> minutes, List<Instant> times, OutputFrame frame, boolean geodetic) {
        int count() {
            return minutes != null ? minutes.size() : times.size();
        }
    }

    private final Sgp4 sgp4;
    private final CatalogService catalog;
    private final ElementSetReader reader;
    private final OrbitalConfig config;

    public PropagationService(Sgp4 sgp4, CatalogService catalog, ElementSetReader reader, OrbitalConfig config) {
        this.sgp4 = sgp4;
        this.catalog = catalog;
        this.reader = reader;
        this.config = config;
    }

    /** Propagates one element set; catalog element sets are looked up in the caller's view (404 outside it). */
    @WithSpan
    public Uni<Result> propagate(Caller caller, Source source, Request request) {
        When when = when(request, 1);
        if (source.count() != 1) {
            throw ProblemException.invalid("tle", "give exactly one of tle, noradId and elementSetId");
        }
        ElementSet given = source.hasTle() ? reader.tle(source.tle1(), source.tle2(), "tle") : null;
        Uni<ElementSetRecord> stored;
        if (given != null) {
            stored = Uni.createFrom().nullItem();
        } else if (source.elementSetId() != null) {
            stored = catalog.elementSet(caller, source.elementSetId());
        } else {
            stored = catalog.current(caller.tenant(), List.of(source.noradId())).map(current -> {
                ElementSetRecord r = current.get(source.noradId());
                if (r == null) {
                    throw ProblemException.notFound("NORAD id " + source.noradId() + " has no element set in the catalog");
                }
                return r;
            });
        }
        return stored.emitOn(Infrastructure.getDefaultWorkerPool())
                .map(r -> compute(r, r == null ? given : r.elements(), when));
    }

    /** Propagates many objects at the same times; an object SGP4 cannot answer for gets a problem, not the batch. */
    @WithSpan
    public Uni<List<BatchItem>> batch(Caller caller, List<String> ids, List<Source> sources, Request request) {
        int maxObjects = config.propagation().maxBatchObjects();
        if (sources == null || sources.isEmpty()) {
            throw ProblemException.invalid("objects", "must hold at least one object");
        }
        if (sources.size() > maxObjects) {
            throw ProblemException.invalid("objects", "at most " + maxObjects + " objects per batch");
        }
        When when = when(request, sources.size());
        List<ElementSet> given = new ArrayList<>();
        List<Integer> norads = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if (s == null || s.count() != 1) {
                throw ProblemException.invalid("objects[" + i + "]", "give exactly one of tle, noradId and elementSetId");
            }
            given.add(s.hasTle() ? reader.tle(s.tle1(), s.tle2(), "objects[" + i + "].tle") : null);
            if (s.noradId() != null) {
                norads.add(s.noradId());
            }
        }
        Uni<Map<Integer, ElementSetRecord>> current = norads.isEmpty() ? Uni.createFrom().item(Map.of())
                : catalog.current(caller.tenant(), norads);
        return current.chain(byNorad -> {
            List<Uni<BatchItem>> items = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                items.add(item(caller, ids.get(i), sources.get(i), given.get(i), byNorad, when));
            }
            return Uni.join().all(items).andFailFast();
        });
    }

    private Uni<BatchItem> item(Caller caller, String id, Source s, ElementSet given, Map<Integer, ElementSetRecord> byNorad,
            When when) {
        Uni<ElementSetRecord> stored;
        if (given != null) {
            stored = Uni.createFrom().nullItem();
        } else if (s.elementSetId() != null) {
            stored = catalog.elementSet(caller, s.elementSetId());
        } else {
            ElementSetRecord r = byNorad.get(s.noradId());
            stored = r != null ? Uni.createFrom().item(r)
                    : Uni.createFrom().failure(ProblemException.notFound(
                            "NORAD id " + s.noradId() + " has no element set in the catalog"));
        }
        Integer norad = given != null ? Integer.valueOf(given.noradId()) : s.noradId();
        return stored.emitOn(Infrastructure.getDefaultWorkerPool())
                .map(r -> new BatchItem(id, compute(r, r == null ? given : r.elements(), when), null, null))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> new BatchItem(id, null, norad, ((ProblemException) e).toProblem()));
    }

    private Result compute(ElementSetRecord record, ElementSet set, When when) {
        checkWindow(set, when);
        return new Result(record, set, when.frame(),
                sgp4.propagate(set, when.minutes(), when.times(), when.frame(), when.geodetic()));
    }

    /** Times farther than the configured span from the epoch are refused: SGP4 there is meaningless. */
    private void checkWindow(ElementSet set, When when) {
        int days = config.propagation().maxSpanDays();
        double maxMinutes = days * 1440.0;
        if (when.minutes() != null) {
            for (int i = 0; i < when.minutes().size(); i++) {
                if (Math.abs(when.minutes().get(i)) > maxMinutes) {
                    throw ProblemException.invalid("minutesSinceEpoch[" + i + "]",
                            "must be within " + days + " days (" + (long) maxMinutes + " minutes) of the epoch");
                }
            }
        } else {
            Duration span = Duration.ofDays(days);
            for (int i = 0; i < when.times().size(); i++) {
                if (Duration.between(set.epoch(), when.times().get(i)).abs().compareTo(span) > 0) {
                    throw ProblemException.invalid("times[" + i + "]", "must be within " + days
                            + " days of the element set's epoch " + set.epoch());
                }
            }
        }
    }

    private When when(Request request, int objects) {
        if (request == null) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        OutputFrame frame = OutputFrame.parse(request.frame()).orElseThrow(
                () -> ProblemException.invalid("frame", "must be one of TEME (the default), GCRF, ITRF"));
        boolean hasMinutes = request.minutesSinceEpoch() != null;
        boolean hasTimes = request.times() != null;
        if (hasMinutes == hasTimes) {
            throw ProblemException.invalid("minutesSinceEpoch", "give exactly one of minutesSinceEpoch and times");
        }
        String field = hasMinutes ? "minutesSinceEpoch" : "times";
        int count = hasMinutes ? request.minutesSinceEpoch().size() : request.times().size();
        int max = config.propagation().maxStates();
        if (count == 0) {
            throw ProblemException.invalid(field, "must hold at least one time");
        }
        if ((long) count * objects > max) {
            throw new ProblemException(400, "too-many-states", "Too many states requested",
                    count * (long) objects + " states requested (" + count + " times × " + objects
                            + " objects); at most " + max + " per request",
                    null).with("limit", max);
        }
        List<Instant> times = null;
        if (hasTimes) {
            times = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String text = request.times().get(i);
                try {
                    times.add(Params.inRange("times[" + i + "]",
                            OffsetDateTime.parse(text == null ? "" : text.trim()).toInstant()));
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw ProblemException.invalid("times[" + i + "]",
                            "must be an ISO-8601 UTC date-time with Z or an offset, e.g. 2024-06-01T12:00:00Z");
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                Double m = request.minutesSinceEpoch().get(i);
                if (m == null || !Double.isFinite(m)) {
                    throw ProblemException.invalid("minutesSinceEpoch[" + i + "]", "must be a number");
                }
            }
        }
        return new When(hasMinutes ? request.minutesSinceEpoch() : null, times, frame,
                Boolean.TRUE.equals(request.geodetic()));
    }
}
