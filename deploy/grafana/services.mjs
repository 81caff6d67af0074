#!/usr/bin/env node
// Writes dashboards/<service>.json, one Grafana dashboard per service, from the one layout below: the service level
// its callers get (measured at the gateway: availability and latency SLOs, what is left of the month's error budget,
// burn rates as the alerts of deploy/prometheus read them), its requests by route with latency exemplars that open
// the trace, its runtime (heap, GC, CPU, database, outbox), then what only that service has. Every dashboard links to
// the others and to the fleet dashboard (tag defense-builders). The JSON is committed (the chart ships it as is);
// `node deploy/grafana/services.mjs --check` fails when it differs from what this file writes (tests/chart
// DashboardsTest runs it), so edit here, run without --check, and commit both.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const DS = { type: "prometheus", uid: "dbp-prometheus" };
const RATE = "$__rate_interval";
// the SLOs of deploy/prometheus/defense-builders.rules.yml
const AVAILABILITY = 0.999;
const LATENCY = 0.99;
const LATENCY_SECONDS = "0.5";

/** A time series panel. targets: [expr, legend, {exemplar}] */
function series(title, unit, targets, description, extra = {}) {
  return {
    type: "timeseries",
    title,
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit,
        custom: { drawStyle: "line", lineWidth: 1, fillOpacity: 10, stacking: { mode: "none", group: "A" } },
        ...(extra.links ? { links: extra.links } : {}),
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["mean", "max"] },
      tooltip: { mode: "multi", sort: "desc" },
    },
    targets: targets.map(([expr, legendFormat, opts = {}], i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DS,
      expr,
      legendFormat,
      range: true,
      ...(opts.exemplar ? { exemplar: true } : {}),
    })),
    description,
  };
}

/** A single-value panel, green from `good` up (or down, with `lowerIsBetter`). */
function stat(title, unit, expr, description, good, lowerIsBetter = false) {
  return {
    type: "stat",
    title,
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit,
        decimals: 3,
        thresholds: {
          mode: "absolute",
          steps: lowerIsBetter
            ? [{ color: "green", value: null }, { color: "red", value: good }]
            : [{ color: "red", value: null }, { color: "green", value: good }],
        },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
      colorMode: "value",
      graphMode: "none",
      justifyMode: "auto",
      orientation: "auto",
      textMode: "auto",
      wideLayout: true,
      showPercentChange: false,
    },
    targets: [{ refId: "A", datasource: DS, expr, instant: true, range: false }],
    description,
  };
}

/** The service level its callers get, at the gateway, for the upstreams matching `upstream` (a regex). */
function serviceLevel(upstream, who) {
  const calls = (window, extra = "") =>
    `sum(rate(dbp_gateway_requests_seconds_count{upstream=~"${upstream}"${extra}}[${window}]))`;
  const errors30d = `(${calls("30d", ',status="5xx"')} or vector(0)) / ${calls("30d")}`;
  const fast30d = `sum(rate(dbp_gateway_requests_seconds_bucket{upstream=~"${upstream}",le="${LATENCY_SECONDS}"}[30d])) / ${calls("30d")}`;
  return [
    stat("Availability, 30 days", "percentunit", `1 - (${errors30d})`,
      `Share of ${who} calls through the gateway answered without a 5xx over the last 30 days (dbp_gateway_requests_seconds_count). SLO ${AVAILABILITY * 100}%.`,
      AVAILABILITY),
    stat("Availability error budget left", "percentunit", `1 - (${errors30d}) / ${(1 - AVAILABILITY).toFixed(3)}`,
      `What is left of the month's availability error budget (${((1 - AVAILABILITY) * 100).toFixed(1)}% of calls): 1 is untouched, 0 spent, below 0 overspent.`,
      0),
    stat(`Calls within ${LATENCY_SECONDS * 1000} ms, 30 days`, "percentunit", fast30d,
      `Share of ${who} calls the gateway answered within ${LATENCY_SECONDS * 1000} ms over the last 30 days (the bucket le="${LATENCY_SECONDS}" of dbp_gateway_requests_seconds). SLO ${LATENCY * 100}%.`,
      LATENCY),
    stat("Latency error budget left", "percentunit", `1 - (1 - ${fast30d}) / ${(1 - LATENCY).toFixed(2)}`,
      `What is left of the month's latency error budget (${((1 - LATENCY) * 100).toFixed(0)}% of calls may be slower than ${LATENCY_SECONDS * 1000} ms).`,
      0),
    series("Error budget burn rate", "none", [
      [`max by (upstream) (dbp:gateway_requests:error_ratio_rate1h{upstream=~"${upstream}"}) / ${(1 - AVAILABILITY).toFixed(3)}`, "{{upstream}} availability, 1h"],
      [`max by (upstream) (dbp:gateway_requests:error_ratio_rate6h{upstream=~"${upstream}"}) / ${(1 - AVAILABILITY).toFixed(3)}`, "{{upstream}} availability, 6h"],
      [`max by (upstream) (dbp:gateway_requests:slow_ratio_rate1h{upstream=~"${upstream}"}) / ${(1 - LATENCY).toFixed(2)}`, "{{upstream}} latency, 1h"],
      [`max by (upstream) (dbp:gateway_requests:slow_ratio_rate6h{upstream=~"${upstream}"}) / ${(1 - LATENCY).toFixed(2)}`, "{{upstream}} latency, 6h"],
    ], "How fast the error budgets burn (1 = exactly a month's budget in a month), from the recording rules the burn-rate alerts read: they page at 14.4 over 1 hour and at 6 over 6 hours (docs/operations.md)."),
  ];
}

