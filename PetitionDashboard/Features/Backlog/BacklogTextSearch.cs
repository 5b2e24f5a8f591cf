using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Migrations.Steps;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The full-text index behind the backlog's free text (case number, names, demand): the ids of the petitions that may
/// contain the text, from each provider's index. It only narrows: <see cref="BacklogQuery"/> still applies the exact
/// "contains" predicate to those rows, so the result is exactly what a scan finds, and the index may return more.
/// Null means "no index path for this text": the exact predicate alone scans, as before.
/// </summary>
public static class BacklogTextSearch
{
    public static async Task<IQueryable<int>?> CandidatesAsync(AppDbContext db, string text, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var chars = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        return db switch
        {
            SqliteDbContext => await SqliteAsync(db, text, chars, ct),
            PostgresDbContext => chars.Count >= 3 ? Postgres(db, text) : null,
            SqlServerDbContext => await SqlServerAsync(db, text, ct),
            _ => null,
        };
    }

    /// <summary>
    /// SQLite FTS5, trigram tokenizer (PerfSteps). 3+ characters: the rows holding the text's two rarest trigrams.
    /// 1–2 characters: every indexed column ends in two newlines, so each occurrence of the text starts some indexed
    /// trigram; the (trigram, row) pairs whose trigram starts with the text are one range of the index's instance list
    /// (GridIndexSteps), read in order without a MATCH — a common single character ("张": about 4,500 trigrams, 44,000
    /// rows at 1M) costs one pass over its rows, not an OR of thousands of terms.
    /// </summary>
    private static async Task<IQueryable<int>?> SqliteAsync(AppDbContext db, string text, List<string> chars, CancellationToken ct)
    {
        var (sql, values) = await SqliteCandidatesAsync(db, text, chars, ct);
        return db.Database.SqlQueryRaw<int>(sql, values);
    }

    /// <summary>
    /// The SQLite candidates' statement (placeholders <c>{0}</c>, <c>{1}</c> for the values) — one text for the subquery
    /// the LINQ path composes and for <see cref="CandidateIdsAsync"/>'s read.
    /// </summary>
    private static async Task<(string Sql, object[] Values)> SqliteCandidatesAsync(AppDbContext db, string text, List<string> chars, CancellationToken ct)
    {
        if (chars.Count >= 3)
        {
            // Intersecting every trigram reads every row list, and common ones ("202" of every case number) hold most of
            // the table; the two rarest (from the index's term list) narrow as well for a fraction of the reading, and
            // the exact predicate removes the rest. A trigram in no row means no row.
            var trigrams = Trigrams(chars);
            var counts = new Dictionary<string, long>();
            foreach (var t in trigrams) counts[t] = await TrigramRowsAsync(db, t, ct);
            var rarest = trigrams.OrderBy(t => counts[t]).Take(2).ToList();
            var match = string.Join(" AND ", rarest.Select(Quote));
            return ($"SELECT rowid AS \"Value\" FROM \"{PerfSteps.SqliteSearchTable}\" WHERE \"{PerfSteps.SqliteSearchTable}\" MATCH {{0}}", [match]);
        }
        // U+10FFFF sorts after every character that can follow the text in a trigram. A row holding several such trigrams
        // comes once per trigram: IN (…) needs no DISTINCT (it builds its own set; at 1M, “张”: ≈ 10 ms less per page),
        // a count of the candidates takes Distinct().
        var upper = text + char.ConvertFromUtf32(0x10FFFF);
        return ($"SELECT doc AS \"Value\" FROM \"{GridIndexSteps.SqliteSearchInstances}\" WHERE term >= {{0}} AND term < {{1}}", [text, upper]);
    }

