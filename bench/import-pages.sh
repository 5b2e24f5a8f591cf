#!/usr/bin/env bash
# Which tables and indexes an import wrote, in pages: compares a database file before an import with a copy after it
# (checkpointed), page by page, and names each changed page's b-tree (SQLite's dbstat). What an import costs at 1M is
# mostly these pages (each one read, changed, written to the WAL, then copied back by the checkpoint): this says where
# they go.
#   bash bench/import-pages.sh BEFORE.db AFTER.db
# AFTER.db must be a copy of BEFORE.db with the import done in it (bench/import.sh's DB1M copies, or
# `dotnet PetitionDashboard.dll import ledger.xlsx --Database:ConnectionString "Data Source=AFTER.db"`). Needs sqlite3
# (with dbstat, as Debian's) and python3. Reads both files once (≈ 4 GB at 1M: a minute).
set -euo pipefail
before=${1:?用法：bash bench/import-pages.sh 导入前.db 导入后.db}
after=${2:?用法：bash bench/import-pages.sh 导入前.db 导入后.db}
# The WAL into the file first: the comparison reads the main file only.
sqlite3 "$after" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
pages=$(mktemp)
trap 'rm -f "$pages"' EXIT
sqlite3 -csv "$after" "SELECT pageno, name FROM dbstat" > "$pages"
python3 - "$before" "$after" "$pages" <<'PY'
import collections, csv, os, sys
before, after, pages = sys.argv[1:4]
names = {int(p): n for p, n in csv.reader(open(pages))}
size = int(os.popen(f"sqlite3 '{after}' 'PRAGMA page_size'").read())
old_pages = os.path.getsize(before) // size
changed, new = collections.Counter(), collections.Counter()
with open(before, 'rb') as a, open(after, 'rb') as b:
    page = 1
    while chunk := b.read(size * 256):
        old = a.read(size * 256)
        for i in range(0, len(chunk), size):
            if chunk[i:i + size] != old[i:i + size]:
                name = names.get(page, '(free list)')
                changed[name] += 1
                if page > old_pages: new[name] += 1
            page += 1
total = sum(changed.values())
print(f"{total:,} pages changed ({total * size / 1e6:,.0f} MB), {sum(new.values()):,} of them new; page size {size}")
print("| Table or index | Pages changed | Of which new | Share |")
print("|---|---:|---:|---:|")
for name, n in changed.most_common():
    print(f"| {name} | {n:,} | {new[name]:,} | {100 * n / total:.1f} % |")
PY
