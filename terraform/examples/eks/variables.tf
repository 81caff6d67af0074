variable "region" {
  type        = string
  description = "AWS region to install into."
  default     = "us-east-1"
}

variable "name" {
  type        = string
  description = "Name of the installation (EKS cluster name and resource prefix)."
  default     = "dbp-dev"
}

variable "environment" {
  type        = string
  description = "dev, staging or prod."
  default     = "dev"
}

variable "endpoint_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the Kubernetes API from outside the VPC (where terraform runs, unless it runs inside the VPC)."
  default     = []
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "IAM roles or users given cluster-admin."
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
