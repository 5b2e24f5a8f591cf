#!/usr/bin/env bash
# The one command that runs the whole test suite, on a fresh Debian machine as root or on a developer's machine.
#   bash test.sh                      everything (unit, service, component, browser tests)
#   bash test.sh --filter-class "*SupervisionServiceTests"   extra arguments go to the test runner
# Screenshots, logs and test reports go to artifacts/ (git-ignored).
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export PD_ARTIFACTS="$ROOT/artifacts"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Each run starts with empty artifact folders, so what is there belongs to this run.
rm -rf "$PD_ARTIFACTS/logs" "$PD_ARTIFACTS/screenshots" "$PD_ARTIFACTS/test-results"
mkdir -p "$PD_ARTIFACTS/logs" "$PD_ARTIFACTS/screenshots"
LOG="$PD_ARTIFACTS/logs/test.log"
: > "$LOG"
start=$(date +%s)

step() { printf '\n== %s\n' "$*" | tee -a "$LOG"; }
run() { "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"; }
fail() { echo "test.sh: $*" | tee -a "$LOG" >&2; exit 1; }

# --- What the tests need from the system: Debian's Chromium and CJK fonts (Chinese would render as boxes). ------------
have_cjk_fonts() { ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q .; }
apt_updated=0
apt_install() {
    command -v apt-get >/dev/null || fail "需要安装 $*，但本机没有 apt-get"
    [ "$(id -u)" -eq 0 ] || fail "需要安装 $*：请以 root 运行，或先手动安装"
    if [ "$apt_updated" -eq 0 ]; then run env DEBIAN_FRONTEND=noninteractive apt-get update || fail "apt-get update 失败"; apt_updated=1; fi
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" || fail "apt-get install $* 失败"
}

step "系统依赖（chromium、fonts-noto-cjk）"
if [ -x /usr/bin/chromium ] && have_cjk_fonts; then
    echo "已安装，跳过" | tee -a "$LOG"
else
    apt_install chromium fonts-noto-cjk
fi

# --- A throwaway PostgreSQL: the service tests run on it as well as on SQLite. A server that does not start fails the run
# (never a skip). A fresh cluster in a temporary folder, on a free loopback port, removed at exit even when tests fail.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
step "PostgreSQL（测试用临时实例）"
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/pg_ctl" ]; then apt_install postgresql; fi
PG_BIN=$(pg_bin)
[ -x "$PG_BIN/initdb" ] || fail "找不到 PostgreSQL 的 initdb（/usr/lib/postgresql/*/bin）"
PG_DIR=$(mktemp -d /tmp/pd-postgres.XXXXXX)
# initdb and postgres refuse to run as root: as root the cluster belongs to the postgres user.
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || fail "以 root 运行时需要 postgres 用户（Debian 的 postgresql 软件包会创建它）"
    chown postgres: "$PG_DIR"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
stop_postgres() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PG_DIR"
}
trap stop_postgres EXIT
run as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
    || fail "PostgreSQL initdb 失败"
pg_started=0
for attempt in 1 2 3 4 5; do
    PG_PORT=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null && continue   # taken
    if run as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start; then
        pg_started=1; break
    fi
done
if [ "$pg_started" -ne 1 ]; then
    cat "$PG_DIR/server.log" >>"$LOG" 2>/dev/null
    fail "PostgreSQL 未能启动（日志见 $LOG）"
fi
export PD_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') 在 127.0.0.1:$PG_PORT（$PG_DIR）" | tee -a "$LOG"

# --- The .NET 10 SDK (global.json) comes with the machine; without it nothing here can build. ---------------------------
if ! command -v dotnet >/dev/null || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    fail "缺少 .NET 10 SDK：请先安装 .NET 10 SDK（dotnet --list-sdks 应列出 10.x）"
fi

# --- Restore once, build once, test without building again. ---------------------------------------------------------
step "dotnet tool restore"
run dotnet tool restore || fail "dotnet tool restore 失败"
step "dotnet restore"
run dotnet restore || fail "dotnet restore 失败"
step "dotnet build -c Release"
run dotnet build -c Release --no-restore || fail "编译失败"
step "dotnet test -c Release"
# A run stopped by a signal must not read green: the test runner answers SIGTERM/SIGINT by cancelling the session and
# may still exit 0, so the signal itself decides the exit code.
terminated=0
trap 'terminated=1' TERM INT
run dotnet test --no-build -c Release \
    --results-directory "$PD_ARTIFACTS/test-results" --report-xunit-html --report-xunit-junit \
    --timeout 60m "$@"
code=$?
if [ "$terminated" -eq 1 ] && [ "$code" -eq 0 ]; then code=143; echo "test.sh: 测试运行被信号中止" | tee -a "$LOG" >&2; fi

# The failed tests once more, last: CI keeps only the tail of the output, and a failure printed mid-run (between
# thousands of server log lines) would otherwise be lost. Read from the JUnit report the runner wrote.
if [ "$code" -ne 0 ]; then
    for report in "$PD_ARTIFACTS"/test-results/*.junit.xml; do
        [ -f "$report" ] || continue
        awk 'function unescape(s) {
                 gsub(/&#xA;|&#10;|&#xD;|&#13;/, " ", s); gsub(/&quot;/, "\"", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s)
                 gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s); return s }
             BEGIN { RS = "<testcase "; n = 0 }
             /<failure|<error/ {
                 name = $0; sub(/^[^"]*name="/, "", name); sub(/".*/, "", name)
                 msg = $0; sub(/^.*<(failure|error)[^>]*message="/, "", msg); sub(/".*/, "", msg)
                 printf "失败：%s\n      %s\n", unescape(name), substr(unescape(msg), 1, 700); n++ }
             END { printf "共 %d 个测试失败（报告：%s）\n", n, FILENAME }' "$report" | tee -a "$LOG"
    done
fi

printf '\n测试退出码 %s，用时 %s 秒。日志：%s；截图：%s/screenshots\n' \
    "$code" "$(( $(date +%s) - start ))" "$LOG" "$PD_ARTIFACTS" | tee -a "$LOG"
exit "$code"
