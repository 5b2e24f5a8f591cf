#!/usr/bin/env bash
# Issue 12, goal 8: import a 50,000-row ledger (mixed states, ~5 % repeats by 原信访编号) through the app's `import`
# command, into an empty database and into a copy of a 1,000,000-petition database; prints wall time, the process's CPU
# (user + system: under load the figure to trust) and its peak resident memory, with the load average.
# Never run by the test command; run niced.
#
#   DB1M=/tmp/perf/pd-1m.db bash bench/import.sh       # the 1M file is copied, never changed
#   ROWS=10000 SKIP_1M=1 bash bench/import.sh
#   BASELINE=/tmp/old/PetitionDashboard/bin/Release/net10.0/PetitionDashboard.dll ROWS=10000 SKIP_1M=1 bash bench/import.sh
#       # each import also by another build (e.g. main's, `git archive` + `dotnet build -c Release`), interleaved with
#       # this one on the same ledger, so a before/after ratio is measured under the same load
#
#   IN_PROCESS=2 … bash bench/import.sh   # also: the import 2 times in ONE process (ExcelBench in-process), each into a
#       # fresh database: run 1 = the cold command, run 2 = warm (JIT done), what an upload costs inside the running server;
#       # with DB1M also each into a copy of DB1M (2 GB per run while it lasts)
#   PUBLISH=1 … bash bench/import.sh      # also: the command from `dotnet publish` (ReadyToRun), as deployed
#
# Environment: ROWS (50000), DB1M (a generate-demo database, written under PersonalData__KeyFile's key), WORK (a temp
#              folder, deleted unless KEEP=1), PersonalData__KeyFile (default: a new key file in WORK — then DB1M must
#              have been written with no key-encrypted rows, i.e. use the key it was generated with), SKIP_1M=1.
#              The app's own settings pass through the environment too, e.g. Import__RowsPerInsert=1 (one INSERT per row),
#              Import__SqlitePageCacheMegabytes=0, Import__RowsPerWritePass=10000 (parsed rows held per
#              write pass) or DOTNET_gcServer=0 (workstation GC: the peak without server GC's retained garbage).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${ROWS:-50000}"
work="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pd-import-bench-XXXXXX")}"
mkdir -p "$work"
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build (Release)"
nice -n 10 dotnet build "$root/PetitionDashboard" -c Release --nologo -v q >/dev/null
nice -n 10 dotnet build "$root/bench/ExcelBench" -c Release --nologo -v q >/dev/null
app="$root/PetitionDashboard/bin/Release/net10.0/PetitionDashboard.dll"
if [[ -z "${PersonalData__KeyFile:-}" ]]; then
  export PersonalData__KeyFile="$work/personal-data-keys.json"
  dotnet "$app" create-key --file "$PersonalData__KeyFile" >/dev/null
fi
week="$(TZ=Asia/Shanghai date -d '7 days ago' +%G-W%V)"
echo "== ledger: $rows rows (week $week)"
nice -n 10 dotnet "$root/bench/ExcelBench/bin/Release/net10.0/ExcelBench.dll" ledger "$rows" "$work/ledger.xlsx" mixed "$week"

# run NAME DB [APP]: one import process; wall time, CPU and peak memory from /usr/bin/time, the import's own time from its summary.
run() {
  if [[ -n "${BASELINE:-}" && -z "${3:-}" ]]; then
    # The baseline first, on a copy of the same database, then this build on the original.
    cp "$2" "$2.baseline" 2>/dev/null || true
    run "$1 (baseline)" "$2.baseline" "$BASELINE"
    rm -f "$2.baseline" "$2.baseline-wal" "$2.baseline-shm"
  fi
  local name="$1" db="$2" out="$work/$1.out" exe="${3:-$app}"
  local before; before="$(cut -d' ' -f1 /proc/loadavg)"
  (cd "$root/PetitionDashboard" && /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" \
    nice -n 10 dotnet "$exe" import "$work/ledger.xlsx" --Database:ConnectionString "Data Source=$db") >"$out" 2>&1 \
    || { tail -20 "$out"; return 1; }
  read -r wall user sys rss <"$work/$name.time"
  local own; own="$(grep -o '用时 [0-9.]* 秒' "$out" | tail -1)"
  printf '%-39s wall %6.1f s  CPU %6.1f s  peak %5.0f MB  (import %s; load average %s → %s)\n' "$name" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)" "${own:-?}" "$before" "$(cut -d' ' -f1 /proc/loadavg)" \
    | tee -a "$work/figures.txt"
  grep -o '导入完成.*' "$out" | head -1
}

