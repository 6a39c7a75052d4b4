#!/usr/bin/env bash
# Fails when a production dependency has a known high or critical advisory:
#   npm audit --omit=dev --audit-level=high
# Dev dependencies (CDK CLI, test tools) never reach a Lambda bundle or the CLI bundle, hence
# --omit=dev.
#
# When the registry's audit endpoint cannot be reached (an offline mirror, a proxy that refuses
# POST /-/npm/v1/security/advisories/bulk), npm prints no verdict at all. That is not a pass:
# this script says so in one line and exits 3, so CI does not go green without an answer.
# Set NPM_AUDIT_ALLOW_UNREACHABLE=1 to turn that case into a warning with exit 0 (for a
# sandbox without the endpoint); a real advisory still fails.
#
# Exit codes: 0 no high/critical advisory; 1 advisories at or above high; 3 no answer from the
# audit endpoint.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

out="$(mktemp)"
trap 'rm -f "${out}"' EXIT

npm audit --omit=dev --audit-level=high >"${out}" 2>&1
status=$?
# npm's own noise about unrelated user config is not part of the verdict.
grep -v 'Unknown user config' "${out}"

if [[ ${status} -eq 0 ]]; then
  echo "npm-audit: no high or critical advisory in production dependencies"
  exit 0
fi

if grep -Eq 'audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|40[0-9] [A-Za-z ]+ - POST .*/advisories' "${out}" \
  && ! grep -Eq '^[0-9]+ (high|critical|moderate|low) severity vulnerabilit' "${out}"; then
  if [[ "${NPM_AUDIT_ALLOW_UNREACHABLE:-0}" == "1" ]]; then
    echo "npm-audit: WARNING: the registry's audit endpoint could not be reached, so no advisory was checked (NPM_AUDIT_ALLOW_UNREACHABLE=1)" >&2
    exit 0
  fi
  echo "npm-audit: the registry's audit endpoint could not be reached, so no advisory was checked; run again with registry access (or NPM_AUDIT_ALLOW_UNREACHABLE=1 to accept)" >&2
  exit 3
fi

echo "npm-audit: production dependencies have high or critical advisories (see above)" >&2
exit 1
