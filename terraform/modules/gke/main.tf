data "google_project" "this" {
  project_id = var.project_id
}

locals {
  prod                = var.environment == "prod"
  deletion_protection = coalesce(var.deletion_protection, local.prod)

  labels = merge(var.labels, {
    dbp-environment = var.environment
    dbp-managed-by  = "terraform"
  })

  namespace     = "dbp"
  workload_pool = "${var.project_id}.svc.id.goog"

  # Services that need cloud access, keyed by their values block in the chart: a Google service account each,
  # bound to the Kubernetes ServiceAccount through Workload Identity, with objectUser on its own bucket only.
  service_identities = {
    sdkRegistry = { service_account = "sdk-registry", bucket_suffix = "artifacts" }
    inference   = { service_account = "inference", bucket_suffix = "models" }
  }

  apis = [
    "cloudkms.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "file.googleapis.com",
    "iam.googleapis.com",
    "managedkafka.googleapis.com",
    "redis.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
  ]
}

resource "google_project_service" "this" {
  for_each           = var.enable_apis ? toset(local.apis) : toset([])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Secrets envelope encryption (GKE application-layer secrets encryption) with a Cloud KMS key.
resource "google_kms_key_ring" "this" {
  project  = var.project_id
  name     = var.name
  location = var.region

  depends_on = [google_project_service.this]
}

resource "google_kms_crypto_key" "secrets" {
  name            = "gke-secrets"
  key_ring        = google_kms_key_ring.this.id
  rotation_period = "7776000s"
  labels          = local.labels
}

resource "google_kms_crypto_key_iam_member" "gke_secrets" {
  crypto_key_id = google_kms_crypto_key.secrets.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.this.number}@container-engine-robot.iam.gserviceaccount.com"
}
