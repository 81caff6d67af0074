output "cluster_name" {
  description = "GKE cluster name (gcloud container clusters get-credentials <this> --region <region>)."
  value       = module.gke.cluster_name
}

output "chart_values" {
  description = "Values the ApplicationSet passes to the defense-builders chart (also on the in-cluster Secret's annotation)."
  value       = local.chart_values
}

output "object_buckets" {
  description = "GCS buckets of sdk-registry (artifacts) and inference (models)."
  value       = module.gke.object_buckets
}

output "bootstrap_application" {
  description = "The Argo CD Application that syncs argocd/apps."
  value       = module.argocd_bootstrap.bootstrap_application
}
