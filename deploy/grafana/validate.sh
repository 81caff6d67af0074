#!/usr/bin/env bash
# Checks every dashboard under deploy/grafana/dashboards without a Grafana server: it must parse as JSON, type-check
# against Grafana's own dashboard schema (the TypeScript types @grafana/schema generates from Grafana's CUE kinds,
# with TypeScript's excess-property checks, so a misspelt or misplaced key fails), have unique panel ids, and refer
# only to data sources provisioned in provisioning/datasources. Needs node and npm (the npm registry).
#   deploy/grafana/validate.sh            # GRAFANA_SCHEMA_VERSION=13.2.3 by default
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=${GRAFANA_SCHEMA_VERSION:-13.2.3}
work=${GRAFANA_VALIDATE_DIR:-${TMPDIR:-/tmp}/dbp-grafana-validate-$version}
mkdir -p "$work"
if [[ ! -d $work/node_modules/@grafana/schema || ! -d $work/node_modules/typescript ]]; then
  (cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "@grafana/schema@$version" "typescript@${TYPESCRIPT_VERSION:-5.9.3}" >/dev/null)
fi
rm -f "$work"/check-*.ts
uids=$(grep -hE '^\s+uid:' "$here"/provisioning/datasources/*.yaml | awk '{print $2}' | sort -u | tr '\n' ' ')
status=0
for f in "$here"/dashboards/*.json; do
  name=$(basename "$f" .json)
  node -e '
    const fs = require("fs");
    const [file, uids] = [process.argv[1], process.argv[2].trim().split(/\s+/)];
    const d = JSON.parse(fs.readFileSync(file, "utf8"));
    const problems = [];
    const panels = (d.panels || []).flatMap(p => [p, ...(p.panels || [])]);
    const ids = panels.map(p => p.id);
    if (new Set(ids).size !== ids.length) problems.push("panel ids are not unique");
    const refs = JSON.stringify(d).match(/"uid":"[^"]*"/g) || [];
    for (const p of panels) {
      for (const ds of [p.datasource, ...(p.targets || []).map(t => t.datasource)].filter(Boolean)) {
        if (!uids.includes(ds.uid)) problems.push(`panel ${p.id}: data source ${ds.uid} is not provisioned`);
      }
      if (p.type !== "row" && !(p.targets || []).length) problems.push(`panel ${p.id} has no query`);
    }
    if (!d.uid || !d.title) problems.push("uid and title are required");
    if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  ' "$f" "$uids" || { echo "FAIL $name (structure)"; status=1; continue; }
  {
    echo "import type { Dashboard } from './node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen';"
    # the schema's string enums (ThresholdsMode, ...) as the strings the JSON holds: a literal is not assignable to a
    # TypeScript enum, but \`\${Enum}\` is the union of its values; everything else is checked as it is
    echo "type Json<T> = T extends string ? \`\${T}\` : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;"
    echo "export const dashboard: Json<Dashboard> = "
    cat "$f"
    echo ";"
  } > "$work/check-$name.ts"
done
if ls "$work"/check-*.ts >/dev/null 2>&1; then
  if (cd "$work" && npx --no-install tsc --noEmit --strict --skipLibCheck --target es2022 check-*.ts); then
    for f in "$here"/dashboards/*.json; do echo "OK   $(basename "$f" .json): JSON, @grafana/schema@$version Dashboard, panel ids, data sources"; done
  else
    echo "FAIL: a dashboard does not match @grafana/schema@$version (tsc output above)"; status=1
  fi
fi
exit $status
