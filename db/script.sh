#!/usr/bin/env bash
# Regenerates db/sqlserver/schema.sql: an idempotent script a DBA can review and run (no server needed to generate it).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p db/sqlserver
dotnet tool restore >/dev/null
dotnet ef migrations script --idempotent --project PetitionDashboard --context SqlServerDbContext --output db/sqlserver/schema.sql
