# Data services live in the data subnets and accept connections from the cluster's nodes and pods only (the EKS
# cluster security group is attached to every managed node; with the VPC CNI, pods use their node's groups).

locals {
  cluster_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  postgres_port             = 5432
  redis_port                = 6379
  kafka_port                = 9096 # SASL/SCRAM over TLS
  efs_port                  = 2049
  kafka_username            = "dbp"

  data_ports = {
    postgres = local.postgres_port
    redis    = local.redis_port
    kafka    = local.kafka_port
    efs      = local.efs_port
  }
}

resource "aws_security_group" "data" {
  for_each    = local.data_ports
  name        = "${var.name}-${each.key}"
  description = "${var.name} ${each.key}: from the EKS cluster only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_security_group_ingress_rule" "data" {
  for_each                     = local.data_ports
  security_group_id            = aws_security_group.data[each.key].id
  referenced_security_group_id = local.cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  description                  = "${each.key} from the EKS cluster"
}

# --- PostgreSQL ------------------------------------------------------------------------------------------------

resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = aws_subnet.data[*].id
  tags       = local.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${split(".", var.postgres.engine_version)[0]}-"
  family      = "postgres${split(".", var.postgres.engine_version)[0]}"
  description = "${var.name}: TLS only"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier                      = var.name
  engine                          = "postgres"
  engine_version                  = var.postgres.engine_version
  instance_class                  = var.postgres.instance_class
  allocated_storage               = var.postgres.allocated_storage_gb
  max_allocated_storage           = var.postgres.max_storage_gb
  storage_type                    = "gp3"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.data.arn
  db_name                         = "dbp"
  username                        = var.postgres.username
  password                        = random_password.postgres.result
  port                            = local.postgres_port
  db_subnet_group_name            = aws_db_subnet_group.this.name
  parameter_group_name            = aws_db_parameter_group.this.name
  vpc_security_group_ids          = [aws_security_group.data["postgres"].id]
  publicly_accessible             = false
  multi_az                        = local.prod
  backup_retention_period         = var.postgres.backup_retention_days
  copy_tags_to_snapshot           = true
  deletion_protection             = local.deletion_protection
  skip_final_snapshot             = !local.deletion_protection
  final_snapshot_identifier       = "${var.name}-final"
  auto_minor_version_upgrade      = true
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.data.arn
  enabled_cloudwatch_logs_exports = ["postgresql"]
  apply_immediately               = !local.prod
  tags                            = merge(local.tags, { Name = var.name })
}

# --- Redis -----------------------------------------------------------------------------------------------------

resource "random_password" "redis" {
  # ElastiCache AUTH tokens: 16-128 printable characters without @, " or /; letters and digits only keeps URLs simple.
  length  = 64
  special = false
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = aws_subnet.data[*].id
  tags       = local.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "${var.name}: Defense Builders Platform cache"
  engine                     = "redis"
  engine_version             = var.redis.engine_version
  node_type                  = var.redis.node_type
  port                       = local.redis_port
  num_cache_clusters         = 1 + var.redis.replicas
  automatic_failover_enabled = var.redis.replicas > 0
  multi_az_enabled           = var.redis.replicas > 0
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.data["redis"].id]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = random_password.redis.result
  snapshot_retention_limit   = local.prod ? 7 : 0
  apply_immediately          = !local.prod
  tags                       = merge(local.tags, { Name = var.name })
}

# --- Kafka (MSK) -----------------------------------------------------------------------------------------------

resource "random_password" "kafka" {
  length  = 32
  special = false
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka.kafka_version]
  server_properties = join("\n", [
    "auto.create.topics.enable=true",
    "default.replication.factor=${min(3, var.availability_zone_count * var.kafka.brokers_per_zone)}",
    "min.insync.replicas=${min(2, var.availability_zone_count * var.kafka.brokers_per_zone)}",
    "num.partitions=6",
    "unclean.leader.election.enable=false",
  ])
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka.kafka_version
  number_of_broker_nodes = var.availability_zone_count * var.kafka.brokers_per_zone

  broker_node_group_info {
    instance_type   = var.kafka.broker_instance_type
    client_subnets  = aws_subnet.data[*].id
    security_groups = [aws_security_group.data["kafka"].id]

    storage_info {
      ebs_storage_info {
        volume_size = var.kafka.volume_size_gb
      }
    }
  }

  client_authentication {
    unauthenticated = false
    sasl {
      scram = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.data.arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_cloudwatch_log_group" "msk" {
  name              = "/aws/msk/${var.name}"
  retention_in_days = 30
  tags              = local.tags
}

# MSK reads SCRAM users from Secrets Manager secrets named AmazonMSK_* encrypted with a customer-managed key.
resource "aws_secretsmanager_secret" "kafka" {
  name                    = "AmazonMSK_${var.name}_dbp"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = local.prod ? 30 : 0
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "kafka" {
  secret_id     = aws_secretsmanager_secret.kafka.id
  secret_string = jsonencode({ username = local.kafka_username, password = random_password.kafka.result })
}

resource "aws_secretsmanager_secret_policy" "kafka" {
  secret_arn = aws_secretsmanager_secret.kafka.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AWSKafkaResourcePolicy"
      Effect    = "Allow"
      Principal = { Service = "kafka.amazonaws.com" }
      Action    = "secretsmanager:getSecretValue"
      Resource  = aws_secretsmanager_secret.kafka.arn
    }]
  })
}

resource "aws_msk_scram_secret_association" "this" {
  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = [aws_secretsmanager_secret.kafka.arn]

  depends_on = [aws_secretsmanager_secret_version.kafka, aws_secretsmanager_secret_policy.kafka]
}

# --- EFS (ReadWriteMany volumes for sdk-registry and inference) -----------------------------------------------

resource "aws_efs_file_system" "this" {
  creation_token   = var.name
  encrypted        = true
  kms_key_id       = aws_kms_key.data.arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_efs_backup_policy" "this" {
  file_system_id = aws_efs_file_system.this.id
  backup_policy {
    status = local.prod ? "ENABLED" : "DISABLED"
  }
}

resource "aws_efs_mount_target" "this" {
  count           = length(local.azs)
  file_system_id  = aws_efs_file_system.this.id
  subnet_id       = aws_subnet.private[count.index].id
  security_groups = [aws_security_group.data["efs"].id]
}