/** What every service has: its HTTP server by route, and its JVM. */
function requests(job) {
  const sel = `job="${job}",instance=~"$instance"`;
  return [
    series("Requests by route and outcome", "reqps", [
      [`sum by (method, uri, outcome) (rate(http_server_requests_seconds_count{${sel}}[${RATE}]))`, "{{method}} {{uri}} {{outcome}}"],
    ], "Calls answered per second by route template and outcome (http_server_requests_seconds_count)."),
    series("Latency p99 by route", "s", [
      [`histogram_quantile(0.99, sum by (method, uri, le) (rate(http_server_requests_seconds_bucket{${sel}}[${RATE}])))`, "{{method}} {{uri}}", { exemplar: true }],
    ], "99th percentile per route from the latency histogram buckets, with exemplars (a call and its trace id) where the metrics carry them."),
    series("Server errors by route", "reqps", [
      [`sum by (method, uri) (rate(http_server_requests_seconds_count{${sel},outcome="SERVER_ERROR"}[${RATE}])) or 0 * sum by (method, uri) (rate(http_server_requests_seconds_count{${sel}}[${RATE}]))`, "{{method}} {{uri}}"],
    ], "5xx answers per second per route (0 when there are none)."),
  ];
}

function runtime(job, { outbox = true } = {}) {
  const sel = `job="${job}",instance=~"$instance"`;
  const panels = [
    series("Heap used and max", "bytes", [
      [`sum by (instance) (jvm_memory_used_bytes{${sel},area="heap"})`, "{{instance}} used"],
      [`sum by (instance) (jvm_memory_max_bytes{${sel},area="heap"})`, "{{instance}} max"],
    ], "JVM heap per replica."),
    series("CPU and GC", "percentunit", [
      [`max by (instance) (process_cpu_usage{${sel}})`, "{{instance}} CPU"],
      [`sum by (instance) (rate(jvm_gc_pause_seconds_sum{${sel}}[${RATE}]))`, "{{instance}} time in GC"],
    ], "Share of a CPU the process uses, and the share of time spent in GC pauses."),
    series("Database and outbox", "none", [
      [`min by (instance) (dbp_db_reachable{${sel}})`, "{{instance}} database reachable (1)"],
      ...(outbox ? [[`max by (instance) (dbp_outbox_oldest_age_seconds{${sel}})`, "{{instance}} oldest event not yet in Kafka, s"]] : []),
    ], "Whether the replica reaches PostgreSQL (dbp_db_reachable; DbpDatabaseUnavailable)" + (outbox ? ", and how long the oldest event of its outbox has waited for Kafka (DbpOutboxBacklog)." : ".")),
  ];
  return panels;
}

const S = (job) => `job="${job}",instance=~"$instance"`;

