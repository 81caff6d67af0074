data "azurerm_client_config" "current" {}

locals {
  prod                = var.environment == "prod"
  deletion_protection = coalesce(var.deletion_protection, local.prod)
  zones               = ["1", "2", "3"]

  tags = merge(var.tags, {
    dbp-environment = var.environment
    dbp-managed-by  = "terraform"
  })

  namespace = "dbp"

  # Services that need cloud access, keyed by their values block in the chart: a user-assigned identity each,
  # federated with the Kubernetes ServiceAccount dbp/<service>, with data access to its own blob container only.
  service_identities = {
    sdkRegistry = { service_account = "sdk-registry", container = "artifacts" }
    inference   = { service_account = "inference", container = "models" }
  }

  # Key Vault and storage account names are global and short.
  compact_name = replace(var.name, "-", "")
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

resource "azurerm_resource_group" "this" {
  name     = "${var.name}-rg"
  location = var.location
  tags     = local.tags
}
