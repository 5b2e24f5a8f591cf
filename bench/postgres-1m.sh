#!/usr/bin/env bash
# Issue 11: the 1M benchmarks on PostgreSQL beside SQLite, in one run on one machine — backlog first page (default
# sort), KPI cards (computed, and from the node's cache), one recompute of one week, the export of that week's report.
# Never run by the test command; everything runs niced.
#
#   SQLITE_DB=/tmp/perf/pd-1m.db bash bench/postgres-1m.sh
#   PG_CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=pd1m" SQLITE_DB=… bash bench/postgres-1m.sh
#
# SQLITE_DB: an existing SQLite database of the same size (made by generate-demo); it is COPIED, never modified.
# PG_CONNECTION: an existing PostgreSQL database already generated; without it a throwaway cluster is started (as in
#   test.sh: the postgres user, a fresh cluster in a temporary folder, a free loopback port, fsync=off), filled with
#   generate-demo --petitions $PETITIONS, and stopped and removed at the end (KEEP_PG=1 keeps it running).
# Environment: PETITIONS (1000000), WEEK (2026-W47), RUNS (3, CLI commands), ITERATIONS (5, BacklogBench warm runs),
#   WORK (/tmp/pd-pgbench-work), PersonalData__KeyFile (default: a new key file in WORK; the SQLite file needs the key
#   it was encrypted with only if it already holds encrypted rows).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
petitions="${PETITIONS:-1000000}"
week="${WEEK:-2026-W47}"
runs="${RUNS:-3}"
work="${WORK:-/tmp/pd-pgbench-work}"
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[[ -n "${SQLITE_DB:-}" && -f "$SQLITE_DB" ]] || { echo "SQLITE_DB must name an existing SQLite database" >&2; exit 1; }

echo "== build (Release)"
nice -n 10 dotnet build "$root/PetitionDashboard" -c Release --nologo -v q >/dev/null
nice -n 10 dotnet build "$root/bench/BacklogBench" -c Release --nologo -v q >/dev/null
app() { (cd "$root/PetitionDashboard" && nice -n 10 dotnet bin/Release/net10.0/PetitionDashboard.dll "$@"); }
if [[ -z "${PersonalData__KeyFile:-}" ]]; then
  export PersonalData__KeyFile="$work/personal-data-keys.json"
  [[ -f "$PersonalData__KeyFile" ]] || app create-key --file "$PersonalData__KeyFile" >/dev/null
fi

# --- PostgreSQL ------------------------------------------------------------------------------------------------------
pg_conn="${PG_CONNECTION:-}"
if [[ -z "$pg_conn" ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x "$pg_bin/initdb" ]] || { echo "PostgreSQL not installed (Debian: apt-get install postgresql)" >&2; exit 1; }
  pg_dir=$(mktemp -d /tmp/pd-pgbench.XXXXXX)
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$pg_dir"; as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
  [[ "${KEEP_PG:-0}" == 1 ]] || trap stop_pg EXIT
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  for attempt in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    # fsync=off: a throwaway benchmark cluster (as in test.sh); shared_buffers 256 MB, as SQLite's page cache.
    as_pg nice -n 10 "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB -c max_connections=50" start >/dev/null && break
  done
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE pd_bench" >/dev/null
  pg_conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=pd_bench"
  echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (fsync=off, shared_buffers=256MB)"
  echo "== generate-demo: $petitions petitions into PostgreSQL"
  start=$(date +%s.%N)
  app generate-demo --petitions "$petitions" --Database:Provider PostgreSql --Database:ConnectionString "$pg_conn" | tail -1
  printf 'generate-demo on PostgreSQL: %.0f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
fi

# --- SQLite: a copy, never the original ------------------------------------------------------------------------------
sqlite_db="$work/sqlite-bench.db"
cp "$SQLITE_DB" "$sqlite_db"
rm -f "$sqlite_db-wal" "$sqlite_db-shm"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall time of a whole process; its own output (recompute prints its in-process time) goes to $work/cli.log.
timed() { local s; s=$(date +%s.%N); "$@" >>"$work/cli.log" 2>&1; echo "$(date +%s.%N) - $s" | bc; }

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A result
for provider in Sqlite PostgreSql; do
  if [[ "$provider" == Sqlite ]]; then conn="Data Source=$sqlite_db"; bench_args=("$sqlite_db")
  else conn="$pg_conn"; bench_args=(--provider PostgreSql --connection "$pg_conn"); fi
  echo
  echo "== $provider: BacklogBench (the app's BacklogService; the SQL twin column is SQLite's only)"
  # Also migrates the SQLite copy when it was made by an older build (before anything is timed).
  nice -n 10 dotnet "$root/bench/BacklogBench/bin/Release/net10.0/BacklogBench.dll" "${bench_args[@]}" \
    --iterations "${ITERATIONS:-5}" --only "KPI,在办（默认）" | tee "$work/backlog-$provider.txt"
  echo "== $provider: recompute-statistics --week $week, export-report --week $week ($runs runs each, process wall time)"
  rec=(); exp=()
  for i in $(seq "$runs"); do
    rec+=("$(timed app recompute-statistics --week "$week" --Database:Provider "$provider" --Database:ConnectionString "$conn")")
    exp+=("$(timed app export-report --week "$week" --out "$work/report-$provider.xlsx" --Database:Provider "$provider" --Database:ConnectionString "$conn")")
  done
  echo "recompute: ${rec[*]} s; export: ${exp[*]} s"
  # recompute prints its own in-process time ("用时 N 秒"): the process time minus start-up and migration check.
  result[$provider.inproc]=$(grep -oE "已重新计算 $week，用时 [0-9.]+" "$work/cli.log" | tail -n "$runs" | grep -oE "[0-9.]+$" | median)
  : >"$work/cli.log"
  result[$provider.recompute]=$(printf '%s\n' "${rec[@]}" | median)
  result[$provider.export]=$(printf '%s\n' "${exp[@]}" | median)
done

echo
echo "| | SQLite | PostgreSQL |"
echo "|---|---:|---:|"
row() { printf '| %s | %s | %s |\n' "$1" "$(grep -F "| $2 |" "$work/backlog-Sqlite.txt" | awk -F'|' '{gsub(/ /,"",$5); print $5}')" \
  "$(grep -F "| $2 |" "$work/backlog-PostgreSql.txt" | awk -F'|' '{gsub(/ /,"",$5); print $5}')"; }
row "Backlog first page, default sort (ms, median)" "在办（默认）｜最超期在前"
row "KPI cards, computed (ms, median)" "KPI 卡片与时长分布（计算）"
row "KPI cards, from the node's cache (ms, median)" "KPI 卡片与时长分布（打开页面，节点缓存）"
printf '| recompute-statistics --week %s (s, process) | %.1f | %.1f |\n' "$week" "${result[Sqlite.recompute]}" "${result[PostgreSql.recompute]}"
printf '| export-report --week %s (s, process) | %.1f | %.1f |\n' "$week" "${result[Sqlite.export]}" "${result[PostgreSql.export]}"
printf '| the same recompute, in-process time it prints (s) | %.1f | %.1f |\n' "${result[Sqlite.inproc]}" "${result[PostgreSql.inproc]}"
echo
echo "$petitions petitions, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