const SERVICES = [
  {
    job: "gateway", title: "Gateway", upstream: ".+", who: "all public API", outbox: false,
    description: "The front door: every public call, its service level across all route families, rate limits, authentication, usage events and the internal-token signing key.",
    own: [
      series("Proxied calls by route family and status class", "reqps", [
        [`sum by (upstream, status) (rate(dbp_gateway_requests_seconds_count{${S("gateway")}}[${RATE}]))`, "{{upstream}} {{status}}"],
      ], "Calls the gateway proxied per second, by upstream (route family) and status class (dbp_gateway_requests_seconds)."),
      series("Proxied latency p99 by route family", "s", [
        [`histogram_quantile(0.99, sum by (upstream, le) (rate(dbp_gateway_requests_seconds_bucket{${S("gateway")}}[${RATE}])))`, "{{upstream}}", { exemplar: true }],
      ], "End-to-end latency the caller sees, by upstream (with exemplars where the metrics carry them)."),
      series("Replicas in rotation", "none", [
        [`max by (upstream) (dbp_gateway_upstream_replicas_ready{${S("gateway")}})`, "{{upstream}}"],
      ], "Replicas of each upstream the gateway sends calls to (those answering their readiness)."),
      series("Authentication", "reqps", [
        [`sum(rate(dbp_gateway_auth_failures_total{${S("gateway")}}[${RATE}]))`, "failed authentications"],
        [`sum by (by) (rate(dbp_gateway_auth_throttled_total{${S("gateway")}}[${RATE}]))`, "throttled by {{by}}"],
      ], "Calls whose credential did not authenticate, and calls refused 429 after too many failures (per address or per key)."),
      series("Usage events", "none", [
        [`sum(rate(dbp_gateway_usage_sent_total{${S("gateway")}}[${RATE}]))`, "sent per second"],
        [`sum(rate(dbp_gateway_usage_dropped_total{${S("gateway")}}[${RATE}]))`, "given up per second"],
        [`sum(dbp_gateway_usage_queued{${S("gateway")}})`, "queued"],
      ], "Usage events (what billing prices) handed to Kafka, given up (DbpUsageEventsDropped) and waiting."),
      series("Rate limiting and Redis", "none", [
        [`sum(rate(dbp_gateway_ratelimit_local_decisions_total{${S("gateway")}}[${RATE}]))`, "local decisions per second"],
        [`max by (client) (dbp_redis_degraded{${S("gateway")}})`, "Redis {{client}} degraded (1)"],
        [`max by (instance) (dbp_gateway_signing_key_age_seconds{${S("gateway")}} / dbp_gateway_signing_key_rotation_period_seconds{${S("gateway")}})`, "{{instance}} signing key age, rotation periods"],
      ], "Rate-limit decisions taken by local buckets because Redis did not answer (DbpRedisFallbackActive), and the signing key's age in rotation periods (DbpSigningKeyNotRotated above 1.25)."),
    ],
  },
  {
    job: "sdk-registry", title: "SDK registry", upstream: "sdk-registry", who: "SDK registry",
    description: "Publishing and finding SDKs: search (words and meaning), the version index cache, artifacts.",
    own: [
      series("Search by meaning", "none", [
        [`sum by (purpose, outcome) (rate(dbp_registry_search_semantic_calls_total{${S("sdk-registry")}}[${RATE}]))`, "{{purpose}} {{outcome}} per second"],
        [`max(dbp_registry_search_semantic_indexed{${S("sdk-registry")}})`, "SDKs indexed"],
        [`max(dbp_registry_search_semantic_stale{${S("sdk-registry")}})`, "waiting for an embedding"],
      ], "Calls of the inference service's embedding model by purpose and outcome, and the semantic index."),
      series("Version index cache", "reqps", [
        [`sum by (result) (rate(dbp_registry_index_cache_total{${S("sdk-registry")}}[${RATE}]))`, "{{result}}"],
      ], "Reads of an SDK's version index answered from the cache (hit), from PostgreSQL (miss), or with the cache failing (error)."),
      series("Artifact integrity failures", "none", [
        [`sum(increase(dbp_registry_artifact_integrity_failures_total{${S("sdk-registry")}}[${RATE}]))`, "downloads stopped: bytes do not match their digest"],
      ], "Downloads stopped because the stored bytes no longer match their sha512 (the artifact is corrupt in the blob store)."),
    ],
  },
  {
    job: "environment-manager", title: "Environments", upstream: "environment-manager", who: "environment",
    description: "Sandbox environments on Kubernetes: the API, plan checks and the outbox of lifecycle events.",
    own: [
      series("Plan checks skipped", "none", [
        [`sum(increase(dbp_environments_plan_unchecked_total{${S("environment-manager")}}[${RATE}])) or vector(0)`, "environments created without a plan check"],
      ], "Environments created while billing could not say the tenant's plan (allowed, counted)."),
    ],
  },
  {
    job: "billing", title: "Billing", upstream: "billing", who: "billing",
    description: "Metering usage exactly once from Kafka, pricing and invoicing.",
    own: [
      series("Usage metered", "none", [
        [`sum by (topic) (rate(dbp_billing_usage_consumed_total{${S("billing")}}[${RATE}]))`, "{{topic}} consumed per second"],
        [`sum by (topic) (rate(dbp_billing_usage_accepted_total{${S("billing")}}[${RATE}]))`, "{{topic}} accepted per second"],
        [`sum by (topic) (rate(dbp_billing_usage_duplicates_total{${S("billing")}}[${RATE}]))`, "{{topic}} duplicates per second"],
        [`sum by (topic) (increase(dbp_billing_usage_dead_lettered_total{${S("billing")}}[${RATE}]))`, "{{topic}} dead-lettered"],
      ], "Usage records read, priced once (accepted), recognised as already counted (duplicates), and sent to the DLQ (DbpUsageDeadLettered)."),
      series("Batch time p99 and consumer lag", "none", [
        [`max by (topic) (dbp_billing_usage_batch_seconds{${S("billing")},quantile="0.99"})`, "{{topic}} batch p99, s"],
        [`max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{${S("billing")}})`, "{{client_id}} records behind"],
      ], "Time to meter one polled batch (offset commit included), and how far behind its topic the consumer is (DbpConsumerLagging)."),
      series("Invoices issued", "none", [
        [`sum(increase(dbp_billing_invoices_issued_total{${S("billing")}}[${RATE}]))`, "invoices issued"],
      ], "Invoices numbered and issued by the invoicing run."),
    ],
  },
  {
    job: "analytics", title: "Analytics", upstream: "analytics", who: "analytics", outbox: false,
    description: "Every platform event, ingested exactly once and rolled up per minute, hour and day.",
    own: [
      series("Events ingested", "none", [
        [`sum(rate(dbp_analytics_events_accepted_total{${S("analytics")}}[${RATE}]))`, "accepted per second"],
        [`sum(rate(dbp_analytics_events_duplicates_total{${S("analytics")}}[${RATE}]))`, "duplicates per second"],
        [`sum(rate(dbp_analytics_events_rejected_total{${S("analytics")}}[${RATE}]))`, "rejected per second"],
      ], "Events of every topic counted once, recognised as already counted, or refused as unreadable."),
      series("Ingest steps and lag", "none", [
        [`sum by (step) (rate(dbp_analytics_ingest_step_seconds_sum{${S("analytics")}}[${RATE}])) / sum by (step) (rate(dbp_analytics_ingest_step_seconds_count{${S("analytics")}}[${RATE}]))`, "{{step}} mean, s"],
        [`max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{${S("analytics")}})`, "{{client_id}} records behind"],
      ], "Mean time of each step of an ingest transaction, and consumer lag (DbpConsumerLagging)."),
    ],
  },
  {
    job: "orbital", title: "Orbital", upstream: "orbital", who: "orbital",
    description: "Space-domain data: element sets, propagation, maneuvers (with the platform's classifier), conjunction screenings and live alerts.",
    own: [
      series("Screening queue", "none", [
        [`max(dbp_orbital_screenings_queued{${S("orbital")}})`, "screenings queued"],
        [`max(dbp_orbital_screenings_queued_oldest_age_seconds{${S("orbital")}}) / 60`, "oldest queued, minutes"],
      ], "Conjunction screenings waiting to run across replicas and how long the oldest has waited (DbpScreeningQueueStalled above 15 minutes)."),
      series("Maneuver model and alerts", "none", [
        [`sum by (outcome) (rate(dbp_orbital_maneuver_model_calls_total{${S("orbital")}}[${RATE}]))`, "model {{outcome}} per second"],
        [`sum(dbp_orbital_alerts_connections{${S("orbital")}})`, "alert stream connections"],
      ], "Calls to the maneuver classifier by outcome (skipped: during the cool-down after a failure), and WebSocket alert subscribers."),
    ],
  },
  {
    job: "inference", title: "Inference", upstream: "inference", who: "inference",
    description: "Open Inference Protocol v2 on ONNX Runtime: models loaded, session runs and dynamic batching.",
    own: [
      series("Session runs and batching", "none", [
        [`sum(rate(dbp_inference_session_runs_total{${S("inference")}}[${RATE}]))`, "session runs per second"],
        [`sum(rate(dbp_inference_batch_rows_sum{${S("inference")}}[${RATE}])) / sum(rate(dbp_inference_batch_rows_count{${S("inference")}}[${RATE}]))`, "rows per batched run"],
        [`max by (instance) (dbp_inference_models_loaded{${S("inference")}})`, "{{instance}} model versions loaded"],
      ], "ONNX Runtime session runs (one per call, or one per batch of calls), the rows a batched run carries, and the model versions each replica holds."),
      series("Usage writes, slowest", "s", [
        [`max by (instance) (dbp_inference_usage_writes_seconds_max{${S("inference")}})`, "{{instance}} slowest"],
      ], "Writing a call's usage event to the outbox, which the answer waits for."),
    ],
  },
  {
    job: "ai-tools", title: "AI tools", upstream: "ai-tools", who: "MCP and integrations",
    description: "The MCP server for AI coding assistants, GitHub and Slack integrations, notifications and ask-the-docs.",
    own: [
      series("MCP tool calls", "reqps", [
        [`sum by (tool, outcome) (rate(dbp_ai_tools_tool_calls_total{${S("ai-tools")}}[${RATE}]))`, "{{tool}} {{outcome}}"],
      ], "Tool calls per second by tool and outcome (ok: answered and metered; error: a tool error; limited: the tenant's per-tool rate limit)."),
      series("Deliveries and notifications", "none", [
        [`sum by (source, outcome) (rate(dbp_ai_tools_deliveries_total{${S("ai-tools")}}[${RATE}]))`, "{{source}} {{outcome}} per second"],
        [`sum by (source, reason) (rate(dbp_ai_tools_deliveries_refused_total{${S("ai-tools")}}[${RATE}]))`, "{{source}} refused ({{reason}}) per second"],
        [`sum(rate(dbp_ai_tools_notifications_delivered_total{${S("ai-tools")}}[${RATE}]))`, "notifications delivered per second"],
        [`sum(increase(dbp_ai_tools_notifications_dead_total{${S("ai-tools")}}[${RATE}]))`, "notifications dead"],
      ], "GitHub and Slack deliveries (DbpWebhookSignaturesRefused), and notifications delivered or dead-lettered (DbpNotificationsDeadLettered)."),
      series("Ask the docs", "none", [
        [`sum by (purpose, outcome) (rate(dbp_ai_tools_docs_embedding_calls_total{${S("ai-tools")}}[${RATE}]))`, "{{purpose}} {{outcome}} per second"],
        [`max(dbp_ai_tools_docs_unembedded{${S("ai-tools")}})`, "passages waiting for the model"],
      ], "Embedding calls for the docs index and for questions, and the passages still found by words only."),
    ],
  },
];

