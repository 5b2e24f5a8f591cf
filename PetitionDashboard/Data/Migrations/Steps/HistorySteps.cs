using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// The data step of the dated-history migration (issue 17): every 包案 with a resolution date gets its resolution row — still
/// holding when the 包案 is 已化解, ended by its relapse when it is 反弹. A 包案 resolved again after
/// a relapse before this migration kept only its last resolution; that is all the old row knows, so that is what is kept.
/// Thread and unit changes start empty: a petition without one keeps its current thread and unit for every week, which is
/// what the statistics counted before. Double-quoted identifiers work on SQLite, SQL Server and PostgreSQL alike.
/// </summary>
public static class HistorySteps
{
    public static void Up(MigrationBuilder mb, string provider) => mb.Sql($"""
        INSERT INTO "AssignmentResolutions" ("AssignmentId", "ResolvedOn", "RelapsedOn")
        SELECT "Id", "ResolvedOn", CASE WHEN "Status" = {(int)Domain.AssignmentStatus.Relapsed} AND "RelapsedOn" >= "ResolvedOn" THEN "RelapsedOn" ELSE NULL END
        FROM "LeaderAssignments" WHERE "ResolvedOn" IS NOT NULL;
        """);

    // The tables go with the migration's own Down; nothing to restore.
    public static void Down(MigrationBuilder mb, string provider)
    {
    }
}
