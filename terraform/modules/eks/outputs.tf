locals {
  rwx_storage_class = "dbp-rwx"

  service_account_annotations = {
    for k, _ in local.service_identities : k => { "eks.amazonaws.com/role-arn" = aws_iam_role.service[k].arn }
  }
}

output "cluster_name" {
  description = "Name of the EKS cluster (aws eks get-token --cluster-name)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "HTTPS endpoint of the Kubernetes API server."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca_certificate" {
  description = "PEM CA certificate of the Kubernetes API server (decoded)."
  value       = base64decode(aws_eks_cluster.this.certificate_authority[0].data)
}

output "region" {
  description = "AWS region of the cluster, for the exec credential plugin."
  value       = data.aws_region.current.region
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider of the cluster, for more IRSA roles."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "load_balancer_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller (IRSA, ServiceAccount kube-system/aws-load-balancer-controller): the chart's serviceAccount.annotations[\"eks.amazonaws.com/role-arn\"]."
  value       = aws_iam_role.load_balancer_controller.arn
}

output "load_balancer_controller_service_account" {
  description = "Name of the AWS Load Balancer Controller's ServiceAccount in kube-system, the one its role trusts."
  value       = local.load_balancer_controller_service_account
}

output "load_balancer_controller_version" {
  description = "AWS Load Balancer Controller release whose IAM policy the role has; install the matching chart."
  value       = var.load_balancer_controller_version
}

output "object_buckets" {
  description = "S3 bucket per service that has one (sdkRegistry: artifacts, inference: models)."
  value       = { for k, b in aws_s3_bucket.service : k => b.bucket }
}

output "service_account_annotations" {
  description = "ServiceAccount annotations per chart service key (IRSA role ARNs)."
  value       = local.service_account_annotations
}

output "storage_classes" {
  description = "StorageClasses the argocd-bootstrap module creates in the cluster: dbp-rwx, EFS access points (ReadWriteMany) for sdk-registry and inference."
  value = [{
    name                = local.rwx_storage_class
    provisioner         = "efs.csi.aws.com"
    reclaim_policy      = "Retain"
    volume_binding_mode = "Immediate"
    mount_options       = ["tls"]
    parameters = {
      provisioningMode = "efs-ap"
      fileSystemId     = aws_efs_file_system.this.id
      directoryPerms   = "750"
      basePath         = "/dbp"
      # the chart's pods run as uid/gid 185
      uid = "185"
      gid = "185"
    }
  }]
}

output "chart_values" {
  description = "Values for the defense-builders Helm chart (no secrets: the chart reads credentials from the Secrets dbp-postgresql, dbp-redis and dbp-kafka)."
  value = {
    postgresql = {
      host           = aws_db_instance.this.address
      port           = aws_db_instance.this.port
      database       = aws_db_instance.this.db_name
      sslmode        = "require"
      existingSecret = "dbp-postgresql"
    }
    kafka = {
      bootstrapServers = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
      ports            = [local.kafka_port]
      existingSecret   = "dbp-kafka"
    }
    redis = {
      hosts          = "rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:${local.redis_port}"
      port           = local.redis_port
      existingSecret = "dbp-redis"
    }
    networkPolicy = {
      dataCidrs = aws_subnet.data[*].cidr_block
      # the ALB (target type ip) reaches the gateway's pods, and health-checks their management port, from the VPC
      ingressFrom = [{ ipBlock = { cidr = aws_vpc.this.cidr_block } }]
      metricsFrom = [{ namespaceSelector = {} }, { ipBlock = { cidr = aws_vpc.this.cidr_block } }]
    }
    services = {
      for k, annotations in local.service_account_annotations : k => {
        persistence    = { storageClass = local.rwx_storage_class }
        serviceAccount = { annotations = annotations }
      }
    }
  }
}

output "data_secrets" {
  description = "Credentials of the data services, for the Secrets dbp-postgresql, dbp-redis and dbp-kafka."
  sensitive   = true
  value = {
    postgresql = {
      username = aws_db_instance.this.username
      password = random_password.postgres.result
    }
    redis = {
      password = random_password.redis.result
    }
    kafka = {
      KAFKA_SECURITY_PROTOCOL = "SASL_SSL"
      KAFKA_SASL_MECHANISM    = "SCRAM-SHA-512"
      KAFKA_SASL_JAAS_CONFIG  = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"${local.kafka_username}\" password=\"${random_password.kafka.result}\";"
    }
  }
}
