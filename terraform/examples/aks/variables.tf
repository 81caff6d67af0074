variable "subscription_id" {
  type        = string
  description = "Azure subscription to install into."
}

variable "location" {
  type        = string
  description = "Azure region to install into."
  default     = "westeurope"
}

variable "name" {
  type        = string
  description = "Name of the installation (AKS cluster name and resource prefix)."
  default     = "dbp-dev"
}

variable "environment" {
  type        = string
  description = "dev, staging or prod."
  default     = "dev"
}

variable "api_server_authorized_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the Kubernetes API; empty: any (Entra ID authentication only)."
  default     = []
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups given cluster-admin (the identity terraform runs as needs it too, to create Argo CD)."
  default     = []
}

variable "repo_url" {
  type        = string
  description = "Git repository Argo CD follows."
  default     = "https://github.com/defense-builders/platform"
}

variable "target_revision" {
  type        = string
  description = "Branch, tag or commit Argo CD follows."
  default     = "main"
}

variable "hostname" {
  type        = string
  description = "Public DNS name of the gateway (the chart's ingress.host); point it at the ingress controller's public address. Empty: the chart's default host."
  default     = ""

  validation {
    condition     = var.hostname == "" || can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.hostname))
    error_message = "hostname must be a lowercase DNS name."
  }
}
