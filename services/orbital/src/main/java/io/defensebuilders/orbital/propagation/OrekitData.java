package io.defensebuilders.orbital.propagation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.data.ClasspathCrawler;
import org.orekit.data.DataContext;
import org.orekit.data.DataProvidersManager;
import org.orekit.data.DirectoryCrawler;
import org.orekit.data.LazyLoadedDataContext;
import org.orekit.data.ZipJarCrawler;
import org.orekit.frames.EOPHistory;
import org.orekit.frames.Frame;
import org.orekit.time.TimeScale;
import org.orekit.utils.Constants;
import org.orekit.utils.IERSConventions;

import io.defensebuilders.orbital.config.OrbitalConfig;
import io.quarkus.runtime.Startup;

/**
 * Orekit's data context, built once at startup from data shipped with the service (the UTC-TAI leap-second table)
 * and, when configured, a directory of operator data read first (IERS EOP, newer leap seconds). Nothing is ever
 * downloaded. Without EOP data Orekit applies zero corrections (UT1 = UTC, no polar motion, no nutation
 * corrections): TEME output is unaffected, GCRF/ITRF carry the errors the README quantifies.
 */
@Startup
@ApplicationScoped
public class OrekitData {

    /** The leap-second table bundled in the service's resources. */
    public static final String BUNDLED_LEAP_SECONDS = "orekit-data/tai-utc.dat";
    /**
     * IERS Earth orientation parameters bundled in the service's resources: the IERS Rapid Service's
     * finals2000A.all (IAU 2000, daily, with a year of predictions), as published in the astropy-iers-data package.
     */
    public static final String BUNDLED_EOP = "orekit-data/finals2000A.all.gz";
    private static final Logger LOG = Logger.getLogger(OrekitData.class);

    private final DataContext context;
    private final TimeScale utc;
    private final Frame teme;
    private final Frame gcrf;
    private final Frame itrf;
    private final OneAxisEllipsoid wgs84;
    private final boolean eop;

    @Inject
    public OrekitData(OrbitalConfig config) {
        this(config.orekit().dataPath());
    }

    /** The bundled data only, outside CDI (benchmarks, engine tests). */
    public static OrekitData bundled() {
        return new OrekitData(Optional.empty());
    }

    private OrekitData(Optional<Path> dataPath) {
        // the operator's EOP replace the bundled ones (two EOP sources would be merged, not preferred)
        LazyLoadedDataContext lazy = context(dataPath, dataPath.isEmpty());
        if (dataPath.isPresent()
                && lazy.getFrames().getEOPHistory(IERSConventions.IERS_2010, true).getEntries().isEmpty()) {
            lazy = context(dataPath, true);
        }
        // library code that reaches for the default context must find this one, never a data directory of its own
        DataContext.setDefault(lazy);
        this.context = lazy;
        this.utc = lazy.getTimeScales().getUTC();
        this.teme = lazy.getFrames().getTEME();
        this.gcrf = lazy.getFrames().getGCRF();
        this.itrf = lazy.getFrames().getITRF(IERSConventions.IERS_2010, true);
        this.wgs84 = new OneAxisEllipsoid(Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING, itrf);
        EOPHistory history = lazy.getFrames().getEOPHistory(IERSConventions.IERS_2010, true);
        this.eop = !history.getEntries().isEmpty();
        if (eop) {
            LOG.infof("Orekit EOP data loaded: %s to %s", history.getStartDate(), history.getEndDate());
        } else {
            LOG.warn("no IERS EOP data: GCRF and ITRF states use zero EOP corrections (UT1 = UTC, no polar motion); "
                    + "TEME states are unaffected");
        }
    }

    private static LazyLoadedDataContext context(Optional<Path> dataPath, boolean bundledEop) {
        LazyLoadedDataContext lazy = new LazyLoadedDataContext();
        DataProvidersManager providers = lazy.getDataProvidersManager();
        dataPath.ifPresent(path -> providers.addProvider(operatorData(path)));
        providers.addProvider(bundledEop
                ? new ClasspathCrawler(OrekitData.class.getClassLoader(), BUNDLED_LEAP_SECONDS, BUNDLED_EOP)
                : new ClasspathCrawler(OrekitData.class.getClassLoader(), BUNDLED_LEAP_SECONDS));
        return lazy;
    }

    private static org.orekit.data.DataProvider operatorData(Path path) {
        if (Files.isDirectory(path)) {
            return new DirectoryCrawler(path.toFile());
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".zip")) {
            return new ZipJarCrawler(path.toFile());
        }
        throw new IllegalStateException("dbp.orbital.orekit.data-path " + path + " is neither a directory nor a .zip file");
    }

    public DataContext context() {
        return context;
    }

    public TimeScale utc() {
        return utc;
    }

    public Frame teme() {
        return teme;
    }

    public Frame gcrf() {
        return gcrf;
    }

    public Frame itrf() {
        return itrf;
    }

    /** The WGS-84 ellipsoid, fixed in ITRF, for geodetic coordinates. */
    public OneAxisEllipsoid wgs84() {
        return wgs84;
    }

    /** Whether IERS EOP data was found. */
    public boolean hasEop() {
        return eop;
    }
}