    /// <summary>
    /// The candidates' ids themselves, distinct and ascending, when the index gives at most <paramref name="limit"/> of
    /// them for the text; null when it gives more, or on a provider without this read (SQLite only). Read through ADO.NET
    /// on the context's connection: one small statement, without EF's LINQ pipeline (the point of reading them first is
    /// a compiled query over them), and as one JSON array SQLite builds, not a row per id (at 1M, “王芳”'s 1,364).
    /// </summary>
    public static async Task<int[]?> CandidateIdsAsync(AppDbContext db, string text, int limit, CancellationToken ct)
    {
        if (db is not SqliteDbContext || string.IsNullOrEmpty(text) || limit < 0) return null;
        var (sql, values) = await SqliteCandidatesAsync(db, text, [.. text.EnumerateRunes().Select(r => r.ToString())], ct);
        var names = values.Select((_, i) => "$v" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // DISTINCT without ORDER BY streams: it stops at the first id past the limit (at 1M, “张”: 2,001 of 44,962 index rows).
            command.CommandText = "SELECT COUNT(*), json_group_array(\"Value\") FROM (SELECT DISTINCT \"Value\" FROM ("
                + string.Format(CultureInfo.InvariantCulture, sql, names) + ") LIMIT $limit)";
            for (var i = 0; i < values.Length; i++) AddParameter(command, names[i], values[i]);
            AddParameter(command, "$limit", limit + 1);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.GetInt64(0) > limit) return null;
            var ids = JsonSerializer.Deserialize<int[]>(reader.GetString(1)) ?? [];
            Array.Sort(ids);
            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // Rows per trigram, per database, as last read. The index's term list has no stored count: fts5vocab reads the whole
    // row list, and a common trigram ("202" of every case number) costs ≈ 20 ms at 1M — every search of a case number
    // paid it for each of its trigrams. The counts only choose which trigrams to MATCH (the MATCH itself is always live,
    // and any trigram of the text finds every row holding it), so an outdated count can cost time, never a row.
    private static List<string> Trigrams(List<string> chars) =>
        [.. Enumerable.Range(0, chars.Count - 2).Select(i => string.Concat(chars.Skip(i).Take(3))).Distinct()];

    private static readonly ConcurrentDictionary<(string Database, string Trigram), long> TrigramRows = new();
    private const int TrigramRowsKept = 20_000;

    private static async Task<long> TrigramRowsAsync(AppDbContext db, string trigram, CancellationToken ct)
    {
        var key = (db.Database.GetConnectionString() ?? "", trigram);
        if (TrigramRows.TryGetValue(key, out var rows)) return rows;
        rows = await db.Database.SqlQueryRaw<long>(
            $"SELECT COALESCE(MAX(doc), 0) AS \"Value\" FROM \"{PerfSteps.SqliteSearchVocab}\" WHERE term = {{0}}", trigram).SingleAsync(ct);
        if (TrigramRows.Count >= TrigramRowsKept) TrigramRows.Clear();   // a bound, not an eviction policy: rare to reach
        TrigramRows[key] = rows;
        return rows;
    }

    /// <summary>
    /// True when <see cref="CandidatesAsync"/> gives exactly the rows holding the text, not only a superset: SQLite, 1–2
    /// characters (the trigrams that start with the text; each column ends in two newlines, so every occurrence starts
    /// one). A text with a control character or a broken surrogate keeps the exact test: only plain characters are
    /// known to be indexed one for one.
    /// </summary>
    public static bool CandidatesAreExact(AppDbContext db, string text) =>
        db is SqliteDbContext && text.Length > 0 && !text.Any(char.IsControl)
        && text.EnumerateRunes().Count() is var n && n <= 2 && !text.EnumerateRunes().Contains(Rune.ReplacementChar);

    /// <summary>
    /// At least as many as the candidates <see cref="CandidatesAsync"/> gives (while the kept trigram counts are
    /// current): 1–2 characters, the rows of every trigram starting with the text summed from the term list; 3+, the
    /// rarest trigram's rows. Null when unknown (another provider). For choosing a plan only, never a figure shown.
    /// </summary>
    public static async Task<long?> CandidateUpperBoundAsync(AppDbContext db, string text, CancellationToken ct)
    {
        if (db is not SqliteDbContext || string.IsNullOrEmpty(text)) return null;
        var chars = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        if (chars.Count >= 3)
        {
            long least = long.MaxValue;
            foreach (var t in Trigrams(chars))
                least = Math.Min(least, await TrigramRowsAsync(db, t, ct));
            return least;
        }
        return await db.Database.SqlQueryRaw<long>(
            $"SELECT COALESCE(SUM(doc), 0) AS \"Value\" FROM \"{PerfSteps.SqliteSearchVocab}\" WHERE term >= {{0}} AND term < {{1}}",
            text, text + char.ConvertFromUtf32(0x10FFFF)).SingleAsync(ct);
    }

    /// <summary>
    /// The rows a case-number prefix finds, counted without reading them: on SQLite (binary collation, so the range is
    /// exactly the case numbers that start with the text) every row in <c>CaseNumber &gt;= text AND &lt; text + U+10FFFF</c>
    /// contains the text, and the unique CaseNumber index gives that range by itself; the other rows that contain it
    /// (in a name, a demand or inside another case number) are among the index candidates outside the range — a few, so
    /// the exact test reads only those. Null when the text does not look like a case number (ASCII letters, digits, '-',
    /// 3+ characters), or on another provider (a linguistic collation's range is not a prefix).
    /// </summary>
    public static CaseNumberPrefix? CaseNumberPrefixFor(AppDbContext db, string text, IQueryable<int>? candidates)
    {
        if (db is not SqliteDbContext || candidates is null || text.Length < 3) return null;
        if (!text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return null;
        var to = text + char.ConvertFromUtf32(0x10FFFF);
        var inRange = db.Petitions.Where(p => string.Compare(p.CaseNumber, text) >= 0 && string.Compare(p.CaseNumber, to) < 0).Select(p => p.Id);
        return new CaseNumberPrefix(text, to, candidates.Except(inRange));
    }

    /// <summary>Case numbers in [From, To) all contain the text; <paramref name="Others"/> holds every other row that may.</summary>
    public sealed record CaseNumberPrefix(string From, string To, IQueryable<int> Others);

    /// <summary>pg_trgm GIN indexes on the three columns answer LIKE '%…%' of 3+ characters (shorter: a scan).</summary>
    private static IQueryable<int> Postgres(AppDbContext db, string text)
    {
        var pattern = "%" + EscapeLike(text) + "%";
        return db.Database.SqlQueryRaw<int>(
            """
            SELECT "Id" AS "Value" FROM "Petitions"
            WHERE "CaseNumber" LIKE {0} ESCAPE '\' OR "PetitionerNames" LIKE {0} ESCAPE '\' OR "Demand" LIKE {0} ESCAPE '\'
            """, pattern);
    }

    private static readonly ConcurrentDictionary<string, bool> SqlServerFullText = new();

    /// <summary>
    /// SQL Server full-text (Chinese word breaker) when the server has it and the migration created the index. A word
    /// breaker finds words, not substrings: the phrase is searched as a prefix term, and a text the breaker cuts
    /// differently can be missed — the exact predicate stays the whole search on a server without full-text.
    /// </summary>
    private static async Task<IQueryable<int>?> SqlServerAsync(AppDbContext db, string text, CancellationToken ct)
    {
        var key = db.Database.GetConnectionString() ?? "";
        if (!SqlServerFullText.TryGetValue(key, out var available))
        {
            available = await db.Database.SqlQueryRaw<int>(
                "SELECT CAST(ISNULL(OBJECTPROPERTY(OBJECT_ID('Petitions'), 'TableHasActiveFulltextIndex'), 0) AS int) AS [Value]")
                .FirstOrDefaultAsync(ct) == 1;
            SqlServerFullText[key] = available;
        }
        return available ? SqlServerContains(db, text) : null;
    }

    /// <summary>The ids SQL Server's full-text index gives for the text (a prefix phrase over the three columns).</summary>
    public static IQueryable<int> SqlServerContains(AppDbContext db, string text)
    {
        return db.Database.SqlQueryRaw<int>(
            "SELECT [Id] AS [Value] FROM [Petitions] WHERE CONTAINS(([CaseNumber], [PetitionerNames], [Demand]), {0})",
            "\"" + text.Replace("\"", "\"\"") + "*\"");
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"") + "\"";

    private static string EscapeLike(string text)
    {
        var sb = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
