package io.defensebuilders.orbital.screening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.files.ccsds.definitions.FrameFacade;
import org.orekit.files.ccsds.definitions.PocMethodFacade;
import org.orekit.files.ccsds.definitions.PocMethodType;
import org.orekit.files.ccsds.definitions.TimeSystem;
import org.orekit.files.ccsds.ndm.WriterBuilder;
import org.orekit.files.ccsds.ndm.cdm.Cdm;
import org.orekit.files.ccsds.ndm.cdm.CdmData;
import org.orekit.files.ccsds.ndm.cdm.CdmHeader;
import org.orekit.files.ccsds.ndm.cdm.CdmMetadata;
import org.orekit.files.ccsds.ndm.cdm.CdmRelativeMetadata;
import org.orekit.files.ccsds.ndm.cdm.CdmSegment;
import org.orekit.files.ccsds.ndm.cdm.CovarianceMethod;
import org.orekit.files.ccsds.ndm.cdm.Maneuvrable;
import org.orekit.files.ccsds.ndm.cdm.RTNCovariance;
import org.orekit.files.ccsds.ndm.cdm.StateVector;
import org.orekit.files.ccsds.section.CommentsContainer;
import org.orekit.files.ccsds.utils.generation.KvnGenerator;
import org.orekit.frames.Frame;
import org.orekit.frames.Transform;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.IERSConventions;
import org.orekit.utils.PVCoordinates;

import io.defensebuilders.orbital.propagation.OrekitData;

/**
 * CCSDS Conjunction Data Messages (CDM 1.0, KVN) written by Orekit. States are the SGP4 (TEME) states at TCA rotated
 * into GCRF (a CDM reference frame); the covariance is the screening's default RTN position uncertainty (see
 * {@link CollisionProbability#defaultSigma}), velocity variances {@code (1e-3/s x position sigma)^2}, uncorrelated.
 */
public final class CdmFiles {

    /** One object of the conjunction: NORAD id, name, international designator (may be null), TEME state km, km/s. */
    public record Side(int noradId, String name, String intlDesignator, double[] temeState) {
    }

    public static final String ORIGINATOR = "DEFENSEBUILDERS";

    private static final java.util.Set<Object> REGISTERED = java.util.Collections
            .newSetFromMap(new java.util.IdentityHashMap<>());

    private CdmFiles() {
    }

    /**
     * Orekit's {@code CdmMetadata} asks the default data context for the Earth as a celestial body (its default orbit
     * centre), which Orekit would load from JPL ephemerides this service does not ship. The Earth is the origin of
     * GCRF, so it needs none: this registers it as such (GM from EIGEN-5C) before any CDM is written or parsed.
     */
    public static synchronized void registerEarth(org.orekit.data.DataContext context) {
        for (org.orekit.data.DataContext c : List.of(org.orekit.data.DataContext.getDefault(), context)) {
            if (REGISTERED.add(c) && c.getCelestialBodies() instanceof org.orekit.bodies.LazyLoadedCelestialBodies l) {
                l.addCelestialBodyLoader(org.orekit.bodies.CelestialBodyFactory.EARTH, name -> earth());
            }
        }
    }

    private static org.orekit.bodies.CelestialBody earth() {
        return new org.orekit.bodies.CelestialBody() {
            public Frame getInertiallyOrientedFrame() {
                return org.orekit.frames.FramesFactory.getGCRF();
            }

            public Frame getBodyOrientedFrame() {
                return org.orekit.frames.FramesFactory.getGCRF();
            }

            public String getName() {
                return org.orekit.bodies.CelestialBodyFactory.EARTH;
            }

            public double getGM() {
                return org.orekit.utils.Constants.EIGEN5C_EARTH_MU;
            }

            public org.orekit.utils.TimeStampedPVCoordinates getPVCoordinates(AbsoluteDate date, Frame frame) {
                return org.orekit.frames.FramesFactory.getGCRF().getTransformTo(frame, date)
                        .transformPVCoordinates(new org.orekit.utils.TimeStampedPVCoordinates(date,
                                PVCoordinates.ZERO));
            }

            public <T extends org.hipparchus.CalculusFieldElement<T>> org.hipparchus.geometry.euclidean.threed.FieldVector3D<T> getPosition(
                    org.orekit.time.FieldAbsoluteDate<T> date, Frame frame) {
                return new org.hipparchus.geometry.euclidean.threed.FieldVector3D<>(date.getField(),
                        getPVCoordinates(date.toAbsoluteDate(), frame).getPosition());
            }
        };
    }

