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

variable "hostname" {
  type        = string
  description = "Public DNS name of the gateway (the chart's ingress.host); point it (CNAME or alias) at the ALB's address. Empty: the chart's default host."
  default     = ""

  validation {
    condition     = var.hostname == "" || can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.hostname))
    error_message = "hostname must be a lowercase DNS name."
  }
}

variable "certificate_arn" {
  type        = string
  description = "ARN of the ACM certificate for hostname, set as the Ingress's alb.ingress.kubernetes.io/certificate-arn annotation. Empty: the AWS Load Balancer Controller discovers an ACM certificate matching the Ingress host."
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}
