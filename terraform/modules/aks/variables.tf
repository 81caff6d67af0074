variable "name" {
  type        = string
  description = "Name of the installation: prefixes every resource and names the AKS cluster (globally unique names get a random suffix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3-20 lowercase letters, digits and hyphens, starting with a letter (Key Vault and storage names are short)."
  }
}

variable "environment" {
  type        = string
  description = "Environment this installation serves: dev, staging or prod (prod turns on zone-redundant HA, the Standard AKS tier and delete locks)."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "location" {
  type        = string
  description = "Azure region (e.g. westeurope)."
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource (on top of dbp-environment and dbp-managed-by)."
  default     = {}
}

variable "vnet_cidr" {
  type        = string
  description = "Address space of the virtual network; split into nodes, PostgreSQL (delegated) and private endpoint subnets. Pods use an overlay range outside it."
  default     = "10.60.0.0/16"

  validation {
    condition     = can(cidrhost(var.vnet_cidr, 0)) && tonumber(split("/", var.vnet_cidr)[1]) <= 20
    error_message = "vnet_cidr must be a valid CIDR of size /20 or larger."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "AKS Kubernetes version (major.minor); patch upgrades follow the automatic upgrade channel."
  default     = "1.34"
}

variable "api_server_authorized_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the Kubernetes API server. Empty: any address (authentication is Entra ID only, local accounts are off)."
  default     = []
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID group object ids that get the Azure Kubernetes Service RBAC Cluster Admin role on the cluster."
  default     = []
}

variable "system_node_pool" {
  type = object({
    vm_size   = optional(string, "Standard_D4ds_v5")
    min_count = optional(number, 3)
    max_count = optional(number, 5)
  })
  description = "The system node pool (critical add-ons only)."
  default     = {}
}

variable "node_pools" {
  type = map(object({
    vm_size      = string
    min_count    = number
    max_count    = number
    os_disk_size = optional(number, 128)
    spot         = optional(bool, false)
    labels       = optional(map(string), {})
    taints       = optional(list(string), [])
  }))
  description = "User node pools keyed by name (1-12 lowercase letters and digits), autoscaled across the region's zones."
  default = {
    general = {
      vm_size   = "Standard_D4ds_v5"
      min_count = 2
      max_count = 6
    }
  }

  validation {
    condition     = alltrue([for k, p in var.node_pools : can(regex("^[a-z][a-z0-9]{0,11}$", k)) && p.min_count <= p.max_count])
    error_message = "Node pool names must be 1-12 lowercase letters and digits starting with a letter, with min_count <= max_count."
  }
}

variable "secrets_encryption" {
  type        = bool
  description = "Encrypt Kubernetes Secrets with a Key Vault key (AKS KMS etcd encryption) in addition to the platform's encryption at rest."
  default     = true
}

variable "postgres" {
  type = object({
    version               = optional(string, "16")
    sku_name              = optional(string, "GP_Standard_D2ds_v5")
    storage_mb            = optional(number, 65536)
    backup_retention_days = optional(number, 14)
    username              = optional(string, "dbp")
  })
  description = "Azure Database for PostgreSQL Flexible Server settings. The database is always named dbp (each service has its own schema in it)."
  default     = {}

  validation {
    condition     = var.postgres.backup_retention_days >= 7 && var.postgres.backup_retention_days <= 35
    error_message = "postgres.backup_retention_days must be between 7 and 35."
  }
}

variable "redis" {
  type = object({
    sku_name = optional(string, "Premium")
    family   = optional(string, "P")
    capacity = optional(number, 1)
  })
  description = "Azure Cache for Redis settings (TLS 1.2 on port 6380 only, reached through a private endpoint)."
  default     = {}
}

variable "event_hubs" {
  type = object({
    sku      = optional(string, "Standard")
    capacity = optional(number, 2)
  })
  description = "Event Hubs namespace used through its Kafka endpoint (port 9093, SASL PLAIN over TLS); Standard or Premium."
  default     = {}

  validation {
    condition     = contains(["Standard", "Premium"], var.event_hubs.sku)
    error_message = "event_hubs.sku must be Standard or Premium (Basic has no Kafka endpoint)."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Put CanNotDelete locks on the PostgreSQL server and the storage account. Null: on in prod only."
  default     = null
}
