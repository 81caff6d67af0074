{{/* The services of the fleet: values key -> Kubernetes name (also the host name the others use). */}}
{{- define "dbp.services" -}}
gateway: gateway
sdkRegistry: sdk-registry
environmentManager: environment-manager
billing: billing
analytics: analytics
orbital: orbital
inference: inference
aiTools: ai-tools
{{- end -}}

{{/* Services that keep files (blobs) on a volume, and the variable naming the directory: name -> variable. */}}
{{- define "dbp.blobServices" -}}
sdk-registry: REGISTRY_BLOB_PATH
inference: INFERENCE_MODEL_PATH
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "dbp.labels" -}}
app.kubernetes.io/part-of: defense-builders-platform
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "name" "billing") */}}
{{- define "dbp.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The image of a service: (dict "root" $ "name" "billing" "svc" .Values.services.billing) */}}
{{- define "dbp.image" -}}
{{- $img := .root.Values.image -}}
{{- $own := .svc.image | default dict -}}
{{- $registry := $own.registry | default $img.registry -}}
{{- $repository := $own.repository | default (printf "%s%s" $img.repositoryPrefix .name) -}}
{{- $ref := printf "%s/%s" $registry $repository -}}
{{- if $own.digest -}}
{{- printf "%s@%s" $ref $own.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref ($own.tag | default $img.tag | default .root.Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* Whether the cluster serves the Prometheus operator's kinds, or the setting forces it: (dict "root" $ "setting" "auto") */}}
{{- define "dbp.monitoring" -}}
{{- if eq (toString .setting) "auto" -}}
{{- if .root.Capabilities.APIVersions.Has "monitoring.coreos.com/v1" -}}true{{- end -}}
{{- else if eq (toString .setting) "true" -}}true{{- end -}}
{{- end -}}

{{/* PostgreSQL host and port, Kafka bootstrap servers and Redis hosts: in the release (evaluation) or external. */}}
{{- define "dbp.pgHost" -}}
{{- if .Values.evaluation.enabled -}}postgresql{{- else -}}{{ required "postgresql.host is required (or evaluation.enabled=true)" .Values.postgresql.host }}{{- end -}}
{{- end -}}
{{- define "dbp.pgQuery" -}}
{{- if .Values.evaluation.enabled -}}sslmode=disable{{- else -}}sslmode={{ .Values.postgresql.sslmode }}{{- end -}}
{{- end -}}
{{- define "dbp.kafka" -}}
{{- if .Values.evaluation.enabled -}}kafka:9092{{- else -}}{{ required "kafka.bootstrapServers is required (or evaluation.enabled=true)" .Values.kafka.bootstrapServers }}{{- end -}}
{{- end -}}
{{- define "dbp.redis" -}}
{{- if .Values.evaluation.enabled -}}redis://redis:6379{{- else -}}{{ required "redis.hosts is required (or evaluation.enabled=true)" .Values.redis.hosts }}{{- end -}}
{{- end -}}
{{- define "dbp.pgSecret" -}}
{{- if .Values.evaluation.enabled -}}postgresql-credentials{{- else -}}{{ required "postgresql.existingSecret is required (or evaluation.enabled=true)" .Values.postgresql.existingSecret }}{{- end -}}
{{- end -}}

{{/* The environment every service (and the migration Job) runs with: (dict "root" $ "name" "billing" "svc" ...) */}}
{{- define "dbp.env" -}}
{{- $root := .root -}}
{{- $pg := printf "%s:%v/%s?%s" (include "dbp.pgHost" $root) (ternary 5432 $root.Values.postgresql.port $root.Values.evaluation.enabled) $root.Values.postgresql.database (include "dbp.pgQuery" $root) -}}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  value: {{ printf "postgresql://%s" $pg | quote }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s" $pg | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom: {secretKeyRef: {name: {{ include "dbp.pgSecret" $root }}, key: username}}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ include "dbp.pgSecret" $root }}, key: password}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "dbp.kafka" $root | quote }}
- name: QUARKUS_REDIS_HOSTS
  value: {{ include "dbp.redis" $root | quote }}
{{- if and (not $root.Values.evaluation.enabled) $root.Values.redis.existingSecret }}
- name: QUARKUS_REDIS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $root.Values.redis.existingSecret }}, key: password}}
{{- end }}
- name: DBP_GATEWAY_URL
  value: "http://gateway:8080"
{{- range $key, $host := include "dbp.services" $root | fromYaml }}
{{- $upper := $host | upper | replace "-" "_" }}
- name: {{ $upper }}_URL
  value: {{ printf "http://%s:8080" $host | quote }}
- name: {{ $upper }}_GRPC_HOST
  value: {{ $host | quote }}
- name: {{ $upper }}_GRPC_PORT
  value: "8080"
{{- end }}
{{- if $root.Values.common.javaOpts }}
- name: JDK_JAVA_OPTIONS
  value: {{ $root.Values.common.javaOpts | quote }}
{{- end }}
- name: QUARKUS_SHUTDOWN_DELAY
  value: {{ $root.Values.common.shutdownDelay | quote }}
- name: QUARKUS_LOG_CONSOLE_JSON_ENABLED
  value: {{ $root.Values.common.logJson | quote }}
{{- if $root.Values.common.otlpEndpoint }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $root.Values.common.otlpEndpoint | quote }}
{{- else }}
- name: QUARKUS_OTEL_SDK_DISABLED
  value: "true"
{{- end }}
- name: KUBERNETES_NAMESPACE
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
{{- range $k, $v := merge (dict) (.svc.env | default dict) $root.Values.common.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- with .svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* envFrom of every service: the Kafka client settings of a managed Kafka */}}
{{- define "dbp.envFrom" -}}
{{- if and (not .Values.evaluation.enabled) .Values.kafka.existingSecret }}
envFrom:
  - secretRef: {name: {{ .Values.kafka.existingSecret }}}
{{- end }}
{{- end -}}

{{/*
Whether migrations run in hook Jobs: not in evaluation mode, where PostgreSQL is part of the release and does not
run before it (each service then migrates at start; Flyway's lock in PostgreSQL keeps replicas from racing).
*/}}
{{- define "dbp.migrationJobs" -}}
{{- if and .Values.migrations.enabled (not .Values.evaluation.enabled) -}}true{{- end -}}
{{- end -}}

{{/*
The gateway's trusted identity providers (values: identityProviders) as Quarkus properties: one OIDC tenant per
provider, picked by the token's issuer, and the platform's claim and role mapping. Map keys (group names) are quoted,
so dots in them stay part of the key, and escaped for the properties format.
*/}}
{{- define "dbp.identityProperties" -}}
# rendered by the chart from identityProviders; docs/identity.md
quarkus.oidc.resolve-tenants-with-issuer=true
{{- range .Values.identityProviders }}
{{- $n := .name }}
quarkus.oidc.{{ $n }}.auth-server-url={{ include "dbp.propertyValue" .issuer }}
quarkus.oidc.{{ $n }}.application-type=service
{{- with .audience }}
quarkus.oidc.{{ $n }}.token.audience={{ include "dbp.propertyValue" . }}
{{- end }}
{{- range $claim, $value := .requiredClaims }}
quarkus.oidc.{{ $n }}.token.required-claims."{{ include "dbp.propertyKey" $claim }}"={{ include "dbp.propertyValue" $value }}
{{- end }}
{{- if .tenant }}
dbp.gateway.idp.{{ $n }}.tenant={{ .tenant }}
{{- end }}
dbp.gateway.idp.{{ $n }}.tenant-claim={{ .tenantClaim | default "tenant" }}
dbp.gateway.idp.{{ $n }}.roles-claim={{ .rolesClaim | default "roles" }}
{{- with .tenants }}
dbp.gateway.idp.{{ $n }}.tenants={{ join "," . }}
{{- end }}
{{- range $group, $role := .roleMap }}
dbp.gateway.idp.{{ $n }}.role-map."{{ include "dbp.propertyKey" $group }}"={{ $role }}
{{- end }}
{{- end }}
{{- end -}}

{{/* A string as a key of a .properties file: backslash, whitespace, ':', '=', '#' and '!' escaped */}}
{{- define "dbp.propertyKey" -}}
{{- . | replace "\\" "\\\\" | replace " " "\\ " | replace "\t" "\\t" | replace ":" "\\:" | replace "=" "\\=" | replace "#" "\\#" | replace "!" "\\!" -}}
{{- end -}}

{{/* A string as a value of a .properties file: backslashes escaped */}}
{{- define "dbp.propertyValue" -}}
{{- . | replace "\\" "\\\\" -}}
{{- end -}}
