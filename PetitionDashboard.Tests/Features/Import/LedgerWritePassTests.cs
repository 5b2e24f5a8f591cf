using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// The import reads the file once (the parsed rows wait in a spill file) and writes its new rows a window at a time
/// (Import:RowsPerWritePass, issue 12: memory flat in the file's size), several rows per INSERT on SQLite
/// (Import:RowsPerInsert). A file written in many small windows must give exactly the rows one window gives: petitions,
/// 初件/重件 flags, threads and their figures, events, dated thread history and the audit trail — on varied data (rows out
/// of date order, 原信访编号 chains inside the file and onto stored petitions, same-person repeats found by detection,
/// updates of stored petitions, unchanged rows, new petitioners met again later).
/// </summary>
public sealed class LedgerWritePassTests
{
    private static string Id(string first17) => first17 + ChineseIdNumber.CheckCharacter(first17);

    private static LedgerFile Stored() => new LedgerFile()
        .Row("OLD-1", (C.ReceivedOn, "2026-09-01"), (C.Petitioners, "赵一"), (C.IdNumbers, Id("36110219700101001")))
        .Row("OLD-2", (C.ReceivedOn, "2026-09-03"), (C.Petitioners, "钱二"), (C.Phones, "13900000002"), (C.Demand, "要求解决拖欠工资问题"))
        .Row("OLD-3", (C.ReceivedOn, "2026-09-05"), (C.Petitioners, "孙三"), (C.Phones, "13900000003"));

    /// <summary>About eighty rows in no date order, seeded: every way a row can join, start or change a thread.</summary>
    private static LedgerFile Varied()
    {
        var rng = new Random(20261130);
        var file = new LedgerFile()
            .Row("OLD-2", (C.ReceivedOn, "2026-09-03"), (C.Petitioners, "钱二"), (C.Phones, "13900000002"), (C.Demand, "要求解决拖欠工资问题"),
                (C.AcceptedOn, "2026-09-05"))
            .Row("OLD-3", (C.ReceivedOn, "2026-09-05"), (C.Petitioners, "孙三"), (C.Phones, "13900000003"));
        string[] people = ["周四", "吴五", "郑六", "王七", "冯八"];
        string[] demands = ["要求解决小区路灯损坏问题", "要求解决拖欠工资问题", "反映噪声扰民问题"];
        var cases = new List<(string Case, DateOnly On)>();
        for (var i = 1; i <= 80; i++)
        {
            var on = new DateOnly(2026, 9, 10).AddDays(rng.Next(0, 60));
            var who = rng.Next(people.Length);
            var values = new List<(string, object?)>
            {
                (C.ReceivedOn, on.ToString("yyyy-MM-dd")), (C.Petitioners, people[who]),
                (C.IdNumbers, rng.Next(3) == 0 ? "" : Id($"36110219800101{who:0}{i % 7:00}")),
                (C.Phones, $"1370000{who:0000}"), (C.Demand, demands[rng.Next(demands.Length)]),
            };
            if (rng.Next(3) == 0) values.Add((C.AcceptedOn, on.AddDays(2).ToString("yyyy/M/d")));
            var earlier = cases.Where(c => c.On <= on).ToList();
            if (rng.Next(4) == 0 && earlier.Count > 0) values.Add((C.OriginalCaseNumber, earlier[rng.Next(earlier.Count)].Case));
            else if (rng.Next(8) == 0) values.Add((C.OriginalCaseNumber, "OLD-1"));
            var number = $"NEW-{i:000}";
            file.Row(number, [.. values]);
            cases.Add((number, on));
        }
        return file;
    }

    [Fact]
    public async Task ManySmallWritePasses_GiveExactlyTheRows_OnePassGives()
    {
        var one = await ImportBothAsync(rowsPerWritePass: 50_000);
        var many = await ImportBothAsync(rowsPerWritePass: 7);
        Assert.Equal(one.Summary, many.Summary);
        Assert.Contains("重复件", one.Summary);
        Assert.Equal(one.Rows, many.Rows);
    }

