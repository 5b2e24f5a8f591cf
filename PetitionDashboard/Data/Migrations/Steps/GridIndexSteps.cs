using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// Hand-written SQL of the "GridIndexes" migration (issue 12, goals 2 and 3), kept out of the generated files so the
/// migration can be regenerated at a merge. SQLite: a second view of the FTS5 index that lists every (trigram, petition)
/// pair, so a 1–2 character text reads the rows under its trigrams as one range instead of OR-ing thousands of terms.
/// Every provider: a partial index of the repeats (重件, 15 % of all petitions) in case-number order, so 全部 + 重件
/// counts 150,000 short entries instead of a 1M-entry index, and its first page is the index's first entries; its filter
/// is written per provider (a boolean column), so it is not in the EF model. Only new objects: nothing here rebuilds
/// <c>Petitions</c> (that would drop the search and change-feed triggers).
/// </summary>
public static class GridIndexSteps
{
    /// <summary>fts5vocab 'instance' over <see cref="PerfSteps.SqliteSearchTable"/>: (term, doc) per indexed trigram.</summary>
    public const string SqliteSearchInstances = "PetitionSearchInstances";

    public const string RepeatIndex = "IX_Petitions_Repeat_CaseNumber", DueLastIndex = "IX_Petitions_DueLast",
        DueLastDescIndex = "IX_Petitions_DueLastDesc";

    // 全部信访件 by deadline (the page's default sort on that scope) orders by "no deadline last", then the deadline, then
    // the case number: an index on exactly those expressions, one per direction, gives the first page without sorting
    // 1M rows. SQLite and PostgreSQL index expressions; SQL Server would need a computed column (not done: it sorts).
    private static string DueLastSql(string name, string direction) =>
        $"CREATE INDEX IF NOT EXISTS \"{name}\" ON \"Petitions\" ((\"CurrentDueDate\" IS NULL), \"CurrentDueDate\"{direction}, \"CaseNumber\");";

    /// <summary>The indexes this migration creates (EF model and <see cref="RepeatIndex"/>), for SQLite's statistics.</summary>
    private static readonly string[] NewIndexes =
    [
        "IX_Petitions_Open_Due", "IX_Petitions_Open_Received", "IX_Petitions_Open_Supervision", "IX_Petitions_Open_SupervisionDesc",
        "IX_Petitions_Open_Petitioner", "IX_Petitions_Open_Unit", "IX_Petitions_Category_ReceivedOn",
        "IX_Petitions_PetitionerNames_CaseNumber", "IX_Petitions_UnitId_CaseNumber", RepeatIndex, DueLastIndex, DueLastDescIndex,
    ];

    public static void Up(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
                // A virtual table over the existing index: no data of its own, nothing to keep in step.
                mb.Sql($"CREATE VIRTUAL TABLE IF NOT EXISTS \"{SqliteSearchInstances}\" USING fts5vocab('{PerfSteps.SqliteSearchTable}', 'instance');");
                // EF Core's SQLite provider writes a boolean test as the bare column: the index's filter must read the same.
                mb.Sql($"CREATE INDEX IF NOT EXISTS \"{RepeatIndex}\" ON \"Petitions\" (\"CaseNumber\") WHERE \"IsRepeat\";");
                mb.Sql(DueLastSql(DueLastIndex, ""));
                mb.Sql(DueLastSql(DueLastDescIndex, " DESC"));
                // A database that has statistics (sqlite_stat1) gets them for the new indexes too, so the planner weighs
                // them like the others rather than by defaults; each is one pass over its own entries.
                foreach (var index in NewIndexes) mb.Sql($"ANALYZE \"{index}\";");
                break;
            case "PostgreSql":
                mb.Sql($"CREATE INDEX IF NOT EXISTS \"{RepeatIndex}\" ON \"Petitions\" (\"CaseNumber\") WHERE \"IsRepeat\";");
                mb.Sql(DueLastSql(DueLastIndex, ""));
                mb.Sql(DueLastSql(DueLastDescIndex, " DESC"));
                break;
            case "SqlServer":
                mb.Sql($"CREATE INDEX [{RepeatIndex}] ON [Petitions] ([CaseNumber]) WHERE [IsRepeat] = 1;");
                break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public static void Down(MigrationBuilder mb, string provider)
    {
        if (provider == "Sqlite") mb.Sql($"DROP TABLE IF EXISTS \"{SqliteSearchInstances}\";");
        if (provider == "SqlServer") mb.Sql($"DROP INDEX IF EXISTS [{RepeatIndex}] ON [Petitions];");
        else
            foreach (var index in new[] { RepeatIndex, DueLastIndex, DueLastDescIndex }) mb.Sql($"DROP INDEX IF EXISTS \"{index}\";");
    }
}
