#!/usr/bin/env bash
# Installs what tests/e2e/test_playground.py needs: Debian's Chromium, and from npm the Microsoft 365
# Agents Playground, playwright-core and axe-core (the pages' accessibility checks in
# tests/e2e/test_tab_browser.py), into .cache/npm, not committed. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if command -v npm >/dev/null 2>&1; then
  mkdir -p .cache/npm
  if [ ! -d .cache/npm/node_modules/@microsoft/m365agentsplayground ] || [ ! -d .cache/npm/node_modules/playwright-core ] \
     || [ ! -d .cache/npm/node_modules/@microsoft/app-manifest ] || [ ! -d .cache/npm/node_modules/axe-core ]; then
    npm install --silent --no-audit --no-fund --prefix .cache/npm \
      @microsoft/m365agentsplayground playwright-core @microsoft/app-manifest axe-core
  fi
fi
