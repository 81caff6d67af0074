locals {
  nodes_cidr             = cidrsubnet(var.vnet_cidr, 4, 0)
  postgres_cidr          = cidrsubnet(var.vnet_cidr, 8, 16)
  private_endpoints_cidr = cidrsubnet(var.vnet_cidr, 8, 17)

  # Private DNS zones for the private endpoints (the PostgreSQL zone is the one for VNet-integrated servers).
  private_dns_zones = {
    postgres = "${var.name}.private.postgres.database.azure.com"
    redis    = "privatelink.redis.cache.windows.net"
    eventhub = "privatelink.servicebus.windows.net"
    blob     = "privatelink.blob.core.windows.net"
  }
}

resource "azurerm_virtual_network" "this" {
  name                = var.name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  address_space       = [var.vnet_cidr]
  tags                = local.tags
}

resource "azurerm_subnet" "nodes" {
  name                            = "nodes"
  resource_group_name             = azurerm_resource_group.this.name
  virtual_network_name            = azurerm_virtual_network.this.name
  address_prefixes                = [local.nodes_cidr]
  default_outbound_access_enabled = false
}

resource "azurerm_subnet" "postgres" {
  name                            = "postgres"
  resource_group_name             = azurerm_resource_group.this.name
  virtual_network_name            = azurerm_virtual_network.this.name
  address_prefixes                = [local.postgres_cidr]
  default_outbound_access_enabled = false

  delegation {
    name = "postgres-flexible-server"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "private_endpoints" {
  name                              = "private-endpoints"
  resource_group_name               = azurerm_resource_group.this.name
  virtual_network_name              = azurerm_virtual_network.this.name
  address_prefixes                  = [local.private_endpoints_cidr]
  default_outbound_access_enabled   = false
  private_endpoint_network_policies = "Enabled"
}

# Egress of the nodes through a NAT gateway (stable outbound addresses, no public IPs on nodes).
resource "azurerm_public_ip" "nat" {
  name                = "${var.name}-nat"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = local.zones
  tags                = local.tags
}

resource "azurerm_nat_gateway" "this" {
  name                = var.name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku_name            = "Standard"
  tags                = local.tags
}

resource "azurerm_nat_gateway_public_ip_association" "this" {
  nat_gateway_id       = azurerm_nat_gateway.this.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "nodes" {
  subnet_id      = azurerm_subnet.nodes.id
  nat_gateway_id = azurerm_nat_gateway.this.id
}

resource "azurerm_private_dns_zone" "this" {
  for_each            = local.private_dns_zones
  name                = each.value
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each              = local.private_dns_zones
  name                  = "${var.name}-${each.key}"
  resource_group_name   = azurerm_resource_group.this.name
  private_dns_zone_name = azurerm_private_dns_zone.this[each.key].name
  virtual_network_id    = azurerm_virtual_network.this.id
  tags                  = local.tags
}
