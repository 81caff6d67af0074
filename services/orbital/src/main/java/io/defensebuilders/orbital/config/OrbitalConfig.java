package io.defensebuilders.orbital.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the orbital service ({@code dbp.orbital.*}). */
@ConfigMapping(prefix = "dbp.orbital")
public interface OrbitalConfig {

    /** CloudEvents {@code source} of every event this service emits. */
    @WithDefault("/services/orbital")
    String eventSource();

    /** Element-set ingest. */
    Ingest ingest();

    /** Propagation limits. */
    Propagation propagation();

    /** Catalog listing pages. */
    Catalog catalog();

    /** Orekit's time and frame data. */
    Orekit orekit();

    /** Conjunction screening jobs. */
    Screening screening();

    /** Scheduled screening of each tenant's protected assets. */
    ProtectedAssets protectedAssets();

    /** Maneuver detection between consecutive element sets. */
    Maneuvers maneuvers();

    /** CCDM assessments (see CcdmAssessor for what each setting tunes). */
    Ccdm ccdm();

    interface Ccdm {
        /** History an assessment reads, days before the object's newest epoch. */
        @WithDefault("90")
        double lookbackDays();

        /** Most element sets an assessment reads (the newest). */
        @WithDefault("500")
        int maxHistory();

        /** Maneuvers this recent (days before the newest epoch) raise UNEXPECTED_MANEUVER. */
        @WithDefault("30")
        double recentManeuverDays();

        /** Distance within which another object counts as near, km. */
        @WithDefault("25")
        double proximityKm();

        /** Window around the object's newest epoch over which nearness is measured, hours. */
        @WithDefault("24")
        double proximityWindowHours();

        /** Share of the window another object must stay near to raise PROXIMITY_OPERATION. */
        @WithDefault("0.05")
        double proximityMinFraction();

        /** Consecutive B* values differing by more than this factor raise ORBITAL_PARAMETER_INCONSISTENCY. */
        @WithDefault("5")
        double bstarJumpFactor();

        /** B* magnitudes below this (1/earth radii) are noise, never a jump. */
        @WithDefault("1e-5")
        double bstarFloor();

        /** Element sets needed before the newest to establish a pattern of life. */
        @WithDefault("8")
        int patternMinHistory();

        /** Half-width of the usual box, in robust standard deviations. */
        @WithDefault("4")
        double patternSigmas();

        /** A silence this many times the object's median update interval raises CUSTODY_GAP. */
        @WithDefault("5")
        double gapFactor();

        /** Silences shorter than this, days, never raise CUSTODY_GAP. */
        @WithDefault("2")
        double gapMinDays();
    }

    interface Maneuvers {
        /** Element sets further apart than this, days, are not compared: SGP4's error swamps any burn. */
        @WithDefault("14")
        double maxGapDays();

        /**
         * Per regime ({@code leo}, {@code meo}, {@code geo}, {@code heo}), overrides of the default noise thresholds
         * (orbital README), e.g. {@code dbp.orbital.maneuvers.thresholds.geo.semi-major-axis-km=0.3}.
         */
        Map<String, ThresholdOverrides> thresholds();

        /** The inference service's maneuver classifier, asked beside the detector's rule (ManeuverModel). */
        Model model();
    }

    interface Model {
        /**
         * Whether to ask it (gRPC client {@code inference}: {@code quarkus.grpc.clients.inference.host/port}). Off, or
         * with no token to ask with, or no answer, maneuvers carry the rule's classification alone.
         */
        @WithDefault("true")
        boolean enabled();

        /** The model's name in the inference service. */
        @WithDefault("maneuver-classifier")
        String name();

        /** The version to call; absent: the model's default. */
        Optional<String> version();

        /** How long an ingest waits for its answer; past it, the maneuvers go without. */
        @WithDefault("2s")
        Duration timeout();

        /** After a call that failed or timed out, how long ingests do not ask (a down service costs one timeout). */
        @WithDefault("30s")
        Duration coolDown();

