using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// Hand-written SQL of the "ChangeFeedCommitted" migration (issue 12's review found two ways a kept figure went stale):
/// <list type="bullet">
/// <item>PostgreSQL's counter was a sequence, and <c>nextval</c> is seen by every session at once, before the write
/// commits: a node that read the counter during a write (an import holds its transaction for seconds) computed figures
/// without that write and kept them under the version that counted it — until the next write. Now each writing
/// transaction adds one row to <see cref="PostgresLog"/>, seen exactly when its data is, and the counter is their sum.
/// Inserts never wait for each other, so concurrent writers still do not queue on one row.</item>
/// <item>The 高风险初件 card reads the risk scores and the latest model, which the scoring and training jobs write
/// without touching a petition: those tables now move the counter too, on every provider.</item>
/// </list>
/// SQL Server keeps its sequence (the first flaw stays there; no SQL Server here to test a change against).
/// </summary>
public static class ChangeFeedCommitSteps
{
    /// <summary>PostgreSQL: one row per committed writing transaction (compacted by <see cref="Infrastructure.ChangeFeed.DatabaseChangeFeed"/>).</summary>
    public const string PostgresLog = "ChangeLog";

    private static readonly string[] PetitionTables = ["Petitions", "LeaderAssignments"];
    private static readonly string[] RiskTables = ["RiskScores", "RiskModels"];

    public static void Up(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
                foreach (var t in RiskTables)
                    foreach (var op in new[] { "INSERT", "UPDATE", "DELETE" })
                        mb.Sql($"""
                            CREATE TRIGGER "TR_{t}_change_{op.ToLowerInvariant()}" AFTER {op} ON "{t}"
                            BEGIN UPDATE "{PerfSteps.CounterTable}" SET "Value" = "Value" + 1 WHERE "Id" = 1; END;
                            """);
                break;
            case "PostgreSql":
                mb.Sql($"""CREATE TABLE "{PostgresLog}" ("Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Count" bigint NOT NULL);""");
                // Carry the sequence's value over: a running node never takes a counter lower than the one it holds.
                mb.Sql($"""INSERT INTO "{PostgresLog}" ("Count") SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "{PerfSteps.Sequence}";""");
                // One row per transaction, whatever it writes (a transaction-local setting marks it logged): an import of
                // 50,000 statements adds one row, and the live bar's N counts writes (transactions) on this provider.
                mb.Sql($"""
                    CREATE OR REPLACE FUNCTION change_feed_log() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF coalesce(current_setting('petition_dashboard.change_logged', true), '') <> '1' THEN
                        INSERT INTO "{PostgresLog}" ("Count") VALUES (1);
                        PERFORM set_config('petition_dashboard.change_logged', '1', true);
                      END IF;
                      RETURN NULL;
                    END $$;
                    """);
                foreach (var t in PetitionTables) mb.Sql($"""DROP TRIGGER IF EXISTS "TR_{t}_change" ON "{t}";""");
                mb.Sql("DROP FUNCTION IF EXISTS change_feed_bump();");
                mb.Sql($"""DROP SEQUENCE IF EXISTS "{PerfSteps.Sequence}";""");
                foreach (var t in PetitionTables.Concat(RiskTables))
                    mb.Sql($"""CREATE TRIGGER "TR_{t}_change" AFTER INSERT OR UPDATE OR DELETE ON "{t}" FOR EACH STATEMENT EXECUTE FUNCTION change_feed_log();""");
                break;
            case "SqlServer":
                foreach (var t in RiskTables)
                    mb.Sql($"""
                        CREATE TRIGGER [TR_{t}_change] ON [{t}] AFTER INSERT, UPDATE, DELETE AS
                        BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [{PerfSteps.Sequence}]; END;
                        """);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public static void Down(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
                foreach (var t in RiskTables)
                    foreach (var op in new[] { "insert", "update", "delete" })
                        mb.Sql($"DROP TRIGGER IF EXISTS \"TR_{t}_change_{op}\";");
                break;
            case "PostgreSql":
                foreach (var t in PetitionTables.Concat(RiskTables)) mb.Sql($"""DROP TRIGGER IF EXISTS "TR_{t}_change" ON "{t}";""");
                mb.Sql("DROP FUNCTION IF EXISTS change_feed_log();");
                mb.Sql($"""CREATE SEQUENCE IF NOT EXISTS "{PerfSteps.Sequence}";""");
                mb.Sql($"""SELECT setval('"{PerfSteps.Sequence}"', s, true) FROM (SELECT sum("Count") AS s FROM "{PostgresLog}") x WHERE s > 0;""");
                mb.Sql($"""
                    CREATE OR REPLACE FUNCTION change_feed_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN PERFORM nextval('"{PerfSteps.Sequence}"'); RETURN NULL; END $$;
                    """);
                foreach (var t in PetitionTables)
                    mb.Sql($"""CREATE TRIGGER "TR_{t}_change" AFTER INSERT OR UPDATE OR DELETE ON "{t}" FOR EACH STATEMENT EXECUTE FUNCTION change_feed_bump();""");
                mb.Sql($"""DROP TABLE IF EXISTS "{PostgresLog}";""");
                break;
            case "SqlServer":
                foreach (var t in RiskTables) mb.Sql($"DROP TRIGGER IF EXISTS [TR_{t}_change];");
                break;
        }
    }
}
