#!/usr/bin/env bash
# Creates .venv-tools with the Python tools the tests and the infra checks use, at pinned
# versions: moto (AWS APIs over HTTP for the integration tests) and cfn-lint (template lint).
# Idempotent: when the venv already holds exactly these versions it returns at once.
set -euo pipefail

MOTO_VERSION="5.2.5"
CFN_LINT_VERSION="1.58.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.venv-tools"
STAMP="${VENV}/.credhealth-tools"
WANT="moto[server]==${MOTO_VERSION} cfn-lint==${CFN_LINT_VERSION}"

if [[ -x "${VENV}/bin/moto_server" && -x "${VENV}/bin/cfn-lint" && -f "${STAMP}" && "$(cat "${STAMP}")" == "${WANT}" ]]; then
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "python-tools: ${PYTHON} not found; install Python 3.9+ or set PYTHON=/path/to/python3" >&2
  exit 1
fi

[[ -d "${VENV}" ]] || "${PYTHON}" -m venv "${VENV}"
"${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[server]==${MOTO_VERSION}" "cfn-lint==${CFN_LINT_VERSION}"
echo "${WANT}" > "${STAMP}"
echo "python-tools: .venv-tools ready (${WANT})"
