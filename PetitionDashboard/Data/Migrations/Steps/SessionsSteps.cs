using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// The data step of the sessions/三员分立 migration (issue 13): the old single Admin role becomes 系统管理员 (SystemAdmin).
/// Renaming the role row keeps its id, so every user who was an Admin is a SystemAdmin afterwards; the security and audit
/// administrators are new roles, created at start-up, and granted by nobody automatically (docs/rules.md §10).
/// Double-quoted identifiers work on SQLite, SQL Server (QUOTED_IDENTIFIER is on) and PostgreSQL alike.
/// </summary>
public static class SessionsSteps
{
    public static void Up(MigrationBuilder mb, string provider) => mb.Sql(
        "UPDATE \"AspNetRoles\" SET \"Name\" = 'SystemAdmin', \"NormalizedName\" = 'SYSTEMADMIN' WHERE \"NormalizedName\" = 'ADMIN';");

    public static void Down(MigrationBuilder mb, string provider) => mb.Sql(
        "UPDATE \"AspNetRoles\" SET \"Name\" = 'Admin', \"NormalizedName\" = 'ADMIN' WHERE \"NormalizedName\" = 'SYSTEMADMIN';");
}
