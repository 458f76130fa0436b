#!/usr/bin/env bash
# The whole test suite (`npm test`): system tools, typecheck, unit + Node tests, production build,
# bundle-size budget, browser-mode tests in Chromium, Playwright e2e against the built site.
# Every step runs even when an earlier one failed (except when nothing can run without it), and
# the last line is always the plain summary "N passed, N failed" summed over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
START=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - START ))s] $*"; }

bash scripts/ensure-chromium.sh || exit 1

rm -rf reports && mkdir -p reports   # not test-results/: Playwright wipes its outputDir (pitfall 10)
FAILED_STEPS=()

step "typecheck (tsc -b)"
npx tsc -b || FAILED_STEPS+=(typecheck)

step "unit and Node tests (vitest --project unit)"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=reports/unit.json

step "build (vite build, and the single-file build for file://)"
if npx vite build && npx vite build -c vite.single.config.ts; then
  step "bundle size budget"
  node scripts/check-size.mjs || FAILED_STEPS+=(size)
else
  FAILED_STEPS+=(build)
fi

step "browser tests in Chromium (vitest --project browser)"
npx vitest run --project browser --reporter=default --reporter=json --outputFile.json=reports/browser.json

if [[ " ${FAILED_STEPS[*]} " != *" build "* ]]; then
  step "e2e against the built site (playwright)"
  CI=true npx playwright test   # CI=true selects the json reporter → reports/e2e.json
fi

step "summary"
args=(reports/unit.json reports/browser.json reports/e2e.json)
for s in "${FAILED_STEPS[@]}"; do args+=(--failed-step "$s"); done
node scripts/ci-summary.mjs "${args[@]}"
