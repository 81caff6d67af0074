package io.defensebuilders.orbital.screening;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.ssa.collision.shorttermencounter.probability.twod.Patera2005;
import org.orekit.utils.PVCoordinates;

/**
 * Probability of collision, 2D short-term encounter: the combined position covariance projected on the encounter
 * plane (perpendicular to the relative velocity at TCA), integrated over the combined hard-body circle with Orekit's
 * {@link Patera2005} (a 1D contour integral, exact to integration accuracy).
 *
 * <p>
 * Element sets carry no covariance, so each object gets a default 1-sigma position uncertainty in its own RTN
 * frame by orbit regime (typical of a 1-3 day old public TLE), uncorrelated:
 * <table>
 * <tr>
 * <th>regime</th>
 * <th>radial km</th>
 * <th>in-track km</th>
 * <th>cross-track km</th>
 * </tr>
 * <tr>
 * <td>LEO (perigee below 2,000 km altitude)</td>
 * <td>0.2</td>
 * <td>1.0</td>
 * <td>0.3</td>
 * </tr>
 * <tr>
 * <td>MEO / HEO</td>
 * <td>1.0</td>
 * <td>5.0</td>
 * <td>1.0</td>
 * </tr>
 * <tr>
 * <td>GEO (period 1,300-1,600 min, e &lt; 0.1)</td>
 * <td>2.0</td>
 * <td>10.0</td>
 * <td>2.0</td>
 * </tr>
 * </table>
 * The default combined hard-body radius is 20 m.
 */
public final class CollisionProbability {

    public static final double DEFAULT_HARD_BODY_RADIUS_M = 20.0;
    private static final double MU = 398600.4418e9;
    private static final double RE = 6378135.0;
    private static final Patera2005 PATERA = new Patera2005();

    private CollisionProbability() {
    }

    /** Default 1-sigma RTN position uncertainty (m) for an orbit through this TEME state. */
    public static double[] defaultSigma(PVCoordinates pv) {
        double r = pv.getPosition().getNorm();
        double v2 = pv.getVelocity().getNormSq();
        double a = 1 / (2 / r - v2 / MU);
        Vector3D h = pv.getPosition().crossProduct(pv.getVelocity());
        double p = h.getNormSq() / MU;
        double e = Math.sqrt(Math.max(0, 1 - p / a));
        double perigeeAlt = a * (1 - e) - RE;
        double periodMin = 2 * Math.PI * Math.sqrt(a * a * a / MU) / 60;
        if (perigeeAlt < 2_000_000) {
            return new double[] { 200, 1000, 300 };
        }
        if (periodMin > 1300 && periodMin < 1600 && e < 0.1) {
            return new double[] { 2000, 10000, 2000 };
        }
        return new double[] { 1000, 5000, 1000 };
    }

    /** Pc with default covariances and hard-body radius (states in m, m/s). */
    public static double compute(PVCoordinates a, PVCoordinates b) {
        return compute(a, defaultSigma(a), b, defaultSigma(b), DEFAULT_HARD_BODY_RADIUS_M);
    }

    /** Pc for uncorrelated RTN 1-sigma uncertainties (m) and a combined hard-body radius (m). */
    public static double compute(PVCoordinates a, double[] sigmaA, PVCoordinates b, double[] sigmaB, double radius) {
        double[][] c = new double[3][3];
        add(c, a, sigmaA);
        add(c, b, sigmaB);
        Vector3D d = b.getPosition().subtract(a.getPosition());
        Vector3D u = b.getVelocity().subtract(a.getVelocity());
        if (u.getNorm() == 0) {
            return Double.NaN;
        }
        Vector3D w = u.normalize();
        Vector3D dPlane = d.subtract(w.scalarMultiply(d.dotProduct(w)));
        Vector3D ex = dPlane.getNorm() > 1e-9 ? dPlane.normalize() : w.orthogonal();
        Vector3D ey = w.crossProduct(ex);
        double sxx = quad(c, ex, ex);
        double sxy = quad(c, ex, ey);
        double syy = quad(c, ey, ey);
        // principal axes of the 2x2 covariance
        double theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double l1 = sxx * cos * cos + 2 * sxy * sin * cos + syy * sin * sin;
        double l2 = sxx * sin * sin - 2 * sxy * sin * cos + syy * cos * cos;
        double miss = dPlane.getNorm();
        double xm = miss * cos;
        double ym = -miss * sin;
        double sigmaX = Math.sqrt(Math.max(l1, 1e-6));
        double sigmaY = Math.sqrt(Math.max(l2, 1e-6));
        if (sigmaX < sigmaY) { // Orekit expects sigmaX >= sigmaY
            double t = sigmaX;
            sigmaX = sigmaY;
            sigmaY = t;
            double tx = xm;
            xm = ym;
            ym = tx;
        }
        return PATERA.compute(xm, ym, sigmaX, sigmaY, radius).getValue();
    }

    private static void add(double[][] c, PVCoordinates pv, double[] sigma) {
        Vector3D r = pv.getPosition().normalize();
        Vector3D n = pv.getPosition().crossProduct(pv.getVelocity()).normalize();
        Vector3D t = n.crossProduct(r);
        Vector3D[] axes = { r, t, n };
        for (int k = 0; k < 3; k++) {
            double[] e = axes[k].toArray();
            double s2 = sigma[k] * sigma[k];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    c[i][j] += s2 * e[i] * e[j];
                }
            }
        }
    }

    private static double quad(double[][] c, Vector3D p, Vector3D q) {
        double[] x = p.toArray();
        double[] y = q.toArray();
        double s = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                s += x[i] * c[i][j] * y[j];
            }
        }
        return s;
    }
}
