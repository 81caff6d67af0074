provider "google" {
  project = var.project_id
  region  = var.region
}

# The Kubernetes and Helm providers use gke-gcloud-auth-plugin (installed with the gcloud CLI) for short-lived
# tokens of the identity terraform runs as.
provider "kubernetes" {
  host                   = module.gke.cluster_endpoint
  cluster_ca_certificate = module.gke.cluster_ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "gke-gcloud-auth-plugin"
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.gke.cluster_endpoint
    cluster_ca_certificate = module.gke.cluster_ca_certificate
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "gke-gcloud-auth-plugin"
    }
  }
}

module "gke" {
  source = "../../modules/gke"

  project_id              = var.project_id
  region                  = var.region
  name                    = var.name
  environment             = var.environment
  master_authorized_cidrs = var.master_authorized_cidrs
  labels                  = { dbp-example = "gke" }
}

# The public name of the gateway: the host of the chart's Ingress.
# TLS: set ingress.tlsSecret (argocd/environments or argocd/clouds) to a Secret with the certificate, e.g. one that
# cert-manager issues; see terraform/README.md. The module's chart_values has no ingress key, so a shallow merge()
# is enough.
locals {
  chart_values = merge(
    module.gke.chart_values,
    { for k, v in { ingress = { host = var.hostname } } : k => v if var.hostname != "" },
  )
}

module "argocd_bootstrap" {
  source = "../../modules/argocd-bootstrap"

  cloud           = "gke"
  environment     = var.environment
  cluster_name    = module.gke.cluster_name
  chart_values    = local.chart_values
  data_secrets    = module.gke.data_secrets
  storage_classes = module.gke.storage_classes
  repo_url        = var.repo_url
  target_revision = var.target_revision

  depends_on = [module.gke]
}
