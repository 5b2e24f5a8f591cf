#!/usr/bin/env bash
# Adds a migration named $1 for every provider (SQLite, SQL Server, PostgreSQL) and regenerates the idempotent scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: db/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project PetitionDashboard --context SqliteDbContext --output-dir Data/Migrations/Sqlite
dotnet ef migrations add "$name" --project PetitionDashboard --context SqlServerDbContext --output-dir Data/Migrations/SqlServer
dotnet ef migrations add "$name" --project PetitionDashboard --context PostgresDbContext --output-dir Data/Migrations/Postgres
bash db/script.sh
