data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  prod                = var.environment == "prod"
  deletion_protection = coalesce(var.deletion_protection, local.prod)
  single_nat_gateway  = coalesce(var.single_nat_gateway, !local.prod)
  azs                 = slice(data.aws_availability_zones.available.names, 0, var.availability_zone_count)
  partition           = data.aws_partition.current.partition
  account_id          = data.aws_caller_identity.current.account_id

  tags = merge(var.tags, {
    "dbp:environment" = var.environment
    "dbp:managed-by"  = "terraform"
  })

  # The chart's namespace; every service runs under a ServiceAccount named after it.
  namespace = "dbp"

  # Services that need cloud access, keyed by their values block in the chart. Each gets an IRSA role and a bucket
  # of its own (sdk-registry: SDK artifacts, inference: ONNX models), and nothing else.
  service_identities = {
    sdkRegistry = { service_account = "sdk-registry", bucket_suffix = "artifacts" }
    inference   = { service_account = "inference", bucket_suffix = "models" }
  }
}

# One customer-managed key for the cluster's Secrets envelope encryption, one for the data at rest (RDS, MSK, EFS,
# S3, the MSK SCRAM secret), so that access to either can be audited and revoked separately.
resource "aws_kms_key" "secrets" {
  description             = "${var.name}: EKS Secrets envelope encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = merge(local.tags, { Name = "${var.name}-eks-secrets" })
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-eks-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_kms_key" "data" {
  description             = "${var.name}: data services and object storage at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = merge(local.tags, { Name = "${var.name}-data" })
}

resource "aws_kms_alias" "data" {
  name          = "alias/${var.name}-data"
  target_key_id = aws_kms_key.data.key_id
}
