#!/usr/bin/env bash
# Synthesizes the CDK app (esbuild bundling, no Docker) and lints every template with cfn-lint.
# Extra arguments go to `cdk synth`, e.g. scripts/cfn-lint.sh -c notifyEmails=a@example.com
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

"${ROOT}/scripts/python-tools.sh"
CFN_LINT="${ROOT}/.venv-tools/bin/cfn-lint"

rm -rf cdk.out
npx cdk synth --quiet "$@"

shopt -s nullglob
templates=(cdk.out/*.template.json)
if [[ ${#templates[@]} -eq 0 ]]; then
  echo "cfn-lint: no templates in cdk.out" >&2
  exit 1
fi
# Lint in the regions people deploy to; the template is region-agnostic.
# W3005: CDK makes each function DependsOn its role as well as referencing it; redundant, harmless.
"${CFN_LINT}" --regions us-east-1 eu-west-1 --ignore-checks W3005 -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} template(s) clean"
