# Cloud SQL and Memorystore have private addresses only (private services access); Managed Kafka gets Private
# Service Connect endpoints in the data subnet. Google encrypts all three at rest (Google-managed keys) and this
# module requires TLS from clients on each.

locals {
  postgres_port  = 5432
  kafka_port     = 9092 # Managed Kafka's TLS listener (SASL)
  kafka_username = google_service_account.kafka.email
}

# --- PostgreSQL ------------------------------------------------------------------------------------------------

resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "google_sql_database_instance" "this" {
  project             = var.project_id
  name                = var.name
  region              = var.region
  database_version    = var.postgres.database_version
  deletion_protection = local.deletion_protection

  settings {
    tier                        = var.postgres.tier
    edition                     = "ENTERPRISE"
    availability_type           = local.prod ? "REGIONAL" : "ZONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = var.postgres.disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = local.deletion_protection
    user_labels                 = local.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.this.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"

      backup_retention_settings {
        retained_backups = var.postgres.backup_retention_days
        retention_unit   = "COUNT"
      }
    }

    insights_config {
      query_insights_enabled = true
    }

    maintenance_window {
      day  = 7
      hour = 3
    }
  }

  depends_on = [google_service_networking_connection.this]
}

resource "google_sql_database" "dbp" {
  project  = var.project_id
  instance = google_sql_database_instance.this.name
  name     = "dbp"
}

resource "google_sql_user" "dbp" {
  project  = var.project_id
  instance = google_sql_database_instance.this.name
  name     = var.postgres.username
  password = random_password.postgres.result
}

# --- Redis (Memorystore) ---------------------------------------------------------------------------------------

resource "google_redis_instance" "this" {
  project                 = var.project_id
  name                    = var.name
  region                  = var.region
  tier                    = local.prod ? "STANDARD_HA" : "BASIC"
  memory_size_gb          = var.redis.memory_size_gb
  redis_version           = var.redis.redis_version
  authorized_network      = google_compute_network.this.id
  connect_mode            = "PRIVATE_SERVICE_ACCESS"
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"
  labels                  = local.labels

  depends_on = [google_service_networking_connection.this]
}

# --- Kafka (Managed Service for Apache Kafka) ------------------------------------------------------------------

resource "google_managed_kafka_cluster" "this" {
  project    = var.project_id
  cluster_id = var.name
  location   = var.region
  labels     = local.labels

  capacity_config {
    vcpu_count   = var.kafka.vcpu_count
    memory_bytes = var.kafka.memory_bytes
  }

  gcp_config {
    access_config {
      network_configs {
        subnet = google_compute_subnetwork.data.id
      }
    }
  }

  rebalance_config {
    mode = "AUTO_REBALANCE_ON_SCALE_UP"
  }

  depends_on = [google_project_service.this]
}

# The services use the stock Kafka client with SASL/PLAIN: the user is a service account, the password its key
# (base64 JSON). Workload Identity with OAUTHBEARER would avoid the key but needs Google's login handler in every
# image; revisit when the images carry it.
resource "google_service_account" "kafka" {
  project      = var.project_id
  account_id   = "${var.name}-kafka"
  display_name = "${var.name} Kafka client"
}

resource "google_project_iam_member" "kafka_client" {
  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = google_service_account.kafka.member
}

resource "google_service_account_key" "kafka" {
  service_account_id = google_service_account.kafka.name
}
