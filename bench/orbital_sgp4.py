"""SGP4 speed of the Python `sgp4` package (Brandon Rhodes; the C++ of Vallado's reference SGP4 under it) on the
same synthetic TLEs the Java benchmark used, and its agreement with Orekit's TEME positions. Used by bench/orbital.sh.

usage: orbital_sgp4.py TLE_FILE STATES_FILE OUT_JSON
"""
import json
import sys
import time

import numpy as np
from sgp4.api import SatrecArray, Satrec, jday, accelerated

tle_file, states_file, out_json = sys.argv[1:4]
lines = open(tle_file).read().split("\n")
sats = [Satrec.twoline2rv(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
n = min(2000, len(sats))
jd0, fr0 = jday(2026, 11, 1, 0, 0, 0.0)
minutes = np.arange(1440) * 1.0  # one day at 60 s, like the Java figure
jd = np.full(minutes.shape, jd0)
fr = fr0 + minutes / 1440.0

# vectorised: the C++ loop over objects x times, one thread
arr = SatrecArray(sats[:n])
arr.sgp4(jd, fr)  # warm-up
t0 = time.perf_counter()
e, r, v = arr.sgp4(jd, fr)
vec = n * len(minutes) / (time.perf_counter() - t0)

# one call per state from Python, as a per-object loop would be written
m = min(200, n)
t0 = time.perf_counter()
for s in sats[:m]:
    for k in range(len(minutes)):
        s.sgp4(jd0, fr[k])
per_call = m * len(minutes) / (time.perf_counter() - t0)

# agreement with Orekit
by_id = {s.satnum: s for s in sats}
worst = 0.0
count = 0
for row in open(states_file):
    norad, mins, x, y, z = row.split()
    s = by_id[int(norad)]
    err, pos, _ = s.sgp4(jd0, fr0 + float(mins) / 1440.0)
    if err == 0:
        worst = max(worst, float(np.linalg.norm(np.array(pos) - np.array([float(x), float(y), float(z)]))))
        count += 1

result = {"pythonSgp4Accelerated": accelerated, "pythonSgp4VectorisedPropagationsPerSecond": round(vec),
          "pythonSgp4PerCallPropagationsPerSecond": round(per_call), "statesCompared": count,
          "maxPositionDifferenceVsOrekitKm": worst}
print(json.dumps(result))
with open(out_json, "w") as f:
    json.dump(result, f)
