#!/usr/bin/env bash
# Proves `npm run new:module` makes a module that passes every check with no hand edits: in a scratch
# copy of the working tree (tracked and untracked files, as a clone with local changes would have,
# reusing this checkout's node_modules through a symlink), it scaffolds a module, then runs the
# generated-code check, the lint (eslint, prettier, the import boundaries), the typecheck, the tests
# that matter for a new module on PGlite and PostgreSQL, and calls the new API on `npm start` with a
# token of the development client.
#
# Usage: scripts/ci/scaffold-check.sh [module] [resource]   (inventory item by default)
# TEST_DATABASE_URL selects the real PostgreSQL for the tests (unset: PGlite only, the PostgreSQL
# suites say they were skipped). KEEP_SCRATCH=1 keeps the copy for a look afterwards. TRANSCRIPT=<file>
# also records the commands and their output there, the test runs shortened to their summaries
# (npm run docs:new-module puts it into docs/extending.md).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
module="${1:-inventory}"
resource="${2:-item}"

log() { printf '\n--- scaffold check: %s\n' "$*"; }

transcript="$(realpath -m "${TRANSCRIPT:-/dev/null}")"
: >"$transcript"
# Runs a command as the reader would type it, showing it and its output, and recording both.
step() {
  printf '\n$ %s\n' "$*" | tee -a "$transcript"
  "$@" 2>&1 | tee -a "$transcript"
}

scratch="$(mktemp -d)"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -TERM "$service_pid" || true; fi
  if [ "${KEEP_SCRATCH:-}" = 1 ]; then echo "scratch copy kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

log "copying the working tree to $scratch"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$scratch"
ln -s "$repo/node_modules" "$scratch/node_modules"
cd "$scratch"

set -o pipefail
step npm run --silent new:module -- "$module" --resource "$resource"
step npm run --silent gen:check
step npm run --silent lint
step npm run --silent typecheck

# Not the whole suite (CI runs that on the repository itself, and twice over here would double its
# time): the new module's own tests (contract, access, concurrency, fuzz, on both databases), and
# the suite-level tests that enumerate the modules or their contracts, so they must take the new one
# in: the service scopes (every contract's), the whole-surface fuzzer (every route table, every
# table), the docs routes (every registered API), the client packages (every generated client, packed and used) and the generator's own tests. The
# contract rules run in the lint (redocly over every document of oapi/).
tests=("src/$module" scripts/new-module src/server/contract-scopes.test.ts test/fuzz
  test/docs/api-docs-routes.test.ts test/clients)
printf '\n$ npx vitest run %s\n' "${tests[*]}" | tee -a "$transcript"
npx vitest run "${tests[@]}" 2>&1 | tee "$scratch/vitest.out"
# The summary only: with colours off, the files and tests counted.
sed 's/\x1b\[[0-9;]*m//g' "$scratch/vitest.out" | grep -E '^ *(Test Files|Tests) ' >>"$transcript"

log "npm start, and the new API called with the development client's token"
printf '\n$ npm start   # then, with the development client it printed:\n' >>"$transcript"
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
data_dir="$scratch/.data"
# Embedded mode with no bootstrap client: the first start creates the development client and
# prints its secret once, on stderr.
env -u AUTH_BOOTSTRAP_CLIENT_ID -u AUTH_BOOTSTRAP_CLIENT_SECRET -u POSTGRES_PRIMARY_HOST -u POSTGRES_PRIMARY_URL \
  PORT="$port" HOST=127.0.0.1 DATA_DIR="$data_dir" OTEL_SDK_DISABLED=true \
  npm start >"$scratch/service.out" 2>"$scratch/service.err" &
runner=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$runner" 2>/dev/null || break
  sleep 1
done
if ! curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null; then
  echo "the service did not become ready:" >&2
  cat "$scratch/service.out" "$scratch/service.err" >&2
  exit 1
fi
service_pid="$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)"
client_id="$(sed -n 's/^export CLIENT_ID=//p' "$scratch/service.err")"
client_secret="$(sed -n 's/^export CLIENT_SECRET=//p' "$scratch/service.err")"
if [ -z "$client_id" ] || [ -z "$client_secret" ]; then
  echo "no development client was printed:" >&2
  cat "$scratch/service.err" >&2
  exit 1
fi
base="http://127.0.0.1:$port"
token_response="$(curl -fsS -u "$client_id:$client_secret" -d grant_type=client_credentials "$base/oauth/token")"
echo "token scopes: $(jq -r .scope <<<"$token_response")" | tee -a "$transcript"
jq -e --arg m "$module" '.scope | split(" ") | index($m + ".read") and index($m + ".write")' \
  <<<"$token_response" >/dev/null || { echo "the token lacks the $module scopes" >&2; exit 1; }
token="$(jq -r .access_token <<<"$token_response")"
collection="$(sed -n 's|^  \(/v1/[a-z0-9]*\):$|\1|p' "oapi/$module.yaml")"

call() { # method path expected-status [body [if-match]]
  local method="$1" path="$2" expected="$3" body="${4:-}" if_match="${5:-}" status
  local args=(-sS -o "$scratch/response.json" -D "$scratch/response.headers" -w '%{http_code}' -X "$method"
    -H "authorization: Bearer $token")
  if [ -n "$body" ]; then args+=(-H 'content-type: application/json' --data "$body"); fi
  if [ -n "$if_match" ]; then args+=(-H "if-match: $if_match"); fi
  status="$(curl "${args[@]}" "$base$path")"
  echo "$method $path -> $status" | tee -a "$transcript"
  if [ "$status" != "$expected" ]; then
    echo "expected $expected:" >&2
    cat "$scratch/response.headers" "$scratch/response.json" >&2
    exit 1
  fi
}
call POST "$collection" 201 '{"name":"First one","description":"made by the scaffold check"}'
id="$(jq -r .data.id "$scratch/response.json")"
call GET "$collection/$id" 200
call PUT "$collection/$id" 428 '{"name":"Renamed"}'
call PUT "$collection/$id" 200 '{"name":"Renamed"}' '"1"'
call GET "$collection?limit=10" 200
jq -e --arg id "$id" '.data | map(.id) | index($id) != null' "$scratch/response.json" >/dev/null
call DELETE "$collection/$id" 412 '' '"1"'
call DELETE "$collection/$id" 204 '' '"2"'
call GET "$collection/$id" 404

kill -TERM "$service_pid"
wait "$runner"
service_pid=""
grep -q '"msg":"stopped"' "$scratch/service.out" || { echo "the service did not stop cleanly" >&2; exit 1; }
log "passed: module $module (resource $resource) scaffolded, checked and served"
