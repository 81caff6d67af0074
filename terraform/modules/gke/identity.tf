# GKE Workload Identity: a Google service account per service, which only the Kubernetes ServiceAccount
# dbp/<service> may impersonate (roles/iam.workloadIdentityUser on the GSA), with objectUser on its own bucket.

resource "google_service_account" "service" {
  for_each     = local.service_identities
  project      = var.project_id
  account_id   = "${var.name}-${each.value.service_account}"
  display_name = "${var.name} ${each.value.service_account}"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each           = local.service_identities
  service_account_id = google_service_account.service[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${local.workload_pool}[${local.namespace}/${each.value.service_account}]"

  depends_on = [google_container_cluster.this]
}

resource "google_storage_bucket" "service" {
  for_each                    = local.service_identities
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name}-${each.value.bucket_suffix}"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !local.deletion_protection
  labels                      = merge(local.labels, { dbp-service = each.value.service_account })

  versioning {
    enabled = true
  }

  soft_delete_policy {
    retention_duration_seconds = local.prod ? 604800 : 0
  }
}

resource "google_storage_bucket_iam_member" "service" {
  for_each = local.service_identities
  bucket   = google_storage_bucket.service[each.key].name
  role     = "roles/storage.objectUser"
  member   = google_service_account.service[each.key].member
}
