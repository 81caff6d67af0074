output "cluster_name" {
  description = "AKS cluster name (az aks get-credentials --name <this> --resource-group <resource_group_name>)."
  value       = module.aks.cluster_name
}

output "resource_group_name" {
  description = "Resource group of the installation."
  value       = module.aks.resource_group_name
}

output "chart_values" {
  description = "Values the ApplicationSet passes to the defense-builders chart (also on the in-cluster Secret's annotation)."
  value       = local.chart_values
}

output "object_containers" {
  description = "Blob containers of sdk-registry (artifacts) and inference (models)."
  value       = module.aks.object_containers
}

output "bootstrap_application" {
  description = "The Argo CD Application that syncs argocd/apps."
  value       = module.argocd_bootstrap.bootstrap_application
}
