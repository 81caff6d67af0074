# IAM Roles for Service Accounts: the cluster's OIDC issuer is trusted by IAM, and each role trusts exactly one
# ServiceAccount (namespace and name) through the issuer's sub claim.

data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "this" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[0].sha1_fingerprint]
  tags            = local.tags
}

locals {
  oidc_issuer_host = replace(aws_iam_openid_connect_provider.this.url, "https://", "")

  csi_drivers = {
    ebs = { namespace = "kube-system", service_account = "ebs-csi-controller-sa", policy = "service-role/AmazonEBSCSIDriverPolicy" }
    efs = { namespace = "kube-system", service_account = "efs-csi-controller-sa", policy = "service-role/AmazonEFSCSIDriverPolicy" }
  }

  irsa_subjects = merge(
    { for k, v in local.csi_drivers : "csi-${k}" => "system:serviceaccount:${v.namespace}:${v.service_account}" },
    { for k, v in local.service_identities : k => "system:serviceaccount:${local.namespace}:${v.service_account}" },
    { load-balancer-controller = "system:serviceaccount:kube-system:${local.load_balancer_controller_service_account}" },
  )
}

data "aws_iam_policy_document" "irsa_trust" {
  for_each = local.irsa_subjects

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

# --- CSI drivers -----------------------------------------------------------------------------------------------

resource "aws_iam_role" "csi" {
  for_each           = local.csi_drivers
  name               = "${var.name}-${each.key}-csi-controller"
  assume_role_policy = data.aws_iam_policy_document.irsa_trust["csi-${each.key}"].json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "csi" {
  for_each   = local.csi_drivers
  role       = aws_iam_role.csi[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value.policy}"
}

# The EBS driver creates volumes encrypted with the data key.
resource "aws_iam_role_policy" "ebs_csi_kms" {
  name = "use-data-key"
  role = aws_iam_role.csi["ebs"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource = aws_kms_key.data.arn
      },
      {
        Effect    = "Allow"
        Action    = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
        Resource  = aws_kms_key.data.arn
        Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
      },
    ]
  })
}

# --- Services --------------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "service" {
  for_each      = local.service_identities
  bucket        = "${var.name}-${each.value.bucket_suffix}-${local.account_id}"
  force_destroy = !local.deletion_protection
  tags          = merge(local.tags, { Name = "${var.name}-${each.value.bucket_suffix}", "dbp:service" = each.value.service_account })
}

resource "aws_s3_bucket_public_access_block" "service" {
  for_each                = aws_s3_bucket.service
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "service" {
  for_each = aws_s3_bucket.service
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "service" {
  for_each = aws_s3_bucket.service
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "service" {
  for_each = aws_s3_bucket.service
  bucket   = each.value.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

# TLS only.
resource "aws_s3_bucket_policy" "service" {
  for_each = aws_s3_bucket.service
  bucket   = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [each.value.arn, "${each.value.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.service]
}

resource "aws_iam_role" "service" {
  for_each           = local.service_identities
  name               = "${var.name}-${each.value.service_account}"
  assume_role_policy = data.aws_iam_policy_document.irsa_trust[each.key].json
  tags               = merge(local.tags, { "dbp:service" = each.value.service_account })
}

# Read and write on its own bucket, and the data key only through S3.
resource "aws_iam_role_policy" "service" {
  for_each = local.service_identities
  name     = "own-bucket"
  role     = aws_iam_role.service[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource = aws_s3_bucket.service[each.key].arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "${aws_s3_bucket.service[each.key].arn}/*"
      },
      {
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = aws_kms_key.data.arn
        Condition = { StringEquals = { "kms:ViaService" = "s3.${data.aws_region.current.region}.amazonaws.com" } }
      },
    ]
  })
}
