variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project everything is created in."
}

variable "region" {
  type        = string
  description = "Region of the regional GKE cluster, Cloud SQL, Memorystore and Managed Kafka (e.g. europe-west1)."
}

variable "name" {
  type        = string
  description = "Name of the installation: prefixes every resource and names the GKE cluster."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 lowercase letters, digits and hyphens, starting with a letter (service account ids are short)."
  }
}

variable "environment" {
  type        = string
  description = "Environment this installation serves: dev, staging or prod (prod turns on regional HA for Cloud SQL and Memorystore and deletion protection)."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels (on top of dbp-environment and dbp-managed-by)."
  default     = {}
}

variable "enable_apis" {
  type        = bool
  description = "Enable the project services this module needs (container, sqladmin, redis, managedkafka, ...); turn off where a project factory owns them."
  default     = true
}

variable "network" {
  type = object({
    nodes_cidr                     = optional(string, "10.50.0.0/20")
    pods_cidr                      = optional(string, "10.52.0.0/14")
    services_cidr                  = optional(string, "10.56.0.0/20")
    master_cidr                    = optional(string, "172.16.0.0/28")
    data_cidr                      = optional(string, "10.50.16.0/24")
    private_services_prefix_length = optional(number, 16)
  })
  description = "Address plan: the nodes subnet with secondary ranges for pods and services, the control plane's /28, the data subnet where Managed Kafka attaches, and the size of the private services access range (Cloud SQL, Memorystore, Filestore)."
  default     = {}
}

variable "master_authorized_cidrs" {
  type        = map(string)
  description = "CIDRs (value) by display name (key) allowed to reach the Kubernetes API's public endpoint. Empty: the endpoint is private (reachable from the VPC only)."
  default     = {}
}

variable "release_channel" {
  type        = string
  description = "GKE release channel: RAPID, REGULAR or STABLE."
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "node_pools" {
  type = map(object({
    machine_type = string
    min_count    = number
    max_count    = number
    disk_size_gb = optional(number, 100)
    spot         = optional(bool, false)
    labels       = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = string
      effect = string
    })), [])
  }))
  description = "Node pools keyed by name; min_count and max_count are per zone. Nodes have private addresses only, Shielded VM and the GKE metadata server."
  default = {
    general = {
      machine_type = "e2-standard-4"
      min_count    = 1
      max_count    = 3
    }
  }

  validation {
    condition     = alltrue([for p in values(var.node_pools) : p.min_count <= p.max_count])
    error_message = "Each node pool needs min_count <= max_count."
  }
}

variable "postgres" {
  type = object({
    database_version      = optional(string, "POSTGRES_17")
    tier                  = optional(string, "db-custom-2-8192")
    disk_size_gb          = optional(number, 50)
    backup_retention_days = optional(number, 14)
    username              = optional(string, "dbp")
  })
  description = "Cloud SQL for PostgreSQL settings. The database is always named dbp (each service has its own schema in it)."
  default     = {}
}

variable "redis" {
  type = object({
    redis_version  = optional(string, "REDIS_7_2")
    memory_size_gb = optional(number, 2)
  })
  description = "Memorystore for Redis settings (AUTH and TLS on; STANDARD_HA tier in prod, BASIC elsewhere)."
  default     = {}
}

variable "kafka" {
  type = object({
    vcpu_count   = optional(number, 3)
    memory_bytes = optional(number, 3221225472)
  })
  description = "Managed Service for Apache Kafka capacity (vCPUs >= 3; 1-8 GiB of memory per vCPU)."
  default     = {}

  validation {
    condition     = var.kafka.vcpu_count >= 3 && var.kafka.memory_bytes >= var.kafka.vcpu_count * 1073741824 && var.kafka.memory_bytes <= var.kafka.vcpu_count * 8589934592
    error_message = "kafka needs vcpu_count >= 3 and between 1 and 8 GiB of memory_bytes per vCPU."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the GKE cluster and the Cloud SQL instance from deletion. Null: on in prod only."
  default     = null
}
