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

check_dockerfile
production_smoke
