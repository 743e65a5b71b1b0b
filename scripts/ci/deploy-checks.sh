#!/usr/bin/env bash
# The deployment checks CI runs after the test suite (see docs/deployment.md): each target proven as
# far as it can be without a container engine or a cluster. Run from the repository root, after
# `npm install`, with PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '\n=== %s\n' "$*"; }

check_dockerfile() {
  log "Dockerfile lint"
  npx tsx scripts/ci/check-dockerfile.ts
}

production_smoke() {
  log "production smoke (the image's files and command, outside a container)"
  npx tsx scripts/ci/production-smoke.ts
}

# kubectl renders the kustomize overlays; Debian's archive has no kubectl package, so it must be on
# the machine (it is on CI's); npm has no maintained kustomize build to fall back on.
check_manifests() {
  log "Kubernetes manifests: render dev and prod, validate against the API schemas and our rules"
  if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl is required to render deploy/k8s (kubectl kustomize)" >&2
    exit 1
  fi
  npx tsx scripts/ci/check-manifests.ts
}

check_compose() {
  log "compose.yaml: Compose Specification schema, mounted files, service variables"
  npx tsx scripts/ci/check-compose.ts
  log "compose's PostgreSQL scripts build a streaming replica (Debian's binaries)"
  bash scripts/ci/check-postgres-replication.sh
}

check_dockerfile
check_compose
check_manifests
production_smoke
