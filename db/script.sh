#!/usr/bin/env bash
# Regenerates db/sqlserver/schema.sql and db/postgres/schema.sql: idempotent scripts a DBA can review and run
# (no server needed to generate them; SQLite has no idempotent script, the app migrates its file itself).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p db/sqlserver db/postgres
dotnet tool restore >/dev/null
dotnet ef migrations script --idempotent --project PetitionDashboard --context SqlServerDbContext --output db/sqlserver/schema.sql
dotnet ef migrations script --idempotent --project PetitionDashboard --context PostgresDbContext --output db/postgres/schema.sql
