locals {
  # Built into AKS with the Azure Files CSI driver: premium SMB shares, ReadWriteMany.
  rwx_storage_class = "azurefile-csi-premium"

  service_account_annotations = {
    for k, _ in local.service_identities : k => { "azure.workload.identity/client-id" = azurerm_user_assigned_identity.service[k].client_id }
  }

  # Event Hubs' Kafka endpoint: user "$ConnectionString", password the namespace connection string.
  eventhub_connection_string = azurerm_eventhub_namespace_authorization_rule.dbp.primary_connection_string
}

output "cluster_name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "resource_group_name" {
  description = "Resource group holding every resource of the installation."
  value       = azurerm_resource_group.this.name
}

output "cluster_endpoint" {
  description = "HTTPS endpoint of the Kubernetes API server."
  value       = azurerm_kubernetes_cluster.this.kube_config[0].host
}

output "cluster_ca_certificate" {
  description = "PEM CA certificate of the Kubernetes API server (decoded)."
  value       = base64decode(azurerm_kubernetes_cluster.this.kube_config[0].cluster_ca_certificate)
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster, for more federated identity credentials."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "object_containers" {
  description = "Storage account and blob container per service that has one (sdkRegistry: artifacts, inference: models)."
  value = {
    for k, c in azurerm_storage_container.service : k => {
      account   = azurerm_storage_account.this.name
      container = c.name
      endpoint  = azurerm_storage_account.this.primary_blob_endpoint
    }
  }
}

output "service_account_annotations" {
  description = "ServiceAccount annotations per chart service key (Workload Identity client ids)."
  value       = local.service_account_annotations
}

output "storage_classes" {
  description = "StorageClasses for the argocd-bootstrap module to create: none, azurefile-csi-premium is built in."
  value       = []
}

output "chart_values" {
  description = "Values for the defense-builders Helm chart (no secrets: the chart reads credentials from the Secrets dbp-postgresql, dbp-redis and dbp-kafka)."
  value = {
    postgresql = {
      host           = azurerm_postgresql_flexible_server.this.fqdn
      port           = local.postgres_port
      database       = azurerm_postgresql_flexible_server_database.dbp.name
      sslmode        = "require"
      existingSecret = "dbp-postgresql"
    }
    kafka = {
      bootstrapServers = "${azurerm_eventhub_namespace.this.name}.servicebus.windows.net:${local.kafka_port}"
      ports            = [local.kafka_port]
      existingSecret   = "dbp-kafka"
    }
    redis = {
      hosts          = "rediss://${azurerm_redis_cache.this.hostname}:${azurerm_redis_cache.this.ssl_port}"
      port           = local.redis_port
      existingSecret = "dbp-redis"
    }
    networkPolicy = {
      dataCidrs = [local.postgres_cidr, local.private_endpoints_cidr]
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
      username = azurerm_postgresql_flexible_server.this.administrator_login
      password = random_password.postgres.result
    }
    redis = {
      password = azurerm_redis_cache.this.primary_access_key
    }
    kafka = {
      KAFKA_SECURITY_PROTOCOL = "SASL_SSL"
      KAFKA_SASL_MECHANISM    = "PLAIN"
      KAFKA_SASL_JAAS_CONFIG  = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ConnectionString\" password=\"${local.eventhub_connection_string}\";"
    }
  }
}