/** Lays panels out three to a row (stats five to a row), each group under a row header; ids in order. */
function layout(groups) {
  const panels = [];
  let y = 0;
  let id = 1;
  for (const [title, group] of groups) {
    panels.push({ type: "row", title, id: id++, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of group) {
      const w = p.type === "stat" ? 6 : 8;
      const h = p.type === "stat" ? 4 : 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push({ id: id++, ...p, gridPos: { x, y, w, h } });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  // keys in the order the fleet dashboard writes them
  return panels.map(({ id, type, title, gridPos, ...rest }) => ({ id, type, title, gridPos, ...rest }));
}

function dashboard(s) {
  const level = serviceLevel(s.upstream, s.who);
  return {
    uid: `dbp-${s.job}`,
    title: `Defense Builders / ${s.title}`,
    description: s.description,
    tags: ["defense-builders", "service"],
    timezone: "utc",
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    timepicker: {},
    annotations: { list: [] },
    links: [
      { title: "Fleet", type: "link", url: "/d/dbp-fleet?${__url_time_range}", icon: "dashboard", tooltip: "every service side by side", asDropdown: false, includeVars: false, keepTime: false, tags: [], targetBlank: false },
      { title: "Services", type: "dashboards", tags: ["defense-builders", "service"], icon: "external link", tooltip: "", url: "", asDropdown: true, includeVars: false, keepTime: true, targetBlank: false },
    ],
    templating: {
      list: [
        {
          name: "instance",
          label: "Replica",
          type: "query",
          datasource: DS,
          query: { query: `label_values(up{job="${s.job}"}, instance)`, refId: "instance" },
          refresh: 2,
          multi: true,
          includeAll: true,
          allValue: ".*",
          current: { text: "All", value: "$__all" },
          sort: 1,
        },
      ],
    },
    panels: layout([
      ["Service level, as callers get it through the gateway", level],
      ["Requests", requests(s.job)],
      [s.title, s.own],
      ["Runtime", runtime(s.job, s)],
    ]),
  };
}

const check = process.argv.includes("--check");
let stale = 0;
for (const s of SERVICES) {
  const file = join(here, "dashboards", `${s.job}.json`);
  const text = JSON.stringify(dashboard(s), null, 2) + "\n";
  let current = null;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = null;
  }
  if (check) {
    if (current !== text) {
      console.error(`STALE ${file}: run node deploy/grafana/services.mjs`);
      stale++;
    }
  } else if (current !== text) {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
if (check && stale === 0) console.log(`${SERVICES.length} service dashboards match deploy/grafana/services.mjs`);
process.exit(stale ? 1 : 0);
