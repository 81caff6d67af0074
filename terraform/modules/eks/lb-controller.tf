# AWS Load Balancer Controller: the IAM side only (this module has no kubernetes/helm providers). The example roots
# install the controller's Helm chart into kube-system with the ServiceAccount aws-load-balancer-controller
# annotated with this role; it turns the chart's Ingress (className alb, argocd/clouds/eks.yaml) into an ALB in the
# public subnets (tagged kubernetes.io/role/elb in network.tf).

locals {
  load_balancer_controller_service_account = "aws-load-balancer-controller"

  # The upstream policy document of the pinned release, per partition (arn:aws-cn / arn:aws-us-gov ARNs differ).
  load_balancer_controller_policy_file = lookup({
    aws-cn     = "iam_policy_cn.json"
    aws-us-gov = "iam_policy_us-gov.json"
  }, local.partition, "iam_policy.json")
}

# Fetched at plan/apply time from the release tag rather than copied here, so that it is exactly the policy the
# controller release was tested with; bump var.load_balancer_controller_version together with the chart.
data "http" "load_balancer_controller_policy" {
  url = "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/${var.load_balancer_controller_version}/docs/install/${local.load_balancer_controller_policy_file}"

  request_headers = {
    Accept = "application/json"
  }

  lifecycle {
    postcondition {
      condition     = self.status_code == 200 && can(jsondecode(self.response_body).Statement)
      error_message = "Could not fetch the AWS Load Balancer Controller IAM policy of ${var.load_balancer_controller_version} (HTTP ${self.status_code})."
    }
  }
}

resource "aws_iam_policy" "load_balancer_controller" {
  name        = "${var.name}-aws-load-balancer-controller"
  description = "${var.name}: AWS Load Balancer Controller ${var.load_balancer_controller_version} (upstream docs/install policy)"
  policy      = data.http.load_balancer_controller_policy.response_body
  tags        = local.tags
}

resource "aws_iam_role" "load_balancer_controller" {
  name               = "${var.name}-aws-load-balancer-controller"
  assume_role_policy = data.aws_iam_policy_document.irsa_trust["load-balancer-controller"].json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "load_balancer_controller" {
  role       = aws_iam_role.load_balancer_controller.name
  policy_arn = aws_iam_policy.load_balancer_controller.arn
}
