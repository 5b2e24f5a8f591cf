#!/usr/bin/env bash
# Adds a migration named $1 for every provider and regenerates the SQL Server idempotent script.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: db/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project PetitionDashboard --context SqliteDbContext --output-dir Data/Migrations/Sqlite
dotnet ef migrations add "$name" --project PetitionDashboard --context SqlServerDbContext --output-dir Data/Migrations/SqlServer
bash db/script.sh
