variable "cloud" {
  type        = string
  description = "Cloud the cluster runs in; becomes the label cloud on the Argo CD cluster Secret (ApplicationSets select on it)."

  validation {
    condition     = contains(["eks", "gke", "aks"], var.cloud)
    error_message = "cloud must be one of eks, gke, aks."
  }
}

variable "environment" {
  type        = string
  description = "Environment of the cluster; becomes the label env on the Argo CD cluster Secret."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the cluster as Argo CD shows it (the name key of the cluster Secret)."
}

variable "chart_values" {
  type        = any
  description = "The cloud module's chart_values output: stored as YAML in the cluster Secret's annotation defensebuilders.io/chart-values, which the ApplicationSet passes to the defense-builders chart."
}

variable "data_secrets" {
  type = object({
    postgresql = object({ username = string, password = string })
    redis      = object({ password = string })
    kafka      = map(string)
  })
  description = "The cloud module's data_secrets output: written to the Secrets dbp-postgresql, dbp-redis and dbp-kafka in the namespace dbp."
  sensitive   = true
}

variable "storage_classes" {
  type = list(object({
    name                = string
    provisioner         = string
    reclaim_policy      = optional(string, "Delete")
    volume_binding_mode = optional(string, "Immediate")
    mount_options       = optional(list(string), [])
    parameters          = optional(map(string), {})
  }))
  description = "StorageClasses to create (the cloud module's storage_classes output, e.g. dbp-rwx on EKS and GKE)."
  default     = []
}

variable "argocd_chart_version" {
  type        = string
  description = "Version of the argo-cd Helm chart (argo-helm; 9.x installs Argo CD 3.x)."
  default     = "9.3.4"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.argocd_chart_version))
    error_message = "argocd_chart_version must be an exact version (x.y.z), never a range."
  }
}

variable "argocd_apps_chart_version" {
  type        = string
  description = "Version of the argocd-apps Helm chart (argo-helm) that creates the bootstrap Application."
  default     = "2.0.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.argocd_apps_chart_version))
    error_message = "argocd_apps_chart_version must be an exact version (x.y.z), never a range."
  }
}

variable "argocd_values" {
  type        = string
  description = "Extra values (YAML) for the argo-cd chart, merged over this module's own (ingress, SSO, HA replicas ...)."
  default     = ""
}

variable "repo_url" {
  type        = string
  description = "Git repository the bootstrap Application follows (its path argocd/apps)."
  default     = "https://github.com/defense-builders/platform"

  validation {
    condition     = can(regex("^(https://|ssh://|git@)", var.repo_url))
    error_message = "repo_url must be an https://, ssh:// or git@ repository URL."
  }
}

variable "target_revision" {
  type        = string
  description = "Branch, tag or commit of repo_url the bootstrap Application follows."
  default     = "main"
}
