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
run dotnet test --no-build -c Release \
    --results-directory "$PD_ARTIFACTS/test-results" --report-xunit-html --report-xunit-junit \
    --timeout 60m "$@"
code=$?

printf '\n测试退出码 %s，用时 %s 秒。日志：%s；截图：%s/screenshots\n' \
    "$code" "$(( $(date +%s) - start ))" "$LOG" "$PD_ARTIFACTS" | tee -a "$LOG"
exit "$code"
