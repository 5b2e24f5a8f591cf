using Microsoft.EntityFrameworkCore.Migrations;

namespace PetitionDashboard.Data.Migrations.Steps;

/// <summary>
/// Hand-written SQL of the "PerfSearchAndChangeFeed" migration (issue 12), kept out of the generated files so the
/// migration can be regenerated at a merge: the change counter the change feed reads, the triggers that move it on
/// every write of a petition or 包案, and the full-text index of the backlog's free-text search per provider.
/// </summary>
public static class PerfSteps
{
    /// <summary>Table names the queries use (<see cref="Infrastructure.ChangeFeed"/>, the backlog text search).</summary>
    public const string SqliteSearchTable = "PetitionSearch", SqliteSearchVocab = "PetitionSearchTerms",
        SqliteSearchSource = "PetitionSearchSource", CounterTable = "ChangeCounters", Sequence = "ChangeFeed";

    // Every write the live pages care about: petitions (register, import, transitions, the nightly level job) and 包案.
    private static readonly string[] WatchedTables = ["Petitions", "LeaderAssignments"];

    public static void Up(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite": SqliteUp(mb); break;
            case "PostgreSql": PostgresUp(mb); break;
            case "SqlServer": SqlServerUp(mb); break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public static void Down(MigrationBuilder mb, string provider)
    {
        switch (provider)
        {
            case "Sqlite":
                foreach (var t in WatchedTables)
                    foreach (var op in new[] { "insert", "update", "delete" })
                        mb.Sql($"DROP TRIGGER IF EXISTS \"TR_{t}_change_{op}\";");
                foreach (var op in new[] { "insert", "update", "delete" }) mb.Sql($"DROP TRIGGER IF EXISTS \"TR_Petitions_search_{op}\";");
                mb.Sql($"DROP TABLE IF EXISTS \"{SqliteSearchVocab}\";");
                mb.Sql($"DROP TABLE IF EXISTS \"{SqliteSearchTable}\";");
                mb.Sql($"DROP VIEW IF EXISTS \"{SqliteSearchSource}\";");
                mb.Sql($"DROP TABLE IF EXISTS \"{CounterTable}\";");
                break;
            case "PostgreSql":
                foreach (var t in WatchedTables) mb.Sql($"DROP TRIGGER IF EXISTS \"TR_{t}_change\" ON \"{t}\";");
                mb.Sql("DROP FUNCTION IF EXISTS change_feed_bump();");
                mb.Sql($"DROP SEQUENCE IF EXISTS \"{Sequence}\";");
                foreach (var c in SearchColumns) mb.Sql($"DROP INDEX IF EXISTS \"IX_Petitions_{c}_trgm\";");
                break;
            case "SqlServer":
                foreach (var t in WatchedTables) mb.Sql($"DROP TRIGGER IF EXISTS [TR_{t}_change];");
                mb.Sql($"DROP SEQUENCE IF EXISTS [{Sequence}];");
                mb.Sql("IF EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('Petitions')) DROP FULLTEXT INDEX ON [Petitions];", suppressTransaction: true);
                mb.Sql("IF EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = 'PetitionSearch') DROP FULLTEXT CATALOG [PetitionSearch];", suppressTransaction: true);
                break;
        }
    }

    private static readonly string[] SearchColumns = ["CaseNumber", "PetitionerNames", "Demand"];

    private static void SqliteUp(MigrationBuilder mb)
    {
        // SQLite has one writer at a time anyway, so a counter row costs no concurrency; row triggers: N = rows written.
        mb.Sql($"CREATE TABLE \"{CounterTable}\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Value\" INTEGER NOT NULL);");
        mb.Sql($"INSERT INTO \"{CounterTable}\" (\"Id\", \"Value\") VALUES (1, 0);");
        foreach (var t in WatchedTables)
            foreach (var op in new[] { "INSERT", "UPDATE", "DELETE" })
                mb.Sql($"""
                    CREATE TRIGGER "TR_{t}_change_{op.ToLowerInvariant()}" AFTER {op} ON "{t}"
                    BEGIN UPDATE "{CounterTable}" SET "Value" = "Value" + 1 WHERE "Id" = 1; END;
                    """);

        // FTS5 trigram over case number, names and demand (case-sensitive, like instr(), so the index never misses a
        // row the exact predicate keeps). Each column is indexed with two newlines appended: then every substring of
        // one or two characters is the start of some indexed trigram, and a short query (a 2-character name) is
        // answered from the index's term list (PetitionSearchTerms) instead of a scan — see BacklogTextSearch.
        mb.Sql($"""
            CREATE VIEW "{SqliteSearchSource}" AS SELECT "Id",
                "CaseNumber" || char(10, 10) AS "CaseNumber",
                "PetitionerNames" || char(10, 10) AS "PetitionerNames",
                "Demand" || char(10, 10) AS "Demand"
            FROM "Petitions";
            """);
        mb.Sql($"""
            CREATE VIRTUAL TABLE "{SqliteSearchTable}" USING fts5("CaseNumber", "PetitionerNames", "Demand",
                content='{SqliteSearchSource}', content_rowid='Id', tokenize='trigram case_sensitive 1', detail='none');
            """);
        mb.Sql($"CREATE VIRTUAL TABLE \"{SqliteSearchVocab}\" USING fts5vocab('{SqliteSearchTable}', 'row');");
        const string newValues = "new.\"Id\", new.\"CaseNumber\" || char(10, 10), new.\"PetitionerNames\" || char(10, 10), new.\"Demand\" || char(10, 10)";
        const string oldValues = "old.\"Id\", old.\"CaseNumber\" || char(10, 10), old.\"PetitionerNames\" || char(10, 10), old.\"Demand\" || char(10, 10)";
        var t2 = SqliteSearchTable;
        mb.Sql($"""
            CREATE TRIGGER "TR_Petitions_search_insert" AFTER INSERT ON "Petitions" BEGIN
              INSERT INTO "{t2}" (rowid, "CaseNumber", "PetitionerNames", "Demand") VALUES ({newValues});
            END;
            """);
        mb.Sql($"""
            CREATE TRIGGER "TR_Petitions_search_delete" AFTER DELETE ON "Petitions" BEGIN
              INSERT INTO "{t2}" ("{t2}", rowid, "CaseNumber", "PetitionerNames", "Demand") VALUES ('delete', {oldValues});
            END;
            """);
        // Only when a searched column changes: the nightly level job and transitions do not touch the index.
        mb.Sql($"""
            CREATE TRIGGER "TR_Petitions_search_update" AFTER UPDATE OF "CaseNumber", "PetitionerNames", "Demand" ON "Petitions" BEGIN
              INSERT INTO "{t2}" ("{t2}", rowid, "CaseNumber", "PetitionerNames", "Demand") VALUES ('delete', {oldValues});
              INSERT INTO "{t2}" (rowid, "CaseNumber", "PetitionerNames", "Demand") VALUES ({newValues});
            END;
            """);
        mb.Sql($"INSERT INTO \"{t2}\" (\"{t2}\") VALUES ('rebuild');");
    }

    private static void PostgresUp(MigrationBuilder mb)
    {
        // A sequence, not a counter row: nextval never waits for another transaction, so concurrent writers do not
        // queue on one row. A rolled-back write still moves it: at worst a page refreshes for nothing.
        mb.Sql($"CREATE SEQUENCE IF NOT EXISTS \"{Sequence}\";");
        mb.Sql($"""
            CREATE OR REPLACE FUNCTION change_feed_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM nextval('"{Sequence}"'); RETURN NULL; END $$;
            """);
        foreach (var t in WatchedTables)
            mb.Sql($"CREATE TRIGGER \"TR_{t}_change\" AFTER INSERT OR UPDATE OR DELETE ON \"{t}\" FOR EACH STATEMENT EXECUTE FUNCTION change_feed_bump();");

        // pg_trgm (in Debian's postgresql package, contrib): GIN trigram indexes answer LIKE '%…%' of 3+ characters.
        // PostgreSQL keeps them current on every write by itself.
        mb.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
        foreach (var c in SearchColumns)
            mb.Sql($"CREATE INDEX IF NOT EXISTS \"IX_Petitions_{c}_trgm\" ON \"Petitions\" USING gin (\"{c}\" gin_trgm_ops);");
    }

    private static void SqlServerUp(MigrationBuilder mb)
    {
        mb.Sql($"CREATE SEQUENCE [{Sequence}] AS bigint START WITH 1 INCREMENT BY 1;");
        foreach (var t in WatchedTables)
            mb.Sql($"""
                CREATE TRIGGER [TR_{t}_change] ON [{t}] AFTER INSERT, UPDATE, DELETE AS
                BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [{Sequence}]; END;
                """);

        // SQL Server full-text (needs the Full-Text Search feature installed): Chinese word breaker (LCID 2052),
        // tracked automatically, so every write and import is in the index shortly after commit. Full-text DDL
        // cannot run inside a transaction.
        mb.Sql("""
            IF SERVERPROPERTY('IsFullTextInstalled') = 1 AND NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = 'PetitionSearch')
                CREATE FULLTEXT CATALOG [PetitionSearch];
            """, suppressTransaction: true);
        mb.Sql("""
            IF SERVERPROPERTY('IsFullTextInstalled') = 1 AND NOT EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('Petitions'))
                CREATE FULLTEXT INDEX ON [Petitions] ([CaseNumber] LANGUAGE 2052, [PetitionerNames] LANGUAGE 2052, [Demand] LANGUAGE 2052)
                KEY INDEX [PK_Petitions] ON [PetitionSearch] WITH CHANGE_TRACKING AUTO;
            """, suppressTransaction: true);
    }
}
