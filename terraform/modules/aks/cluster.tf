resource "azurerm_user_assigned_identity" "cluster" {
  name                = "${var.name}-aks"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

resource "azurerm_role_assignment" "cluster_network" {
  scope                = azurerm_virtual_network.this.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

# --- Key Vault key for Secrets encryption (KMS) ----------------------------------------------------------------

resource "azurerm_key_vault" "this" {
  name                       = "${substr(local.compact_name, 0, 15)}${random_string.suffix.result}"
  resource_group_name        = azurerm_resource_group.this.name
  location                   = azurerm_resource_group.this.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "premium"
  enable_rbac_authorization  = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
  tags                       = local.tags
}

resource "azurerm_role_assignment" "deployer_key_vault" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault_key" "secrets" {
  count        = var.secrets_encryption ? 1 : 0
  name         = "aks-secrets"
  key_vault_id = azurerm_key_vault.this.id
  key_type     = "RSA-HSM"
  key_size     = 2048
  key_opts     = ["encrypt", "decrypt", "wrapKey", "unwrapKey"]
  tags         = local.tags

  rotation_policy {
    automatic {
      time_before_expiry = "P30D"
    }
    expire_after         = "P1Y"
    notify_before_expiry = "P29D"
  }

  depends_on = [azurerm_role_assignment.deployer_key_vault]
}

resource "azurerm_role_assignment" "cluster_key_vault" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Crypto User"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

# --- Cluster ---------------------------------------------------------------------------------------------------

resource "azurerm_kubernetes_cluster" "this" {
  name                              = var.name
  resource_group_name               = azurerm_resource_group.this.name
  location                          = azurerm_resource_group.this.location
  dns_prefix                        = var.name
  kubernetes_version                = var.kubernetes_version
  sku_tier                          = local.prod ? "Standard" : "Free"
  automatic_upgrade_channel         = "patch"
  node_os_upgrade_channel           = "NodeImage"
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true
  local_account_disabled            = true
  role_based_access_control_enabled = true
  azure_policy_enabled              = true
  tags                              = local.tags

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_node_pool.vm_size
    vnet_subnet_id               = azurerm_subnet.nodes.id
    zones                        = local.zones
    auto_scaling_enabled         = true
    min_count                    = var.system_node_pool.min_count
    max_count                    = var.system_node_pool.max_count
    only_critical_addons_enabled = true
    host_encryption_enabled      = true
    os_disk_type                 = "Ephemeral"
    temporary_name_for_rotation  = "systemtmp"
    tags                         = local.tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cluster.id]
  }

  azure_active_directory_role_based_access_control {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    azure_rbac_enabled = true
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium" # enforces the chart's NetworkPolicies
    outbound_type       = "userAssignedNATGateway"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "172.20.0.0/16"
    dns_service_ip      = "172.20.0.10"
  }

  dynamic "api_server_access_profile" {
    for_each = length(var.api_server_authorized_cidrs) > 0 ? [1] : []
    content {
      authorized_ip_ranges = var.api_server_authorized_cidrs
    }
  }

  dynamic "key_management_service" {
    for_each = var.secrets_encryption ? [1] : []
    content {
      key_vault_key_id         = azurerm_key_vault_key.secrets[0].id
      key_vault_network_access = "Public"
    }
  }

  storage_profile {
    file_driver_enabled         = true # azurefile-csi-premium: the ReadWriteMany class
    disk_driver_enabled         = true
    blob_driver_enabled         = false
    snapshot_controller_enabled = true
  }

  # The application routing add-on (managed NGINX, namespace app-routing-system, IngressClass
  # webapprouting.kubernetes.azure.com): the controller of the chart's Ingress (argocd/clouds/aks.yaml). No Azure DNS
  # zones are attached; point the hostname at the add-on's public IP yourself, or list zones here to let it manage
  # the records.
  web_app_routing {
    dns_zone_ids = []
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.this.id
    msi_auth_for_monitoring_enabled = true
  }

  lifecycle {
    ignore_changes = [default_node_pool[0].node_count, kubernetes_version]
  }

  depends_on = [
    azurerm_role_assignment.cluster_network,
    azurerm_role_assignment.cluster_key_vault,
    azurerm_subnet_nat_gateway_association.nodes,
  ]
}

resource "azurerm_kubernetes_cluster_node_pool" "this" {
  for_each                = var.node_pools
  name                    = each.key
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.this.id
  vm_size                 = each.value.vm_size
  vnet_subnet_id          = azurerm_subnet.nodes.id
  zones                   = local.zones
  auto_scaling_enabled    = true
  min_count               = each.value.min_count
  max_count               = each.value.max_count
  os_disk_size_gb         = each.value.os_disk_size
  host_encryption_enabled = true
  priority                = each.value.spot ? "Spot" : "Regular"
  eviction_policy         = each.value.spot ? "Delete" : null
  node_labels             = merge(each.value.labels, { "defensebuilders.io/node-pool" = each.key })
  node_taints             = each.value.taints
  tags                    = local.tags

  upgrade_settings {
    max_surge = "33%"
  }

  lifecycle {
    ignore_changes = [node_count]
  }
}

resource "azurerm_role_assignment" "cluster_admins" {
  for_each             = toset(var.admin_group_object_ids)
  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = each.value
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = var.name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}
