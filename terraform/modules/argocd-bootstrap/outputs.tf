output "argocd_namespace" {
  description = "Namespace Argo CD runs in."
  value       = helm_release.argocd.namespace
}

output "bootstrap_application" {
  description = "Name and source of the bootstrap Application."
  value = {
    name   = local.bootstrap_manifest.metadata.name
    source = local.bootstrap_source
  }
}

output "namespace" {
  description = "Namespace of the platform, holding the Secrets dbp-postgresql, dbp-redis and dbp-kafka."
  value       = kubernetes_namespace_v1.dbp.metadata[0].name
}
