# PostgreSQL is VNet-integrated (its delegated subnet); Redis, Event Hubs and the blob store are reached through
# private endpoints with public network access off. Azure encrypts all of them at rest; each refuses non-TLS.

locals {
  postgres_port = 5432
  redis_port    = 6380 # TLS port; the plain port stays off
  kafka_port    = 9093 # Event Hubs' Kafka endpoint (SASL PLAIN over TLS)
}

# --- PostgreSQL ------------------------------------------------------------------------------------------------

resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                          = "${var.name}-${random_string.suffix.result}"
  resource_group_name           = azurerm_resource_group.this.name
  location                      = azurerm_resource_group.this.location
  version                       = var.postgres.version
  sku_name                      = var.postgres.sku_name
  storage_mb                    = var.postgres.storage_mb
  auto_grow_enabled             = true
  backup_retention_days         = var.postgres.backup_retention_days
  geo_redundant_backup_enabled  = local.prod
  delegated_subnet_id           = azurerm_subnet.postgres.id
  private_dns_zone_id           = azurerm_private_dns_zone.this["postgres"].id
  public_network_access_enabled = false
  administrator_login           = var.postgres.username
  administrator_password        = random_password.postgres.result
  zone                          = "1"
  tags                          = local.tags

  dynamic "high_availability" {
    for_each = local.prod ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }
  }

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.this]
}

resource "azurerm_postgresql_flexible_server_configuration" "require_tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = "on"
}

resource "azurerm_postgresql_flexible_server_database" "dbp" {
  name      = "dbp"
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_management_lock" "postgres" {
  count      = local.deletion_protection ? 1 : 0
  name       = "${var.name}-postgres-no-delete"
  scope      = azurerm_postgresql_flexible_server.this.id
  lock_level = "CanNotDelete"
  notes      = "Defense Builders Platform database (deletion_protection)."
}

# --- Redis -----------------------------------------------------------------------------------------------------

resource "azurerm_redis_cache" "this" {
  name                          = "${var.name}-${random_string.suffix.result}"
  resource_group_name           = azurerm_resource_group.this.name
  location                      = azurerm_resource_group.this.location
  sku_name                      = var.redis.sku_name
  family                        = var.redis.family
  capacity                      = var.redis.capacity
  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  zones                         = var.redis.sku_name == "Premium" && local.prod ? local.zones : null
  tags                          = local.tags

  redis_configuration {
    authentication_enabled = true
  }
}

# --- Kafka (Event Hubs) ----------------------------------------------------------------------------------------

resource "azurerm_eventhub_namespace" "this" {
  name                          = "${var.name}-${random_string.suffix.result}"
  resource_group_name           = azurerm_resource_group.this.name
  location                      = azurerm_resource_group.this.location
  sku                           = var.event_hubs.sku
  capacity                      = var.event_hubs.capacity
  auto_inflate_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  local_authentication_enabled  = true # SASL PLAIN with a connection string
  tags                          = local.tags
}

# Listen and send, plus manage: Kafka clients create topics (event hubs) on first use.
resource "azurerm_eventhub_namespace_authorization_rule" "dbp" {
  name                = "dbp"
  namespace_name      = azurerm_eventhub_namespace.this.name
  resource_group_name = azurerm_resource_group.this.name
  listen              = true
  send                = true
  manage              = true
}

# --- Private endpoints -----------------------------------------------------------------------------------------

locals {
  private_endpoints = {
    redis    = { resource_id = azurerm_redis_cache.this.id, subresource = "redisCache", zone = "redis" }
    eventhub = { resource_id = azurerm_eventhub_namespace.this.id, subresource = "namespace", zone = "eventhub" }
    blob     = { resource_id = azurerm_storage_account.this.id, subresource = "blob", zone = "blob" }
  }
}

resource "azurerm_private_endpoint" "this" {
  for_each            = local.private_endpoints
  name                = "${var.name}-${each.key}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  subnet_id           = azurerm_subnet.private_endpoints.id
  tags                = local.tags

  private_service_connection {
    name                           = "${var.name}-${each.key}"
    private_connection_resource_id = each.value.resource_id
    subresource_names              = [each.value.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = each.key
    private_dns_zone_ids = [azurerm_private_dns_zone.this[each.value.zone].id]
  }
}