    public static String write(OrekitData orekit, String messageId, Instant created, Instant tcaInstant,
            double missKm, double relativeSpeedKmS, double[] rtnKm, double pc, Instant screenStart, Instant screenStop,
            Side primary, Side secondary) {
        registerEarth(orekit.context());
        AbsoluteDate tca = date(orekit, tcaInstant);
        Frame gcrf = orekit.gcrf();
        Transform toGcrf = orekit.teme().getTransformTo(gcrf, tca);

        CdmHeader header = new CdmHeader();
        header.setFormatVersion(1.0);
        header.setCreationDate(date(orekit, created));
        header.setOriginator(ORIGINATOR);
        header.setMessageId(messageId);

        CdmRelativeMetadata relative = new CdmRelativeMetadata();
        relative.setTimeSystem(TimeSystem.UTC);
        relative.setTca(tca);
        relative.setMissDistance(missKm * 1000);
        relative.setRelativeSpeed(relativeSpeedKmS * 1000);
        relative.setRelativePositionR(rtnKm[0] * 1000);
        relative.setRelativePositionT(rtnKm[1] * 1000);
        relative.setRelativePositionN(rtnKm[2] * 1000);
        if (screenStart != null) {
            relative.setStartScreenPeriod(date(orekit, screenStart));
            relative.setStopScreenPeriod(date(orekit, screenStop));
        }
        relative.setCollisionProbability(pc);
        relative.setCollisionProbaMethod(new PocMethodFacade("PATERA-2005", PocMethodType.PATERA_2005));

        CdmSegment s1 = segment(relative, "OBJECT1", primary, toGcrf, gcrf);
        CdmSegment s2 = segment(relative, "OBJECT2", secondary, toGcrf, gcrf);
        Cdm cdm = new Cdm(header, List.of(s1, s2), IERSConventions.IERS_2010, orekit.context());
        StringBuilder out = new StringBuilder();
        try {
            new WriterBuilder(orekit.context()).buildCdmWriter()
                    .writeMessage(new KvnGenerator(out, 25, "cdm-" + messageId, 86400, 0), cdm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static CdmSegment segment(CdmRelativeMetadata relative, String object, Side side, Transform toGcrf,
            Frame gcrf) {
        CdmMetadata m = new CdmMetadata();
        m.setRelativeMetadata(relative);
        m.setObject(object);
        m.setObjectDesignator(String.format("%05d", side.noradId()));
        m.setCatalogName("SATCAT");
        m.setObjectName(side.name() == null || side.name().isBlank() ? "UNKNOWN" : side.name());
        m.setInternationalDes(side.intlDesignator() == null || side.intlDesignator().isBlank() ? "UNKNOWN"
                : side.intlDesignator());
        m.setEphemName("NONE");
        m.setCovarianceMethod(CovarianceMethod.DEFAULT);
        m.setManeuverable(Maneuvrable.N_A);
        m.setRefFrame(FrameFacade.map(gcrf));

        double[] s = side.temeState();
        PVCoordinates teme = new PVCoordinates(new Vector3D(s[0] * 1000, s[1] * 1000, s[2] * 1000),
                new Vector3D(s[3] * 1000, s[4] * 1000, s[5] * 1000));
        PVCoordinates pv = toGcrf.transformPVCoordinates(teme);
        StateVector sv = new StateVector();
        sv.setX(pv.getPosition().getX());
        sv.setY(pv.getPosition().getY());
        sv.setZ(pv.getPosition().getZ());
        sv.setXdot(pv.getVelocity().getX());
        sv.setYdot(pv.getVelocity().getY());
        sv.setZdot(pv.getVelocity().getZ());

        double[] sigma = CollisionProbability.defaultSigma(teme);
        RTNCovariance cov = new RTNCovariance();
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j <= i; j++) {
                cov.setCovarianceMatrixEntry(i, j, Double.NaN);
            }
        }
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j <= i; j++) {
                cov.setCovarianceMatrixEntry(i, j, 0.0);
            }
        }
        for (int i = 0; i < 3; i++) {
            cov.setCovarianceMatrixEntry(i, i, sigma[i] * sigma[i]);
            double v = 1e-3 * sigma[i];
            cov.setCovarianceMatrixEntry(i + 3, i + 3, v * v);
        }
        CdmData data = new CdmData(new CommentsContainer(), null, null, sv, cov);
        return new CdmSegment(m, data);
    }

    private static AbsoluteDate date(OrekitData orekit, Instant t) {
        return new AbsoluteDate(java.util.Date.from(t), orekit.utc()).shiftedBy((t.getNano() % 1_000_000) * 1e-9);
    }
}
