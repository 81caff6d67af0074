#!/usr/bin/env bash
# How soon each service is ready after its JVM starts, and its RSS then: plain JVM against the JDK's AOT cache
# (what ./platform up uses on JDK 25+), each service alone and the whole fleet at once, medians of ROUNDS (3).
# PostgreSQL, Redis and Kafka keep running; the platform's services are restarted with ./platform up at the end.
# Figures and how to read them: bench/README.md, "Start-up".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./platform startup-bench --rounds "${ROUNDS:-3}"
./platform up > /dev/null
