package io.defensebuilders.orbital.propagation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.hipparchus.util.FastMath;
import org.orekit.bodies.GeodeticPoint;
import org.orekit.errors.OrekitException;
import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.DateTimeComponents;
import org.orekit.utils.PVCoordinates;

import io.defensebuilders.orbital.ElementSet;

/**
 * SGP4/SDP4 through Orekit's {@link TLEPropagator} (which picks SDP4 for periods of 225 minutes or more): states of
 * one element set at many times, in km and km/s, in TEME or rotated into GCRF or ITRF, with WGS-84 geodetic
 * coordinates on request. A state inside the Earth or with no finite value is refused, as the reference
 * implementation refuses it, instead of being returned as numbers.
 */
@ApplicationScoped
public class Sgp4 {

    /** SGP4's Earth radius (WGS-72), km: a state nearer the centre has decayed. */
    public static final double EARTH_RADIUS_KM = 6378.135;

    /** One state: position in km, velocity in km/s. */
    public record State(Instant time, double minutesSinceEpoch, double[] position, double[] velocity, Geodetic geodetic) {
    }

    /** Geodetic coordinates on the WGS-84 ellipsoid: degrees, degrees, km. */
    public record Geodetic(double latitude, double longitude, double altitude) {
    }

    private final OrekitData orekit;

    public Sgp4(OrekitData orekit) {
        this.orekit = orekit;
    }

    /** The element set's epoch as Orekit reads it from the TLE lines. */
    public AbsoluteDate epoch(ElementSet set) {
        return tle(set).getDate();
    }

    /**
     * States at {@code minutesSinceEpoch} (when {@code times} is null) or at {@code times}. Throws the 422
     * {@link OrbitProblems} for the first time SGP4 cannot answer.
     */
    public List<State> propagate(ElementSet set, List<Double> minutesSinceEpoch, List<Instant> times, OutputFrame frame,
            boolean geodetic) {
        TLE tle = tle(set);
        TLEPropagator sgp4;
        try {
            sgp4 = TLEPropagator.selectExtrapolator(tle, orekit.teme());
        } catch (OrekitException e) {
            throw OrbitProblems.invalid(0, e.getMessage());
        }
        AbsoluteDate epoch = tle.getDate();
        Frame target = switch (frame) {
            case TEME -> null;
            case GCRF -> orekit.gcrf();
            case ITRF -> orekit.itrf();
        };
        int n = times == null ? minutesSinceEpoch.size() : times.size();
        List<State> states = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AbsoluteDate date;
            Instant time;
            double minutes;
            if (times == null) {
                minutes = minutesSinceEpoch.get(i);
                date = epoch.shiftedBy(minutes * 60.0);
                time = instant(date);
            } else {
                time = times.get(i);
                date = new AbsoluteDate(time, orekit.utc());
                minutes = date.durationFrom(epoch) / 60.0;
            }
            states.add(state(sgp4, date, time, minutes, target, geodetic));
        }
        return states;
    }

    private State state(TLEPropagator sgp4, AbsoluteDate date, Instant time, double minutes, Frame target,
            boolean geodetic) {
        PVCoordinates teme;
        try {
            teme = sgp4.getPVCoordinates(date);
        } catch (OrekitException e) {
            throw OrbitProblems.invalid(minutes, e.getMessage());
        }
        Vector3D p = teme.getPosition();
        Vector3D v = teme.getVelocity();
        if (!Double.isFinite(p.getNorm()) || !Double.isFinite(v.getNorm())) {
            throw OrbitProblems.invalid(minutes, "the elements have no solution there (SGP4 returns no finite state; "
                    + "eccentricity or semi-latus rectum out of range)");
        }
        if (p.getNorm() / 1000.0 < EARTH_RADIUS_KM) {
            throw OrbitProblems.decayed(minutes);
        }
        PVCoordinates out = target == null ? teme
                : orekit.teme().getTransformTo(target, date).transformPVCoordinates(teme);
        Geodetic where = null;
        if (geodetic) {
            Vector3D fixed = orekit.teme().getTransformTo(orekit.itrf(), date).transformPosition(p);
            GeodeticPoint g = orekit.wgs84().transform(fixed, orekit.itrf(), date);
            where = new Geodetic(FastMath.toDegrees(g.getLatitude()), FastMath.toDegrees(g.getLongitude()),
                    g.getAltitude() / 1000.0);
        }
        return new State(time, minutes, km(out.getPosition()), km(out.getVelocity()), where);
    }

    private TLE tle(ElementSet set) {
        try {
            return new TLE(set.line1(), set.line2(), orekit.utc());
        } catch (OrekitException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw OrbitProblems.invalid(0, "the TLE cannot be read: " + e.getMessage());
        }
    }

    private static double[] km(Vector3D v) {
        return new double[] { v.getX() / 1000.0, v.getY() / 1000.0, v.getZ() / 1000.0 };
    }

    /**
     * The UTC instant of a date, to the microsecond; a time inside a leap second (23:59:60) is shown as the last
     * microsecond of the minute, since {@link Instant} has no leap seconds.
     */
    public Instant instant(AbsoluteDate date) {
        DateTimeComponents c = date.getComponents(orekit.utc());
        double seconds = c.getTime().getHour() * 3600.0 + c.getTime().getMinute() * 60.0
                + Math.min(c.getTime().getSecond(), 59.999999);
        long micros = Math.round(seconds * 1e6);
        return LocalDate.of(c.getDate().getYear(), c.getDate().getMonth(), c.getDate().getDay())
                .atStartOfDay(ZoneOffset.UTC).toInstant().plusNanos(micros * 1000L);
    }
}
