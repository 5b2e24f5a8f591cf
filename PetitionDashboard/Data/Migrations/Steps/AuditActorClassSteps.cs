using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// The data step of the AuditActorClass migration (issue 13, 三员分立): rows written before the column existed get the class
/// their actor has at migration time — 系统 (jobs, start-up, the command line), an administrator (any of the three roles),
/// else a business user — so the administrators' past actions stay hidden from Supervisors even if a role is removed later.
/// Double-quoted identifiers work on SQLite, SQL Server (QUOTED_IDENTIFIER is on) and PostgreSQL alike; SQL Server needs
/// N'…' for the Chinese literal, which the others do not accept.
/// </summary>
public static class AuditActorClassSteps
{
    public static void Up(MigrationBuilder mb, string provider)
    {
        var n = provider == "SqlServer" ? "N" : "";
        mb.Sql($"UPDATE \"AuditEntries\" SET \"ActorClass\" = 'System' WHERE \"Actor\" = {n}'系统' OR \"Actor\" LIKE {n}'系统（%';");
        mb.Sql("""
            UPDATE "AuditEntries" SET "ActorClass" = 'Administrator'
            WHERE "ActorClass" IS NULL AND UPPER("Actor") IN (
                SELECT u."NormalizedUserName" FROM "AspNetUsers" u
                JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id"
                JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                WHERE r."NormalizedName" IN ('SYSTEMADMIN', 'SECURITYADMIN', 'AUDITADMIN'));
            """);
        mb.Sql("UPDATE \"AuditEntries\" SET \"ActorClass\" = 'Business' WHERE \"ActorClass\" IS NULL;");
    }
}
