# Azure Workload Identity: a user-assigned identity per service with a federated credential that trusts exactly
# the ServiceAccount dbp/<service> of this cluster's OIDC issuer, and Storage Blob Data Contributor on its own
# container only. (The chart sets the pod label azure.workload.identity/use: "true".)

resource "azurerm_storage_account" "this" {
  name                              = "${substr(local.compact_name, 0, 18)}${random_string.suffix.result}"
  resource_group_name               = azurerm_resource_group.this.name
  location                          = azurerm_resource_group.this.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = local.prod ? "ZRS" : "LRS"
  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false # Entra ID only
  public_network_access_enabled     = false # the private endpoint in data.tf
  infrastructure_encryption_enabled = true
  tags                              = local.tags

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 14
    }

    container_delete_retention_policy {
      days = 14
    }
  }
}

resource "azurerm_management_lock" "storage" {
  count      = local.deletion_protection ? 1 : 0
  name       = "${var.name}-storage-no-delete"
  scope      = azurerm_storage_account.this.id
  lock_level = "CanNotDelete"
  notes      = "SDK artifacts and models (deletion_protection)."
}

# Created through the management plane (storage_account_id), which works with public network access off.
resource "azurerm_storage_container" "service" {
  for_each              = local.service_identities
  name                  = each.value.container
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

resource "azurerm_user_assigned_identity" "service" {
  for_each            = local.service_identities
  name                = "${var.name}-${each.value.service_account}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = merge(local.tags, { dbp-service = each.value.service_account })
}

resource "azurerm_federated_identity_credential" "service" {
  for_each            = local.service_identities
  name                = "${var.name}-${each.value.service_account}"
  resource_group_name = azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.service[each.key].id
  issuer              = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject             = "system:serviceaccount:${local.namespace}:${each.value.service_account}"
  audience            = ["api://AzureADTokenExchange"]
}

resource "azurerm_role_assignment" "service_blob" {
  for_each             = local.service_identities
  scope                = azurerm_storage_container.service[each.key].id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.service[each.key].principal_id
}