    /// <summary>Forty stored petitions, then a ledger that moves most of them on (受理, 答复, 办结, 评价, another 责任单位) beside new rows.</summary>
    private static (LedgerFile Stored, LedgerFile Changes) StoredAndChanged()
    {
        var rng = new Random(20261201);
        var stored = new LedgerFile();
        var changes = new LedgerFile();
        for (var i = 1; i <= 40; i++)
        {
            var on = new DateOnly(2026, 9, 1).AddDays(rng.Next(0, 30));
            (string, object?)[] common = [(C.ReceivedOn, on.ToString("yyyy-MM-dd")), (C.Petitioners, $"李{i:00}"), (C.Phones, $"1380000{i:0000}")];
            stored.Row($"UPD-{i:00}", common);
            var values = common.ToList();
            var step = rng.Next(5);
            if (step >= 1) values.Add((C.AcceptedOn, on.AddDays(3).ToString("yyyy-MM-dd")));
            if (step >= 2) values.AddRange([(C.RepliedOn, on.AddDays(20).ToString("yyyy-MM-dd")), (C.ReplyResult, "支持")]);
            if (step >= 3) values.Add((C.ClosedOn, on.AddDays(25).ToString("yyyy-MM-dd")));
            if (step >= 4) values.Add((C.Evaluation, "满意"));
            if (rng.Next(4) == 0) values.Add((C.Demand, "要求解决小区路灯损坏问题（补充材料）"));
            changes.Row($"UPD-{i:00}", [.. values]);
            if (i % 5 == 0) changes.Row($"ADD-{i:00}", (C.ReceivedOn, on.AddDays(1).ToString("yyyy-MM-dd")), (C.Petitioners, $"李{i:00}"),
                (C.Phones, $"1380000{i:0000}"), (C.OriginalCaseNumber, $"UPD-{i:00}"));
        }
        return (stored, changes);
    }

