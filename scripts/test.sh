#!/usr/bin/env bash
# The whole test suite: unit tests (surefire, *Test) and integration tests that start real
# parts on localhost (failsafe, *IT). Installs missing packages first (scripts/setup.sh).
# Usage: scripts/test.sh [extra Maven arguments, e.g. -Dtest=FaissIndexTest -Dit.test=NONE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" --deps-only
cd "$root"
mvn -B verify "$@"
