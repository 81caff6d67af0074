provider "aws" {
  region = var.region

  default_tags {
    tags = { "dbp:installation" = var.name }
  }
}

# The Kubernetes and Helm providers talk to the cluster the eks module creates, with a short-lived token from
# `aws eks get-token` (the AWS CLI must be on PATH where terraform runs).
provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = module.eks.cluster_ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", module.eks.region]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = module.eks.cluster_ca_certificate
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", module.eks.region]
    }
  }
}

module "eks" {
  source = "../../modules/eks"

  name                         = var.name
  environment                  = var.environment
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs
  cluster_admin_principal_arns = var.cluster_admin_principal_arns
  tags                         = { "dbp:example" = "eks" }

  load_balancer_controller_version = local.load_balancer_controller.app_version
}

locals {
  # One pin for both halves of the AWS Load Balancer Controller: the module's IAM policy (app_version, a git tag) and
  # the Helm chart below (chart 1.x.y ships controller v2.x.y). Bump them together.
  load_balancer_controller = {
    app_version   = "v2.13.3"
    chart_version = "1.13.3"
  }

  # The public name of the gateway and its ACM certificate. argocd/clouds/eks.yaml has the rest of the Ingress
  # (className alb, scheme, target type, HTTPS 443, health checks); Helm merges the annotations map key by key, so
  # only the certificate annotation is added here. Without it, the controller looks for an ACM certificate matching
  # the Ingress host. The module's chart_values has no ingress key, so a shallow merge() is enough.
  ingress_values = merge(
    { for k, v in { host = var.hostname } : k => v if v != "" },
    { for k, v in { annotations = { "alb.ingress.kubernetes.io/certificate-arn" = var.certificate_arn } } : k => v if var.certificate_arn != "" },
  )

  chart_values = merge(
    module.eks.chart_values,
    { for k, v in { ingress = local.ingress_values } : k => v if var.hostname != "" || var.certificate_arn != "" },
  )
}

# The AWS Load Balancer Controller turns the chart's Ingress into an internet-facing ALB. region and vpcId are set
# because IMDSv2's hop limit of 1 keeps pods from reading them from the instance metadata.
resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = local.load_balancer_controller.chart_version
  wait       = true

  values = [yamlencode({
    clusterName = module.eks.cluster_name
    region      = module.eks.region
    vpcId       = module.eks.vpc_id
    serviceAccount = {
      create      = true
      name        = module.eks.load_balancer_controller_service_account
      annotations = { "eks.amazonaws.com/role-arn" = module.eks.load_balancer_controller_role_arn }
    }
  })]

  # Nodes and CoreDNS first (the module's add-ons wait for the node groups).
  depends_on = [module.eks]
}

module "argocd_bootstrap" {
  source = "../../modules/argocd-bootstrap"

  cloud           = "eks"
  environment     = var.environment
  cluster_name    = module.eks.cluster_name
  chart_values    = local.chart_values
  data_secrets    = module.eks.data_secrets
  storage_classes = module.eks.storage_classes
  repo_url        = var.repo_url
  target_revision = var.target_revision

  # Add-ons (CSI drivers, CoreDNS) and the load balancer controller (its webhooks, the Ingress's ALB) before Argo CD
  # schedules anything; on destroy, the controller outlives the Ingress and deletes its ALB.
  depends_on = [module.eks, helm_release.aws_load_balancer_controller]
}