echo "== import into an empty database"
run "empty database" "$work/empty.db"
run "same file again (unchanged)" "$work/empty.db"

if [[ "${PUBLISH:-0}" == 1 ]]; then
  echo "== publish (ReadyToRun) and import with it into an empty database"
  nice -n 10 dotnet publish "$root/PetitionDashboard" -c Release -o "$work/publish" --nologo -v q >/dev/null
  saved="${BASELINE:-}"; BASELINE=""
  run "empty database, published (ReadyToRun)" "$work/empty-published.db" "$work/publish/PetitionDashboard.dll"
  BASELINE="$saved"
fi

# inproc NAME BENCH [TEMPLATE]: the import IN_PROCESS times in one process (ExcelBench in-process), each into a fresh
# database — an empty one, or a copy of TEMPLATE made before the process starts (the copies are deleted after).
inproc() {
  local name="$1" bench="$2" template="${3:-}" prefix="$work/inproc-$(echo "$1" | tr -c 'a-z0-9\n' -)"
  if [[ -n "$template" ]]; then
    for i in $(seq 1 "$IN_PROCESS"); do cp --sparse=always "$template" "$prefix-$i.db"; done
    sync
  fi
  local before; before="$(cut -d' ' -f1 /proc/loadavg)"
  # The web app's runtime settings (its runtimeconfig: server GC, tier-up after 5 calls with no delay, no tiered PGO, no
  # spinning thread-pool semaphore), not the console harness's defaults: run 2 on is what an upload costs in the server.
  (cd "$root/PetitionDashboard" && DOTNET_gcServer="${DOTNET_gcServer:-1}" DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}" \
    DOTNET_TC_CallCountThreshold="${DOTNET_TC_CallCountThreshold:-5}" DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}" \
    DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}" nice -n 10 dotnet "$bench" in-process "$IN_PROCESS" "$work/ledger.xlsx" "$prefix") \
    >"$work/$name.inproc" 2>&1 || { tail -20 "$work/$name.inproc"; return 1; }
  grep '^in-process run' "$work/$name.inproc" | sed "s/^/$name: /;s/\$/  (load average $before → $(cut -d' ' -f1 /proc/loadavg))/" | tee -a "$work/figures.txt"
  rm -f "$prefix"-*.db "$prefix"-*.db-wal "$prefix"-*.db-shm
}
if [[ "${IN_PROCESS:-0}" -gt 0 ]]; then
  echo "== the import $IN_PROCESS times in one process (run 1 cold, then warm), each into an empty database"
  # The baseline's own ExcelBench (built beside its app: <tree>/bench/ExcelBench/bin/Release/net10.0), when there is one.
  base_bench="${BASELINE:+$(dirname "$BASELINE")/../../../../bench/ExcelBench/bin/Release/net10.0/ExcelBench.dll}"
  if [[ -n "$base_bench" && -f "$base_bench" ]]; then inproc "baseline" "$base_bench"; fi
  inproc "this build" "$root/bench/ExcelBench/bin/Release/net10.0/ExcelBench.dll"
  if [[ "${SKIP_1M:-0}" != 1 && -n "${DB1M:-}" ]]; then
    # The goals are at 1,000,000 petitions: the upload into the bureau's own database, warm (each run into its own copy).
    echo "== the same, each run into a copy of $DB1M"
    if [[ -n "$base_bench" && -f "$base_bench" ]]; then inproc "baseline, 1M" "$base_bench" "$DB1M"; fi
    inproc "this build, 1M" "$root/bench/ExcelBench/bin/Release/net10.0/ExcelBench.dll" "$DB1M"
  fi
fi

if [[ "${SKIP_1M:-0}" != 1 && -n "${DB1M:-}" ]]; then
  echo "== import into a copy of $DB1M"
  # Made by this version, so the start-up migrations have little to do (an older file: its migration is in the time).
  cp "$DB1M" "$work/1m.db"
  run "1,000,000-petition database" "$work/1m.db"
  rm -f "$work/1m.db" "$work/1m.db-wal" "$work/1m.db-shm"
fi

echo
echo "== figures ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
cat "$work/figures.txt"
