output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name <this>)."
  value       = module.eks.cluster_name
}

output "chart_values" {
  description = "Values the ApplicationSet passes to the defense-builders chart (also on the in-cluster Secret's annotation)."
  value       = local.chart_values
}

output "object_buckets" {
  description = "S3 buckets of sdk-registry (artifacts) and inference (models)."
  value       = module.eks.object_buckets
}

output "bootstrap_application" {
  description = "The Argo CD Application that syncs argocd/apps."
  value       = module.argocd_bootstrap.bootstrap_application
}

output "load_balancer_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller (IRSA)."
  value       = module.eks.load_balancer_controller_role_arn
}
