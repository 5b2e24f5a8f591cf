#!/usr/bin/env bash
# Figures for the Excel features (never run by `dotnet test`):
#   1. import a 50,000-row ledger (mixed states, ~10 % repeats by 原信访编号) into an empty database, then re-import it;
#   2. export the 督办通报 of a week whose 超期清单 has 100,000 rows (a 100,000-row ledger of never-accepted petitions
#      is imported first, the week's statistics computed, then the report exported).
# Everything goes through the app's command line (import, recompute-statistics, export-report), built in Release.
#
#   bash bench/excel.sh                          # 50,000 + 100,000 rows
#   IMPORT_ROWS=10000 OVERDUE_ROWS=20000 bash bench/excel.sh
#
# Environment: IMPORT_ROWS (50000), OVERDUE_ROWS (100000), WORK (a temp folder, deleted unless KEEP=1).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
import_rows="${IMPORT_ROWS:-50000}"
overdue_rows="${OVERDUE_ROWS:-100000}"
work="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pd-excel-bench-XXXXXX")}"
mkdir -p "$work"
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT

echo "== build (Release)"
dotnet build "$root/PetitionDashboard" -c Release --nologo -v q >/dev/null
dotnet build "$root/bench/ExcelBench" -c Release --nologo -v q >/dev/null
app="$root/PetitionDashboard/bin/Release/net10.0/PetitionDashboard.dll"
gen="$root/bench/ExcelBench/bin/Release/net10.0/ExcelBench.dll"
# The last full week (Asia/Shanghai), the default of export-report.
week="$(TZ=Asia/Shanghai date -d '7 days ago' +%G-W%V)"

# run NAME CMD…: wall time and peak resident memory of one process.
run() {
  local name="$1"; shift
  local rss="$work/$name.rss"
  local start end
  start=$(date +%s.%N)
  (cd "$root/PetitionDashboard" && /usr/bin/time -f "%M" -o "$rss" "$@")
  end=$(date +%s.%N)
  printf '%-34s %7.1f s   peak %5.0f MB\n' "$name" "$(echo "$end - $start" | bc)" "$(echo "$(cat "$rss") / 1024" | bc -l)" | tee -a "$work/figures.txt"
}

echo "== ledgers (week $week)"
dotnet "$gen" ledger "$import_rows" "$work/ledger-mixed.xlsx" mixed "$week"
dotnet "$gen" ledger "$overdue_rows" "$work/ledger-overdue.xlsx" overdue "$week"

echo "== import $import_rows rows"
db1="Data Source=$work/import.db"
run "import $import_rows rows" dotnet "$app" import "$work/ledger-mixed.xlsx" --Database:ConnectionString "$db1"
run "re-import (unchanged)" dotnet "$app" import "$work/ledger-mixed.xlsx" --Database:ConnectionString "$db1"

echo "== report with $overdue_rows overdue rows"
db2="Data Source=$work/report.db"
run "import $overdue_rows rows" dotnet "$app" import "$work/ledger-overdue.xlsx" --Database:ConnectionString "$db2"
run "recompute-statistics --week" dotnet "$app" recompute-statistics --week "$week" --Database:ConnectionString "$db2"
run "export-report ($overdue_rows overdue)" dotnet "$app" export-report --week "$week" --out "$work/report.xlsx" --Database:ConnectionString "$db2"
printf 'report file                        %.1f MB\n' "$(echo "$(stat -c %s "$work/report.xlsx") / 1048576" | bc -l)"

echo
echo "== figures"
cat "$work/figures.txt"
printf 'machine: %s cores, load average %s, %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(uname -sr)"
[[ "${KEEP:-0}" == 1 ]] && echo "kept: $work"
