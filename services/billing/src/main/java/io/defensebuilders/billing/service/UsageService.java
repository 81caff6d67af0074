package io.defensebuilders.billing.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.WindowSize;
import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.repository.MeterReads;
import io.defensebuilders.billing.repository.UsageRepository;
import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Answers usage queries: one meter, one tenant, a range of whole UTC minutes, optionally per window and group.
 * Tenants see their own usage only; platform admins may name any tenant.
 */
@ApplicationScoped
public class UsageService {

    /** Queries stay inside the years PostgreSQL and the aggregates can mean anything for. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private final Pool pool;
    private final MeterReads meters;
    private final UsageRepository usage;
    private final int maxWindows;

    public UsageService(Pool pool, MeterReads meters, UsageRepository usage, BillingConfig config) {
        this.pool = pool;
        this.meters = meters;
        this.usage = usage;
        this.maxWindows = config.usage().maxWindows();
    }

    /** A usage query as it arrives, every parameter still text. */
    public record Query(String meter, String from, String to, List<String> groupBy, String windowSize, String tenant) {
    }

    @WithSpan
    public Uni<UsageReports.UsageReport> query(Caller caller, Query q) {
        if (q.meter() == null || q.meter().isBlank()) {
            throw ProblemException.invalid("meter", "is required");
        }
        Instant from = instant("from", q.from());
        Instant to = instant("to", q.to());
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        WindowSize window = windowSize(q.windowSize());
        if (window != null) {
            long windows = Duration.between(from, to).toMinutes() / window.length().toMinutes() + 1;
            if (windows > maxWindows) {
                throw ProblemException.invalid("windowSize", "the range spans about " + windows + " " + window
                        + " windows, more than the " + maxWindows + " allowed; narrow the range or use a larger window");
            }
        }
        List<String> groupBy = groupBy(q.groupBy());
        String tenant = tenant(caller, q.tenant());
        return meters.live(pool, q.meter()).chain(found -> {
            Meter meter = found.orElseThrow(() -> ProblemException.notFound("no meter with key '" + q.meter() + "'"));
            for (String key : groupBy) {
                if (!meter.groupBy().contains(key)) {
                    throw ProblemException.invalid("groupBy", "meter '" + meter.key() + "' groups by " + meter.groupBy()
                            + ", not by '" + key + "'");
                }
            }
            return usage.aggregate(pool, meter, tenant, from, to, window, groupBy).map(rows -> {
                List<UsageReports.UsageRow> data = new ArrayList<>(rows.size());
                for (UsageRepository.Aggregate row : rows) {
                    Instant start = window == null ? from : max(row.windowStart(), from);
                    Instant end = window == null ? to : min(row.windowStart().plus(window.length()), to);
                    data.add(new UsageReports.UsageRow(start, end, row.groupValues(), row.value()));
                }
                return new UsageReports.UsageReport(meter.key(), meter.aggregation(), tenant, from, to, window, groupBy, data);
            });
        });
    }

    /** The caller's own tenant, or for platform admins the one they name. */
    static String tenant(Caller caller, String requested) {
        if (requested == null || requested.isBlank() || requested.equals(caller.tenant())) {
            return caller.tenant();
        }
        if (!caller.has(Role.PLATFORM_ADMIN)) {
            throw ProblemException.forbidden("only platform admins may query another tenant's usage");
        }
        return requested;
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid(field, "is required (RFC 3339, e.g. 2026-01-01T00:00:00Z)");
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "is not an RFC 3339 date-time with offset (e.g. 2026-01-01T00:00:00Z)");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw ProblemException.invalid(field, "must lie between " + EARLIEST + " and " + LATEST);
        }
        if (t.getEpochSecond() % 60 != 0 || t.getNano() != 0) {
            throw ProblemException.invalid(field, "must be a whole minute: usage is kept per minute");
        }
        return t;
    }

    private static WindowSize windowSize(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return WindowSize.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("windowSize", "must be MINUTE, HOUR or DAY");
        }
    }

    /** Repeated and comma-separated values both work: groupBy=a&groupBy=b or groupBy=a,b. */
    private static List<String> groupBy(List<String> params) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        if (params != null) {
            for (String p : params) {
                for (String key : p.split(",")) {
                    if (!key.isBlank()) {
                        keys.add(key.strip());
                    }
                }
            }
        }
        return List.copyOf(keys);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
