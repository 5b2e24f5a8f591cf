using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// Hand-written SQL of the "StatisticsIndexes" migration (issue 12): a covering index of the petition columns the weekly
/// statistics read (docs/rules.md §8 "at the end of W", §11). The weekly scan, the 积案 query and its open-thread subquery
/// count over every petition received by W's Sunday; with this index they read a narrow index ordered by 收件日期 (the
/// range ReceivedOn ≤ Sunday) instead of the whole Petitions table with its text columns — at 1,000,000 petitions the
/// table is about 1.2 GB, the index under 100 MB. Kept out of the model (SQLite has no INCLUDE, so its key lists every
/// column; SQL Server and PostgreSQL key on ReceivedOn and INCLUDE the rest) and only ever an index: on SQLite nothing
/// rebuilds the Petitions table (its FTS5 and change-feed triggers stay).
/// </summary>
public static class StatisticsIndexSteps
{
    public const string IndexName = "IX_Petitions_Statistics";

    /// <summary>Every column a §8/§11 week query reads from a petition, besides its Id (the row id / clustered key).</summary>
    public static readonly string[] Columns =
    [
        "FinishedOn", "AcceptedOn", "RepliedOn", "DispatchedOn", "FirstDecisionOn", "ExtensionDays", "SimpleProcedure", "Evaluation",
        "Form", "PeopleCount", "RecheckAcceptedOn", "ReviewAcceptedOn", "ReviewDecidedOn", "IsRepeat", "ThreadId", "ThreadChangedOn",
        "UnitId", "UnitChangedOn", "LeaderReceptionOn",
    ];

    public static void Up(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
                mb.Sql($"CREATE INDEX IF NOT EXISTS \"{IndexName}\" ON \"Petitions\" (\"ReceivedOn\", {List('"', '"')});");
                break;
            case "PostgreSql":
                mb.Sql($"CREATE INDEX IF NOT EXISTS \"{IndexName}\" ON \"Petitions\" (\"ReceivedOn\") INCLUDE ({List('"', '"')});");
                break;
            case "SqlServer":
                mb.Sql($"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = '{IndexName}' AND object_id = OBJECT_ID('Petitions')) "
                    + $"CREATE INDEX [{IndexName}] ON [Petitions] ([ReceivedOn]) INCLUDE ({List('[', ']')});");
                break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public static void Down(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
            case "PostgreSql":
                mb.Sql($"DROP INDEX IF EXISTS \"{IndexName}\";");
                break;
            case "SqlServer":
                mb.Sql($"DROP INDEX IF EXISTS [{IndexName}] ON [Petitions];");
                break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    private static string List(char open, char close) => string.Join(", ", Columns.Select(c => $"{open}{c}{close}"));
}