        /**
         * A platform-admin API key for the gateway to mint tokens with ({@code POST /api/v1/gateway/tokens}): element
         * sets from Kafka have no caller whose token the call could carry. Absent: those go unclassified by the model.
         */
        Optional<String> gatewayApiKey();

        /** The gateway, for those tokens. */
        @WithDefault("http://localhost:8080")
        String gatewayUrl();
    }

    /** Overrides of one regime's thresholds; see {@code ManeuverDetector.Thresholds}. */
    interface ThresholdOverrides {
        Optional<Double> semiMajorAxisKm();

        Optional<Double> perDaySemiMajorAxisKm();

        Optional<Double> planeDeg();

        Optional<Double> perDayPlaneDeg();

        Optional<Double> eccentricity();

        Optional<Double> perDayEccentricity();

        Optional<Double> stationKeepingMaxMs();

        Optional<Double> altitudeChangeKm();
    }

    interface ProtectedAssets {
        /** How often: a Quarkus scheduler interval ({@code 6h}, {@code 30m}) or {@code off}. */
        @WithDefault("6h")
        String every();

        /** Window of each scheduled screening, days. */
        @WithDefault("7")
        double windowDays();

        /** Threshold of each scheduled screening, km. */
        @WithDefault("5")
        double thresholdKm();
    }

    interface Screening {
        /** Longest screening window, days (400 beyond). */
        @WithDefault("14")
        double maxWindowDays();

        /** Largest miss-distance threshold, km (400 beyond). */
        @WithDefault("50")
        double maxThresholdKm();

        /** Screenings run at the same time; later ones wait in the queue. */
        @WithDefault("1")
        int concurrency();

        /** Engine threads per screening; 0 = available processors. */
        @WithDefault("0")
        int threads();

        /**
         * How often a replica renews the leases of the screenings it holds and claims lapsed ones (a Quarkus
         * scheduler interval, or {@code off}).
         */
        @WithDefault("30s")
        String heartbeat();

        /** A screening whose lease was not renewed for this long, seconds, is taken over by another replica. */
        @WithDefault("120")
        long leaseSeconds();

        /** Runs a screening gets before one more interruption fails it. */
        @WithDefault("3")
        int maxAttempts();

        /** Finished (done, failed, cancelled) screenings and their conjunctions are deleted after this many days. */
        @WithDefault("30")
        double retentionDays();

        /** How often finished screenings past their retention are deleted (a Quarkus scheduler interval, or off). */
        @WithDefault("1h")
        String retentionEvery();
    }

    interface Ingest {
        /** Most element sets one upload or event may hold (413 beyond). */
        @WithDefault("50000")
        int maxElementSets();

        /**
         * Element sets whose epoch lies further than this after now are refused (400 over REST, dead-lettered from
         * the topic): a future epoch would otherwise stay current until real time caught up with it.
         */
        @WithDefault("P3D")
        java.time.Duration maxFutureEpoch();
    }

    interface Propagation {
        /** Most states one request may ask for: times × objects (400 beyond). */
        @WithDefault("10000")
        int maxStates();

        /** Most objects one batch request may hold. */
        @WithDefault("1000")
        int maxBatchObjects();

        /** Farthest a requested time may be from the element set's epoch, in days either way (400 beyond). */
        @WithDefault("366")
        int maxSpanDays();
    }

    interface Catalog {
        /** Page size when the request gives none. */
        @WithDefault("100")
        int defaultLimit();

        /** Largest page a request may ask for. */
        @WithDefault("1000")
        int maxLimit();
    }

    interface Orekit {
        /**
         * A directory (or a .zip) of Orekit data the operator supplies, read before the bundled leap seconds: put IERS
         * EOP files there (finals2000A.all/.daily, eopc04*.*) to get EOP-corrected GCRF/ITRF, and a newer tai-utc.dat
         * when a leap second is announced. Unset: no EOP, zero corrections (see README).
         */
        Optional<Path> dataPath();
    }
}
