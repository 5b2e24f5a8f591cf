#!/usr/bin/env bash
# Generates the 1,000,000-petition demo city into a temporary SQLite file through the app's command line and
# reports how long it took and how big the database is. Never run by `dotnet test`.
#
#   bash bench/backlog-1m.sh                 # 1,000,000 petitions, default seed, database deleted afterwards
#   PETITIONS=200000 KEEP=1 bash bench/backlog-1m.sh
#
# Environment: PETITIONS (default 1000000), SEED (default: Demo:Seed of appsettings.json),
#              DB (default: a new file under ${TMPDIR:-/tmp}), KEEP=1 keeps the database for later queries.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
petitions="${PETITIONS:-1000000}"
db="${DB:-$(mktemp -u "${TMPDIR:-/tmp}/pd-bench-XXXXXX").db}"
seed_args=()
[[ -n "${SEED:-}" ]] && seed_args=(--seed "$SEED")

if [[ -e "$db" ]]; then
  echo "数据库文件已存在：$db（generate-demo 只写入空数据库）" >&2
  exit 1
fi
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -f "$db" "$db-wal" "$db-shm"; }
trap cleanup EXIT

echo "== build (Release)"
dotnet build "$root/PetitionDashboard" -c Release --nologo -v q >/dev/null

echo "== generate-demo: $petitions petitions into $db"
rss_file="$(mktemp)"
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%M" -o "$rss_file")
start=$(date +%s.%N)
# Run from the project folder, as `dotnet run` does, so appsettings.json is the configuration.
(cd "$root/PetitionDashboard" && "${timer[@]}" dotnet bin/Release/net10.0/PetitionDashboard.dll generate-demo \
  --petitions "$petitions" "${seed_args[@]}" --Database:ConnectionString "Data Source=$db")
end=$(date +%s.%N)

seconds=$(echo "$end - $start" | bc)
bytes=$(( $(stat -c %s "$db") + $( [[ -e "$db-wal" ]] && stat -c %s "$db-wal" || echo 0) ))
echo
echo "== result"
printf 'petitions        %s\n' "$petitions"
printf 'wall time        %.1f s (process start to exit: build excluded, migration included)\n' "$seconds"
printf 'database size    %.0f MB (%s bytes)\n' "$(echo "$bytes / 1048576" | bc -l)" "$bytes"
[[ -s "$rss_file" ]] && printf 'peak memory      %.0f MB (max resident set; includes SQLite'"'"'s 256 MB page cache)\n' "$(echo "$(cat "$rss_file") / 1024" | bc -l)"
rm -f "$rss_file"
printf 'machine          %s cores, load average %s, %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(uname -sr)"
if [[ "${KEEP:-0}" == 1 ]]; then echo "database kept: $db"; fi
