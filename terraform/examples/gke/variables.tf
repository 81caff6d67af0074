variable "project_id" {
  type        = string
  description = "Google Cloud project to install into."
}

variable "region" {
  type        = string
  description = "Region to install into."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Name of the installation (GKE cluster name and resource prefix)."
  default     = "dbp-dev"
}

variable "environment" {
  type        = string
  description = "dev, staging or prod."
  default     = "dev"
}

variable "master_authorized_cidrs" {
  type        = map(string)
  description = "CIDRs by name allowed to reach the Kubernetes API (where terraform runs, unless it runs inside the VPC)."
  default     = {}
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