    [Fact]
    public async Task UpdatesLoadedInBatches_GiveExactlyTheRows_OneAtATimeGives()
    {
        // BatchSize 1 loads and saves each updated petition on its own, as the import did before updates were batched.
        var single = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1, StoredAndChanged, minRepeats: 7);
        var batched = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1000, StoredAndChanged, minRepeats: 7);
        Assert.Contains("更新 3", single.Summary); // most of the forty stored petitions change
        Assert.Equal(single.Summary, batched.Summary);
        Assert.Equal(single.Rows, batched.Rows);
    }

    /// <summary>
    /// The varied ledger beside stored threads the in-memory join must leave to the tracked path: one with a resolved 包案
    /// (the repeats relapse it, then add progress lines) and one whose flags disagree with its dates (OLD-5, a 重件, moved to
    /// before its 初件 OLD-4), so that a join moves the 初件 and corrects the flags (events, dated history) — then more
    /// repeats join both threads, in memory again where they may.
    /// </summary>
    private static (LedgerFile Stored, LedgerFile Ledger) WithTrackedThreads()
    {
        var stored = Stored()
            .Row("OLD-4", (C.ReceivedOn, "2026-09-02"), (C.Petitioners, "褚九"), (C.Phones, "13900000009"))
            .Row("OLD-5", (C.ReceivedOn, "2026-09-20"), (C.Petitioners, "褚九"), (C.Phones, "13900000009"), (C.OriginalCaseNumber, "OLD-4"))
            .Row("OLD-6", (C.ReceivedOn, "2026-09-04"), (C.Petitioners, "卫十"), (C.IdNumbers, Id("36110219750101002")),
                (C.Demand, "要求解决小区路灯损坏问题"));
        var ledger = Varied()
            .Row("JOIN-1", (C.ReceivedOn, "2026-09-25"), (C.Petitioners, "褚九"), (C.Phones, "13900000009"), (C.OriginalCaseNumber, "OLD-4"))
            .Row("JOIN-2", (C.ReceivedOn, "2026-10-02"), (C.Petitioners, "褚九"), (C.Phones, "13900000009"), (C.OriginalCaseNumber, "OLD-5"))
            .Row("JOIN-3", (C.ReceivedOn, "2026-10-01"), (C.Petitioners, "卫十"), (C.IdNumbers, Id("36110219750101002")), (C.OriginalCaseNumber, "OLD-6"))
            .Row("JOIN-4", (C.ReceivedOn, "2026-10-06"), (C.Petitioners, "卫十"), (C.IdNumbers, Id("36110219750101002")),
                (C.Demand, "要求解决小区路灯损坏问题"))
            .Row("JOIN-5", (C.ReceivedOn, "2026-10-03"), (C.Petitioners, "褚九"), (C.Phones, "13900000009"), (C.OriginalCaseNumber, "JOIN-1"));
        return (stored, ledger);
    }

    /// <summary>A resolved 包案 on OLD-6's thread; OLD-5 moved before its 初件 OLD-4 (its flags now disagree with its dates).</summary>
    private static async Task PrepareTrackedThreadsAsync(ImportWorld w)
    {
        await using var db = await w.Db.CreateDbContextAsync();
        var old5 = await db.Petitions.SingleAsync(p => p.CaseNumber == "OLD-5");
        Assert.True(old5.IsRepeat);
        old5.ReceivedOn = new DateOnly(2026, 8, 25);
        var old6 = await db.Petitions.SingleAsync(p => p.CaseNumber == "OLD-6");
        var assignment = new LeaderAssignment
        {
            ThreadId = old6.ThreadId, Leader = new Leader { Name = "李明", Title = "副市长" }, LeadUnitId = old6.UnitId,
            ResponsiblePerson = "王科长", Plan = "约谈", AssignedOn = new DateOnly(2026, 9, 8), DueOn = new DateOnly(2026, 12, 7),
        };
        AssignmentLifecycle.Resolve(assignment, "息诉罢访", new DateOnly(2026, 9, 20), "督查", []);
        db.LeaderAssignments.Add(assignment);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task JoinsInMemory_GiveExactlyTheRows_TheTrackedPathGives()
    {
        var tracked = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1000, WithTrackedThreads, prepare: PrepareTrackedThreadsAsync,
            joinInMemory: false);
        var inMemory = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1000, WithTrackedThreads, prepare: PrepareTrackedThreadsAsync);
        Assert.Equal(0, tracked.JoinedInMemory);
        Assert.True(inMemory.JoinedInMemory > 10, $"only {inMemory.JoinedInMemory} joins in memory");
        Assert.Equal(tracked.Summary, inMemory.Summary);
        Assert.Equal(tracked.Rows, inMemory.Rows);
        // The data reaches every branch of the tracked path: the 初件 moved, the 包案 relapsed and followed its repeats.
        Assert.Contains("重件 → 初件", tracked.Rows);
        Assert.Contains("初件 → 重件", tracked.Rows);
        Assert.Contains("反弹：化解后再访，新增重复件 JOIN-3", tracked.Rows);
        Assert.Contains("再访：新增重复件 JOIN-4", tracked.Rows);
        // Every repeat names the 初件 it joined, also on a thread this import started.
        Assert.DoesNotContain("（首件 ）", tracked.Rows);
    }

    /// <summary>
    /// Several rows per INSERT, their keys given by the import (SQLite), against one INSERT per row with the key the database
    /// returns: the same rows and ids — on the ledger that also takes the tracked path (a 包案 relapsing, the 初件 moved) and
    /// detection between the held rows, with statements of 3 rows (remainders) and of the default size.
    /// </summary>
    [Fact]
    public async Task MultiRowInserts_GiveExactlyTheRows_OneInsertPerRowGives()
    {
        var single = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1000, WithTrackedThreads, prepare: PrepareTrackedThreadsAsync,
            rowsPerInsert: 1);
        var threes = await ImportBothAsync(rowsPerWritePass: 7, batchSize: 5, WithTrackedThreads, prepare: PrepareTrackedThreadsAsync,
            rowsPerInsert: 3);
        var batched = await ImportBothAsync(rowsPerWritePass: 50_000, batchSize: 1000, WithTrackedThreads, prepare: PrepareTrackedThreadsAsync);
        Assert.True(new ImportOptions().RowsPerInsert > 1);
        Assert.Equal(single.Summary, batched.Summary);
        Assert.Equal(single.Rows, batched.Rows);
        Assert.Equal(single.Summary, threes.Summary);
        Assert.Equal(single.Rows, threes.Rows);
        Assert.Equal(single.Counter, batched.Counter);
        Assert.Equal(single.Counter, threes.Counter);
        Assert.Contains("反弹：化解后再访，新增重复件 JOIN-3", single.Rows);
    }

    private static List<string> StoredRows(AppDbContext db, string table)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1, 2";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) is var v && v is DBNull
                ? "null" : $"{v.GetType().Name}:{Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)}")));
        return rows;
    }

    private static async Task<(string Summary, string Rows)> ImportBothAsync(int rowsPerWritePass)
    {
        var (summary, rows, _, _) = await ImportBothAsync(rowsPerWritePass, batchSize: new ImportOptions().BatchSize, () => (Stored(), Varied()));
        return (summary, rows);
    }

    private static async Task<(string Summary, string Rows, int JoinedInMemory, long Counter)> ImportBothAsync(
        int rowsPerWritePass, int batchSize, Func<(LedgerFile Stored, LedgerFile Ledger)> files, int minRepeats = 10,
        Func<ImportWorld, Task>? prepare = null, bool joinInMemory = true, int? rowsPerInsert = null)
    {
        await using var w = await ImportWorld.CreateAsync(audited: true);
        var (stored, ledger) = files();
        Assert.True((await w.ImportAsync(stored)).Succeeded);
        if (prepare is not null) await prepare(w);
        w.Options.RowsPerWritePass = rowsPerWritePass;
        w.Options.BatchSize = batchSize;
        w.Options.JoinThreadsInMemory = joinInMemory;
        w.Options.RowsPerInsert = rowsPerInsert ?? new ImportOptions().RowsPerInsert;
        var result = await w.ImportAsync(ledger);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.Row} {e.Column} {e.Reason}")));
        Assert.True(result.Repeats > minRepeats, $"only {result.Repeats} repeats: the data does not exercise thread joins");

        await using var db = await w.Db.CreateDbContextAsync();
        var rows = new
        {
            Petitions = await db.Petitions.AsNoTracking().OrderBy(p => p.Id).ToListAsync(),
            Events = await db.PetitionEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(),
            // Personal numbers are sealed with a fresh nonce each time: compared by who they are, not by their ciphertext.
            People = await db.Petitioners.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Id, p.Name, p.IdentityKey }).ToListAsync(),
            Links = await db.PetitionPetitioners.AsNoTracking().OrderBy(l => l.PetitionId).ThenBy(l => l.PetitionerId)
                .Select(l => new { l.PetitionId, l.PetitionerId }).ToListAsync(),
            Threads = await db.Threads.AsNoTracking().OrderBy(t => t.Id).ToListAsync(),
            History = await db.PetitionThreadChanges.AsNoTracking().OrderBy(h => h.Id).ToListAsync(),
            Audit = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id)
                .Select(a => new { a.Actor, a.ActorClass, a.Action, a.Entity, a.EntityKey, a.CaseNumber, a.Field, a.OldValue, a.NewValue, a.Detail })
                .ToListAsync(),
            Assignments = await db.LeaderAssignments.AsNoTracking().OrderBy(a => a.Id).ToListAsync(),
            Progress = await db.AssignmentProgress.AsNoTracking().OrderBy(a => a.Id).ToListAsync(),
            // The values as SQLite stores them (storage class and text), not only as EF reads them back: the multi-row
            // inserts bind by position and must store exactly what Microsoft.Data.Sqlite's binder stores.
            Stored = new[] { "Petitions", "PetitionEvents", "Threads", "PetitionPetitioners" }
                .ToDictionary(t => t, t => StoredRows(db, t)),
            // The full-text index (every trigram of every petition, as its trigger gives it): the multi-row path writes it
            // set-wise with the petitions' triggers off.
            Search = StoredRows(db, "PetitionSearchInstances"),
        };
        // The index agrees with the petitions it is built from (FTS5's own check against its content view).
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"PetitionSearch\" (\"PetitionSearch\", rank) VALUES ('integrity-check', 1)");
        Assert.Contains(rows.Audit, a => a.Entity == nameof(PetitionThread) && a.Field == nameof(PetitionThread.PetitionCount));
        return (result.Summary, JsonSerializer.Serialize(rows, new JsonSerializerOptions
        {
            ReferenceHandler = System.Text.Json.Serialization.ReferenceHandler.IgnoreCycles,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Chinese as written, for the Contains checks
        }), result.JoinedInMemory,
            // The change counter: moved once per petition written (one write of the tracked path may be several).
            await db.Database.SqlQueryRaw<long>("SELECT \"Value\" AS \"Value\" FROM \"ChangeCounters\" WHERE \"Id\" = 1").SingleAsync());
    }
}
