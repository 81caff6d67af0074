# TFLint for every Terraform directory under terraform/ (.github/workflows/terraform.yml passes it with --config):
# Terraform's own recommended rules and the rulesets of the three clouds the modules build (EKS, GKE, AKS).
config {
  # modules called by path are inspected with the caller's values
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.44.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

plugin "google" {
  enabled = true
  version = "0.37.1"
  source  = "github.com/terraform-linters/tflint-ruleset-google"
}

plugin "azurerm" {
  enabled = true
  version = "0.30.0"
  source  = "github.com/terraform-linters/tflint-ruleset-azurerm"
}
