locals {
  rwx_storage_class = "dbp-rwx"

  service_account_annotations = {
    for k, _ in local.service_identities : k => { "iam.gke.io/gcp-service-account" = google_service_account.service[k].email }
  }

  # Documented stable name of the bootstrap address (the port picks the listener).
  kafka_bootstrap = "bootstrap.${google_managed_kafka_cluster.this.cluster_id}.${var.region}.managedkafka.${var.project_id}.cloud.goog:${local.kafka_port}"
}

output "cluster_name" {
  description = "Name of the GKE cluster."
  value       = google_container_cluster.this.name
}

output "cluster_endpoint" {
  description = "HTTPS endpoint of the Kubernetes API server (private unless master_authorized_cidrs is set)."
  value       = "https://${google_container_cluster.this.endpoint}"
}

output "cluster_ca_certificate" {
  description = "PEM CA certificate of the Kubernetes API server (decoded)."
  value       = base64decode(google_container_cluster.this.master_auth[0].cluster_ca_certificate)
}

output "network_id" {
  description = "ID of the VPC network."
  value       = google_compute_network.this.id
}

output "object_buckets" {
  description = "GCS bucket per service that has one (sdkRegistry: artifacts, inference: models)."
  value       = { for k, b in google_storage_bucket.service : k => b.name }
}

output "service_account_annotations" {
  description = "ServiceAccount annotations per chart service key (Workload Identity GSA emails)."
  value       = local.service_account_annotations
}

output "redis_ca_certificates" {
  description = "PEM CA certificates of Memorystore's TLS endpoint (public data, for clients that verify the server)."
  value       = [for c in google_redis_instance.this.server_ca_certs : c.cert]
}

output "storage_classes" {
  description = "StorageClasses the argocd-bootstrap module creates: dbp-rwx, Filestore (ReadWriteMany) on this VPC. The built-in standard-rwx would use the network named default, which this module does not create."
  value = [{
    name                = local.rwx_storage_class
    provisioner         = "filestore.csi.storage.gke.io"
    reclaim_policy      = "Retain"
    volume_binding_mode = "WaitForFirstConsumer"
    mount_options       = []
    parameters = {
      tier                = "standard"
      network             = google_compute_network.this.name
      "connect-mode"      = "PRIVATE_SERVICE_ACCESS"
      "reserved-ip-range" = google_compute_global_address.private_services.name
    }
  }]
}

output "chart_values" {
  description = "Values for the defense-builders Helm chart (no secrets: the chart reads credentials from the Secrets dbp-postgresql, dbp-redis and dbp-kafka)."
  value = {
    postgresql = {
      host           = google_sql_database_instance.this.private_ip_address
      port           = local.postgres_port
      database       = google_sql_database.dbp.name
      sslmode        = "require"
      existingSecret = "dbp-postgresql"
    }
    kafka = {
      bootstrapServers = local.kafka_bootstrap
      ports            = [local.kafka_port]
      existingSecret   = "dbp-kafka"
    }
    redis = {
      hosts          = "rediss://${google_redis_instance.this.host}:${google_redis_instance.this.port}"
      port           = google_redis_instance.this.port
      existingSecret = "dbp-redis"
    }
    networkPolicy = {
      dataCidrs = [
        "${google_compute_global_address.private_services.address}/${google_compute_global_address.private_services.prefix_length}",
        google_compute_subnetwork.data.ip_cidr_range,
      ]
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
      username = google_sql_user.dbp.name
      password = random_password.postgres.result
    }
    redis = {
      password = google_redis_instance.this.auth_string
    }
    kafka = {
      KAFKA_SECURITY_PROTOCOL = "SASL_SSL"
      KAFKA_SASL_MECHANISM    = "PLAIN"
      KAFKA_SASL_JAAS_CONFIG  = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"${local.kafka_username}\" password=\"${google_service_account_key.kafka.private_key}\";"
    }
  }
}
