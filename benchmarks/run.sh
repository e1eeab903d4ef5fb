#!/usr/bin/env bash
# Every benchmark in one run: BenchmarkDotNet micro-benchmarks against their RSA floors, retained memory per entry,
# then whole-system figures on real Identity and Orders processes. Writes benchmarks/results/latest.md.
# Expects the test environment (./platform bench exports it after starting PostgreSQL and RabbitMQ).
#   --quick   fewer users, iterations, rounds and shorter load runs, for a smoke check before a change (under five
#             minutes); sizes go on each command line, the rest is read from PLATFORM_BENCH_QUICK by the runs themselves
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
# Users cost a sign-up and a login each, two 600 000-iteration PBKDF2 hashes, so their number bounds the run time.
if [ "$QUICK" = 1 ]; then USERS=12; LOAD_SECONDS=1; else USERS=1000; LOAD_SECONDS=6; fi
export PLATFORM_BENCH_QUICK="$QUICK"

: "${PLATFORM_TEST_POSTGRES:?run through ./platform bench, or export the settings from ./platform env}"
command -v wrk >/dev/null || { sudo -n apt-get install -y wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BIN="$ROOT/benchmarks/Benchmarks/bin/Release/net10.0/Platform.Benchmarks.dll"

# Each step says when it starts, so a slow one shows.
step() { echo "$1 (at ${SECONDS} s)"; }

step "building (Release)"
# Each build costs seconds even with nothing to do; these two build Orders and Identity as their references.
for project in benchmarks/OrdersFloor/OrdersFloor.csproj benchmarks/Benchmarks/Benchmarks.csproj; do
  dotnet build "$ROOT/$project" -c Release -nologo -v q -clp:ErrorsOnly
done

step "micro-benchmarks"
(cd "$WORK" && dotnet "$BIN" --filter '*' --artifacts "$WORK/bdn" >"$WORK/bdn.log" 2>&1) || { tail -n 30 "$WORK/bdn.log"; exit 1; }
step "retained memory per entry"
dotnet "$BIN" --memory >"$WORK/memory.txt"
step "whole system ($USERS users, ${LOAD_SECONDS}s load runs)"
dotnet "$BIN" --system "$USERS" "$LOAD_SECONDS" "$WORK/system.md"
step "revocation propagation"
if [ "$QUICK" = 1 ]; then REVOCATION_TRIALS=20; else REVOCATION_TRIALS=200; fi
dotnet "$BIN" --revocation "$REVOCATION_TRIALS" 16 "$WORK/revocation.md"
step "emergency key revocation"
if [ "$QUICK" = 1 ]; then KEY_TRIALS=5; else KEY_TRIALS=100; fi
dotnet "$BIN" --key-revocation "$KEY_TRIALS" "$WORK/keys.md"
step "start-up catch-up"
if [ "$QUICK" = 1 ]; then CATCH_UP=50000; else CATCH_UP=1000000; fi
dotnet "$BIN" --catch-up "$CATCH_UP" "$WORK/catch-up.md"
step "scale run"
if [ "$QUICK" = 1 ]; then SCALE_ARGS=(2 3 10 2); else SCALE_ARGS=(2 10 50 8); fi
dotnet "$BIN" --scale "${SCALE_ARGS[@]}" "$WORK/scale.md"
step "bulk deactivation"
# Seeded with COPY, so the user count costs little; the quick mode still runs five Orders replicas.
if [ "$QUICK" = 1 ]; then BULK_USERS=1000; else BULK_USERS=10000; fi
dotnet "$BIN" --bulk-deactivation "$BULK_USERS" 5 "$WORK/bulk.md"
step "peer comparison: library, stock JwtBearer, no authentication"
if [ "$QUICK" = 1 ]; then PEER_SECONDS=1; else PEER_SECONDS=5; fi
dotnet "$BIN" --peer "$PEER_SECONDS" "$WORK/peer.md"
step "login storm"
if [ "$QUICK" = 1 ]; then STORM_SECONDS=4; else STORM_SECONDS=20; fi
dotnet "$BIN" --login-storm "$STORM_SECONDS" "$WORK/storm.md"
step "Orders against its raw Npgsql floor"
if [ "$QUICK" = 1 ]; then FLOOR_SECONDS=2; else FLOOR_SECONDS=5; fi
dotnet "$BIN" --orders-floor "$FLOOR_SECONDS" "$WORK/floor.md"

OUT="$ROOT/benchmarks/results/latest.md"
mkdir -p "$(dirname "$OUT")"
{
  echo "# Benchmark results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "- mode: $([ "$QUICK" = 1 ] && echo quick || echo full); .NET $(dotnet --version); shared machine, so compare ratios within this run only"
  echo
  echo "## Micro-benchmarks (BenchmarkDotNet, in process, $([ "$QUICK" = 1 ] && echo "1 warm-up + 3 measured iterations of 150 ms" || echo "3 warm-up + 10 measured iterations"))"
  echo
  echo "Targets: cold validation ≤ 1.3× raw verify; repeat token ≥ 10× faster than raw verify (deny-list still checked);"
  echo "deny-list lookup ≤ 100 ns at 1 M entries; issuance ≤ 1.2× raw sign."
  for report in "$WORK"/bdn/results/*-report-github.md; do
    echo
    echo "### $(basename "$report" -report-github.md | sed 's/^Platform\.Benchmarks\.//')"
    echo
    grep '^|' "$report"
  done
  echo
  echo "## Retained memory per entry (GC.GetTotalMemory after a full collection, before and after filling)"
  echo
  echo "Target: deny-list ≤ 100 bytes per entry."
  echo
  sed 's/^/- /' "$WORK/memory.txt"
  echo
  echo "## Whole system (Identity and Orders as Release processes, real PostgreSQL and RabbitMQ, loopback)"
  cat "$WORK/system.md"
  cat "$WORK/revocation.md"
  cat "$WORK/keys.md"
  cat "$WORK/catch-up.md"
  cat "$WORK/scale.md"
  cat "$WORK/bulk.md"
  cat "$WORK/peer.md"
  cat "$WORK/storm.md"
  cat "$WORK/floor.md"
} >"$OUT"
echo "wrote ${OUT#"$ROOT"/} after ${SECONDS} s"
