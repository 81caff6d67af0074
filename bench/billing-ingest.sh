#!/usr/bin/env bash
# Billing's ingest bench: pre-loads 1,000,000 usage.v1 events (1% duplicates) with billing stopped, then starts billing
# and measures how fast it drains the backlog (records/s from the committed offsets) and the lag; checks the invoices
# afterwards as bench/billing-fault.sh does. Same options as bench/billing-fault.sh.
set -euo pipefail
BILLING_BENCH_MODE=ingest exec "$(dirname "${BASH_SOURCE[0]}")/billing-fault.sh" "$@"
