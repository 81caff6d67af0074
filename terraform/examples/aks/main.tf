provider "azurerm" {
  subscription_id     = var.subscription_id
  storage_use_azuread = true # the storage account has shared keys off

  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

# Local accounts are off: the Kubernetes and Helm providers get Entra ID tokens from kubelogin, reusing the
# Azure CLI login terraform runs with.
provider "kubernetes" {
  host                   = module.aks.cluster_endpoint
  cluster_ca_certificate = module.aks.cluster_ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    # 6dae42f8-4368-4678-94ff-3960e28e3630: the AKS AAD server application, the same in every tenant
    args = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.aks.cluster_endpoint
    cluster_ca_certificate = module.aks.cluster_ca_certificate
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "kubelogin"
      args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
    }
  }
}

module "aks" {
  source = "../../modules/aks"

  name                        = var.name
  environment                 = var.environment
  location                    = var.location
  api_server_authorized_cidrs = var.api_server_authorized_cidrs
  admin_group_object_ids      = var.admin_group_object_ids
  tags                        = { dbp-example = "aks" }
}

# The public name of the gateway: the host of the application routing add-on's Ingress (className webapprouting.kubernetes.azure.com, argocd/clouds/aks.yaml).
# TLS: set ingress.tlsSecret (argocd/environments or argocd/clouds) to a Secret that cert-manager issues or that
# comes from Key Vault; see terraform/README.md. The module's chart_values has no ingress key, so a shallow merge()
# is enough.
locals {
  chart_values = merge(
    module.aks.chart_values,
    { for k, v in { ingress = { host = var.hostname } } : k => v if var.hostname != "" },
  )
}

module "argocd_bootstrap" {
  source = "../../modules/argocd-bootstrap"

  cloud           = "aks"
  environment     = var.environment
  cluster_name    = module.aks.cluster_name
  chart_values    = local.chart_values
  data_secrets    = module.aks.data_secrets
  storage_classes = module.aks.storage_classes
  repo_url        = var.repo_url
  target_revision = var.target_revision

  depends_on = [module.aks]
}
