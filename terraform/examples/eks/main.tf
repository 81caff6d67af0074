provider "aws" {
  region = var.region

  default_tags {
    tags = { "dbp:installation" = var.name }
  }
}

# The Kubernetes and Helm providers talk to the cluster the eks module creates, with a short-lived token from
# `aws eks get-token` (the AWS CLI must be on PATH where terraform runs).
provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = module.eks.cluster_ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", module.eks.region]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = module.eks.cluster_ca_certificate
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", module.eks.region]
    }
  }
}

module "eks" {
  source = "../../modules/eks"

  name                         = var.name
  environment                  = var.environment
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs
  cluster_admin_principal_arns = var.cluster_admin_principal_arns
  tags                         = { "dbp:example" = "eks" }
}

module "argocd_bootstrap" {
  source = "../../modules/argocd-bootstrap"

  cloud           = "eks"
  environment     = var.environment
  cluster_name    = module.eks.cluster_name
  chart_values    = module.eks.chart_values
  data_secrets    = module.eks.data_secrets
  storage_classes = module.eks.storage_classes
  repo_url        = var.repo_url
  target_revision = var.target_revision

  # Add-ons (CSI drivers, CoreDNS) before Argo CD schedules anything.
  depends_on = [module.eks]
}
