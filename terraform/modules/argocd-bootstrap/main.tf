locals {
  namespace = "dbp"

  # The bootstrap Application as the repository defines it (argocd/bootstrap.yaml), with its source pointed at
  # var.repo_url / var.target_revision (a fork's repository, a release tag)
  bootstrap_manifest = yamldecode(file("${path.module}/../../../argocd/bootstrap.yaml"))
  bootstrap_source = merge(local.bootstrap_manifest.spec.source, {
    repoURL        = var.repo_url
    targetRevision = var.target_revision
  })

  # argocd-apps takes Applications as a map keyed by name, each holding its spec plus namespace, finalizers and labels.
  bootstrap_app_values = {
    applications = {
      (local.bootstrap_manifest.metadata.name) = merge(local.bootstrap_manifest.spec, {
        namespace        = try(local.bootstrap_manifest.metadata.namespace, "argocd")
        finalizers       = try(local.bootstrap_manifest.metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"])
        additionalLabels = try(local.bootstrap_manifest.metadata.labels, {})
        source           = local.bootstrap_source
      })
    }
  }
}

# --- Argo CD ---------------------------------------------------------------------------------------------------

resource "helm_release" "argocd" {
  name             = "argocd"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = var.argocd_chart_version
  namespace        = "argocd"
  create_namespace = true
  atomic           = true
  timeout          = 900

  values = compact([
    yamlencode({
      crds = { keep = true }
      configs = {
        cm = { "exec.enabled" = false }
      }
      global = {
        networkPolicy = { create = true }
      }
    }),
    var.argocd_values,
  ])
}

# The bootstrap Application through the argocd-apps chart: a helm_release needs no CRD at plan time, where a
# kubernetes_manifest of kind Application would fail to plan before Argo CD (and its CRDs) exists.
resource "helm_release" "bootstrap" {
  name       = "dbp-bootstrap"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argocd-apps"
  version    = var.argocd_apps_chart_version
  namespace  = "argocd"
  atomic     = true

  values = [yamlencode(local.bootstrap_app_values)]

  depends_on = [
    helm_release.argocd,
    kubernetes_secret_v1.cluster,
    kubernetes_secret_v1.postgresql,
    kubernetes_secret_v1.redis,
    kubernetes_secret_v1.kafka,
    kubernetes_storage_class_v1.this,
  ]
}

# --- The in-cluster destination, labelled for the ApplicationSets ----------------------------------------------

resource "kubernetes_secret_v1" "cluster" {
  metadata {
    name      = "in-cluster"
    namespace = "argocd"
    labels = {
      "argocd.argoproj.io/secret-type" = "cluster"
      "cloud"                          = var.cloud
      "env"                            = var.environment
    }
    annotations = {
      "defensebuilders.io/chart-values" = yamlencode(var.chart_values)
    }
  }

  data = {
    name   = var.cluster_name
    server = "https://kubernetes.default.svc"
    config = jsonencode({ tlsClientConfig = { insecure = false } })
  }

  depends_on = [helm_release.argocd]
}

# --- The platform's namespace, its data service credentials and storage classes --------------------------------

resource "kubernetes_namespace_v1" "dbp" {
  metadata {
    name = local.namespace
    labels = {
      "app.kubernetes.io/part-of"        = "defense-builders"
      "pod-security.kubernetes.io/warn"  = "restricted"
      "pod-security.kubernetes.io/audit" = "restricted"
    }
  }
}

resource "kubernetes_secret_v1" "postgresql" {
  metadata {
    name      = "dbp-postgresql"
    namespace = kubernetes_namespace_v1.dbp.metadata[0].name
  }
  data = {
    username = var.data_secrets.postgresql.username
    password = var.data_secrets.postgresql.password
  }
}

resource "kubernetes_secret_v1" "redis" {
  metadata {
    name      = "dbp-redis"
    namespace = kubernetes_namespace_v1.dbp.metadata[0].name
  }
  data = {
    password = var.data_secrets.redis.password
  }
}

resource "kubernetes_secret_v1" "kafka" {
  metadata {
    name      = "dbp-kafka"
    namespace = kubernetes_namespace_v1.dbp.metadata[0].name
  }
  data = var.data_secrets.kafka
}

resource "kubernetes_storage_class_v1" "this" {
  for_each               = { for sc in var.storage_classes : sc.name => sc }
  storage_provisioner    = each.value.provisioner
  reclaim_policy         = each.value.reclaim_policy
  volume_binding_mode    = each.value.volume_binding_mode
  allow_volume_expansion = true
  mount_options          = each.value.mount_options
  parameters             = each.value.parameters

  metadata {
    name = each.key
  }
}
