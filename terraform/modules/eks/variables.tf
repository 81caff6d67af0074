variable "name" {
  type        = string
  description = "Name of the installation: prefixes every resource and names the EKS cluster."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment this installation serves: dev, staging or prod (prod turns on Multi-AZ, deletion protection and final snapshots)."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource (on top of Name, dbp:environment and dbp:managed-by)."
  default     = {}
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the VPC; split into public, private (nodes) and data subnets, one of each per availability zone."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 18
    error_message = "vpc_cidr must be a valid CIDR of size /18 or larger."
  }
}

variable "availability_zone_count" {
  type        = number
  description = "How many availability zones to spread subnets, nodes and data services over."
  default     = 3

  validation {
    condition     = var.availability_zone_count >= 2 && var.availability_zone_count <= 4
    error_message = "availability_zone_count must be between 2 and 4 (RDS and MSK need at least two zones)."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "One NAT gateway for all zones (cheaper) instead of one per zone (zone-redundant egress). Null: single outside prod."
  default     = null
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes version (major.minor)."
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.34."
  }
}

variable "endpoint_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the public Kubernetes API endpoint; an empty list makes the endpoint private only (reach it from inside the VPC)."
  default     = []
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "IAM principal ARNs (roles or users) given cluster-admin through EKS access entries, besides the identity that creates the cluster."
  default     = []
}

variable "node_pools" {
  type = map(object({
    instance_types = list(string)
    capacity_type  = optional(string, "ON_DEMAND")
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = optional(number, 100)
    labels         = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
  }))
  description = "Managed node groups keyed by name. Nodes run in the private subnets with IMDSv2 enforced and encrypted gp3 root volumes."
  default = {
    general = {
      instance_types = ["m6i.xlarge"]
      min_size       = 3
      max_size       = 6
      desired_size   = 3
    }
  }

  validation {
    condition     = alltrue([for p in values(var.node_pools) : contains(["ON_DEMAND", "SPOT"], p.capacity_type) && p.min_size <= p.desired_size && p.desired_size <= p.max_size])
    error_message = "Each node pool needs capacity_type ON_DEMAND or SPOT and min_size <= desired_size <= max_size."
  }
}

variable "postgres" {
  type = object({
    engine_version        = optional(string, "17")
    instance_class        = optional(string, "db.m6g.large")
    allocated_storage_gb  = optional(number, 50)
    max_storage_gb        = optional(number, 500)
    backup_retention_days = optional(number, 14)
    username              = optional(string, "dbp")
  })
  description = "RDS for PostgreSQL settings. The database is always named dbp (each service has its own schema in it)."
  default     = {}

  validation {
    condition     = var.postgres.backup_retention_days >= 1 && var.postgres.backup_retention_days <= 35
    error_message = "postgres.backup_retention_days must be between 1 and 35."
  }
}

variable "redis" {
  type = object({
    engine_version = optional(string, "7.1")
    node_type      = optional(string, "cache.m7g.large")
    replicas       = optional(number, 1)
  })
  description = "ElastiCache for Redis settings (a replication group with TLS and an AUTH token; replicas > 0 enables automatic failover)."
  default     = {}
}

variable "kafka" {
  type = object({
    kafka_version        = optional(string, "3.8.x")
    broker_instance_type = optional(string, "kafka.m7g.large")
    brokers_per_zone     = optional(number, 1)
    volume_size_gb       = optional(number, 100)
  })
  description = "Amazon MSK settings (TLS in transit, SASL/SCRAM authentication on port 9096)."
  default     = {}
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the database (and its final snapshot) from deletion. Null: on in prod only."
  default     = null
}

variable "load_balancer_controller_version" {
  type        = string
  description = "AWS Load Balancer Controller release (a git tag of kubernetes-sigs/aws-load-balancer-controller) whose IAM policy the controller's role gets; install the Helm chart of the same release (chart 1.x.y = controller v2.x.y)."
  default     = "v2.13.3"

  validation {
    condition     = can(regex("^v2\\.[0-9]+\\.[0-9]+$", var.load_balancer_controller_version))
    error_message = "load_balancer_controller_version must be a v2 release tag like v2.13.3."
  }
}
