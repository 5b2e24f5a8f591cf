// Seeds a SQLite database with N synthetic petitions (raw batched inserts) and times the weekly statistics recompute.
//   dotnet run -c Release --project bench/StatisticsBench -- --db /tmp/pd-bench.db --petitions 1000000 [--history 0]
// --history 0 (default) times exactly the last Statistics:RecomputeWeeks (8) weeks; --history 52 also fills the trend.
//   dotnet run -c Release --project bench/StatisticsBench -- --db /tmp/pd-1m.db [--migrate] [--rounds 3] [--app-only|--twin-only]
// On an existing database (e.g. generate-demo's; pass PersonalData__KeyFile) each round runs the app's recompute, then the
// hand-written SQL twin (Twin.cs) over the same weeks, compares every figure and prints wall time, CPU and the ratio.
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Statistics;
using StatisticsBench;

var opts = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
var path = Path.GetFullPath(opts.GetValueOrDefault("db", "/tmp/pd-bench.db"));
var petitions = int.Parse(opts.GetValueOrDefault("petitions", "1000000"));
var history = opts.GetValueOrDefault("history", "0");

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:ConnectionString"] = $"Data Source={path}",
    ["Statistics:RecomputeWeeks"] = "8",
    ["Statistics:HistoryWeeks"] = history,
    ["Calendar:Folder"] = Path.Combine(Path.GetTempPath(), "pd-bench-calendars"),
});
// PersonalData__KeyFile and any other override from the environment (the generate-demo database is sealed under a key).
builder.Configuration.AddEnvironmentVariables();
builder.Services.AddLogging();
var timer = new CommandTimer();
builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(timer);
builder.AddPetitionData();
builder.AddStatistics();
var services = builder.Services.BuildServiceProvider();
var dbs = services.GetRequiredService<IDbContextFactory<AppDbContext>>();

if (!File.Exists(path) || opts.ContainsKey("reseed"))
{
    foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    await dbs.MigrateAsync();
    var sw = Stopwatch.StartNew();
    Seeder.Seed($"Data Source={path}", petitions, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)));
    Console.WriteLine($"seeded {petitions:N0} petitions in {sw.Elapsed.TotalSeconds:0.0} s");
}
else if (opts.ContainsKey("migrate"))
{
    // A copy of an older database: bring it to the current schema (e.g. the statistics indexes) before timing.
    var sw = Stopwatch.StartNew();
    await dbs.MigrateAsync();
    Console.WriteLine($"migrated in {sw.Elapsed.TotalSeconds:0.0} s");
}
if (!opts.ContainsKey("sql"))
    await using (var db = await dbs.CreateDbContextAsync())
        Console.WriteLine($"database: {await db.Petitions.CountAsync():N0} petitions, {await db.PetitionEvents.CountAsync():N0} events, {await db.LeaderAssignments.CountAsync():N0} assignments");

var calc = services.GetRequiredService<WeeklyStatisticsCalculator>();
if (opts.ContainsKey("sql"))
{
    // Prints the SQL of each weekly query (for EXPLAIN QUERY PLAN / timing in the sqlite3 shell).
    var pop = calc.Populations(PetitionDashboard.Domain.IsoWeek.Of(DateOnly.FromDateTime(DateTime.UtcNow)).Previous);
    await using var db = await dbs.CreateDbContextAsync();
    Console.WriteLine("-- Scan");
    Console.WriteLine(WeeklyStatisticsCalculator.ScanQuery(db, pop).ToQueryString() + ";");
    foreach (var m in Enum.GetValues<PetitionDashboard.Domain.StatisticMeasure>())
    {
        if (PetitionDashboard.Domain.StatisticFigures.CountsAssignments(m)) continue;
        Console.WriteLine($"-- {m}");
        Console.WriteLine(pop.Petitions(db, m, null).GroupBy(p => p.UnitId).Select(g => new { g.Key, N = g.Count() }).ToQueryString() + ";");
    }
    Console.WriteLine("-- Twin");
    var twinWeeks = Enumerable.Range(0, 8).Select(i => calc.Populations(PetitionDashboard.Domain.IsoWeek.Of(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7 * (i + 1)))).Window).ToList();
    Console.WriteLine(Twin.PetitionPass(twinWeeks, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PetitionDashboard.Domain.PetitionOptions>>().Value.GroupSize) + ";");
    foreach (var sql in Twin.BacklogPass(twinWeeks)) Console.WriteLine(sql + ";");
    return;
}

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b);
static string F(TimeSpan t) => $"{t.TotalSeconds,7:0.00} s";

var recomputer = services.GetRequiredService<StatisticsRecomputer>();
var weeks = await recomputer.WeeksToRecomputeAsync();
Console.WriteLine($"weeks to recompute: {string.Join(", ", weeks)}");
var windows = weeks.Select(w => calc.Populations(w).Window).ToList();
var groupSize = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PetitionDashboard.Domain.PetitionOptions>>().Value.GroupSize;
var rounds = int.Parse(opts.GetValueOrDefault("rounds", "1"));
var (appOnly, twinOnly) = (opts.ContainsKey("app-only"), opts.ContainsKey("twin-only"));
var results = new List<(TimeSpan AppWall, TimeSpan AppCpu, TimeSpan TwinWall, TimeSpan TwinCpu, string Load)>();
for (var round = 1; round <= rounds; round++)
{
    var (appWall, appCpu) = (TimeSpan.Zero, TimeSpan.Zero);
    if (!twinOnly)
    {
        // The app: exactly the Monday job's work (StatisticsRecomputer), each query timed by its tag.
        timer.Reset();
        Console.WriteLine($"round {round}: app recompute, load average {Load()}");
        var (t0, c0) = (Stopwatch.GetTimestamp(), CommandTimer.Cpu());
        var result = await recomputer.RecomputeAsync();
        (appWall, appCpu) = (Stopwatch.GetElapsedTime(t0), CommandTimer.Cpu() - c0);
        Console.WriteLine($"  recomputed {result.Recomputed.Count} weeks: wall {F(appWall)}, CPU {F(appCpu)} ({appWall.TotalSeconds / Math.Max(1, result.Recomputed.Count):0.00} s a week)");
        foreach (var (tag, v) in timer.ByTag.OrderByDescending(x => x.Value.Cpu))
            Console.WriteLine($"    {tag,-40} ×{v.Count,-3} wall {F(v.Wall)}  CPU {F(v.Cpu)}");
    }
    var (twinWall, twinCpu) = (TimeSpan.Zero, TimeSpan.Zero);
    if (!appOnly)
    {
        Console.WriteLine($"round {round}: hand-written twin, load average {Load()}");
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        var (t0, c0) = (Stopwatch.GetTimestamp(), CommandTimer.Cpu());
        var twin = Twin.Run(c, windows, groupSize, (name, wall, cpu) => Console.WriteLine($"    {name,-40}      wall {F(wall)}  CPU {F(cpu)}"));
        (twinWall, twinCpu) = (Stopwatch.GetElapsedTime(t0), CommandTimer.Cpu() - c0);
        Console.WriteLine($"  twin: wall {F(twinWall)}, CPU {F(twinCpu)}");
        if (!twinOnly) Compare(twin);
    }
    results.Add((appWall, appCpu, twinWall, twinCpu, Load()));
}
if (!appOnly && !twinOnly)
{
    Console.WriteLine();
    Console.WriteLine("| round | app wall | app CPU | twin wall | twin CPU | ratio (wall) | ratio (CPU) | load average after |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var (r, i) in results.Select((r, i) => (r, i + 1)))
        Console.WriteLine($"| {i} | {r.AppWall.TotalSeconds:0.0} s | {r.AppCpu.TotalSeconds:0.0} s | {r.TwinWall.TotalSeconds:0.0} s | {r.TwinCpu.TotalSeconds:0.0} s | {r.AppWall / r.TwinWall:0.00} | {r.AppCpu / r.TwinCpu:0.00} | {r.Load} |");
}

void Compare(Dictionary<(int, int), Dictionary<string, int>> twin)
{
    // The stored rows of the app (every unit, zeros included) against the twin's groups (missing = 0), measure by measure.
    using var db = dbs.CreateDbContext();
    var mondays = weeks.Select(w => w.Monday).ToList();
    var stored = db.WeeklyUnitStatistics.AsNoTracking().Where(s => s.UnitId != null && mondays.Contains(s.WeekMonday)).ToList();
    var measures = Twin.PetitionMeasures.Concat(Twin.OtherMeasures).ToArray();
    var differences = 0;
    var compared = 0;
    var keys = stored.Select(s => (mondays.IndexOf(s.WeekMonday), s.UnitId!.Value)).Concat(twin.Keys).Distinct();
    foreach (var (k, unit) in keys)
    {
        var row = stored.SingleOrDefault(s => s.WeekMonday == mondays[k] && s.UnitId == unit);
        var t = twin.GetValueOrDefault((k, unit)) ?? new Dictionary<string, int>();
        foreach (var m in measures)
        {
            var app = row is null ? 0 : (int)typeof(PetitionDashboard.Domain.WeeklyUnitStatistic).GetProperty(m)!.GetValue(row)!;
            var hand = t.GetValueOrDefault(m);
            compared++;
            if (app == hand) continue;
            if (++differences <= 30) Console.WriteLine($"  DIFFERENCE {weeks[k]} unit {unit} {m}: app {app}, twin {hand}");
        }
    }
    Console.WriteLine(differences == 0
        ? $"  twin = app: {compared:N0} figures ({measures.Length} measures × units × {weeks.Count} weeks) all equal"
        : $"  {differences} of {compared:N0} figures DIFFER");
}

static class Seeder
{
    private static readonly string[] Categories = ["城乡建设", "劳动和社会保障", "自然资源", "住房保障与房地产", "农村农业", "卫生健康", "教育", "政法", "生态环境", "市场监管", "交通运输", "其他"];
    private static readonly string[] Units =
        ["临川区", "东乡区", "南城县", "黎川县", "南丰县", "崇仁县", "乐安县", "宜黄县", "金溪县", "资溪县", "广昌县",
         "市住建局", "市人社局", "市自然资源局", "市教育局", "市卫健委"];

    public static void Seed(string connectionString, int count, DateOnly today)
    {
        var rnd = new Random(20261123);
        using var c = new SqliteConnection(connectionString);
        c.Open();
        Exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"); // threads are written after their petitions
        using var tx = c.BeginTransaction();
        for (var u = 0; u < Units.Length; u++)
            Exec(c, $"INSERT INTO Units (Id, Name, Kind) VALUES ({u + 1}, '{Units[u]}', {(u < 11 ? 1 : 2)})", tx);
        Exec(c, "INSERT INTO Leaders (Id, Name, Title) VALUES (1, '王建国', '市信访局局长'), (2, '李红', '市信访局副局长')", tx);

        var received = Enumerable.Range(0, count).Select(_ => today.AddDays(-rnd.Next(0, 730))).Order().ToArray();
        var threadOf = new int[count];
        var threadFirst = new List<DateOnly>();
        var threads = 0;
        using var pet = c.CreateCommand();
        pet.Transaction = tx;
        pet.CommandText = """
            INSERT INTO Petitions (Id, CaseNumber, Form, PeopleCount, Locality, Category, Demand, UnitId, PetitionerNames, ReceivedOn,
              RegisteredAtUtc, DispatchedOn, FirstDecisionOn, AcceptedOn, SimpleProcedure, ExtensionDays, RepliedOn, Evaluation,
              EvaluatedOn, ReviewAcceptedOn, ReviewDecidedOn, FinishedOn, State, Supervision, SupervisionRaisedByHand, RemindersSent,
              ThreadId, IsRepeat, Version)
            VALUES ($id, $case, $form, $people, '临川区', $cat, '诉求摘要', $unit, '张三', $rec, $reg, $disp, $first, $acc, $simple, $ext,
              $rep, $eval, $evalOn, $revAcc, $revDec, $fin, $state, 0, 0, 0, $thread, $repeat, 0)
            """;
        var names = new[] { "id", "case", "form", "people", "cat", "unit", "rec", "reg", "disp", "first", "acc", "simple", "ext", "rep", "eval",
            "evalOn", "revAcc", "revDec", "fin", "state", "thread", "repeat" };
        var p = names.ToDictionary(n => n, n => pet.Parameters.Add("$" + n, SqliteType.Text));
        using var ev = c.CreateCommand();
        ev.Transaction = tx;
        ev.CommandText = "INSERT INTO PetitionEvents (PetitionId, Kind, AtUtc, \"On\", Actor) VALUES ($pid, 2, $at, $on, '审批人')";
        var evPid = ev.Parameters.Add("$pid", SqliteType.Integer);
        var evAt = ev.Parameters.Add("$at", SqliteType.Text);
        var evOn = ev.Parameters.Add("$on", SqliteType.Text);
        pet.Prepare();
        ev.Prepare();

        static object D(DateOnly? d) => d is { } x ? x.ToString("yyyy-MM-dd") : DBNull.Value;
        for (var i = 0; i < count; i++)
        {
            var rec = received[i];
            var repeat = i > 100 && rnd.NextDouble() < 0.2;
            int thread;
            if (repeat) thread = threadOf[rnd.Next(Math.Max(0, i - 50000), i)];
            else { thread = ++threads; threadFirst.Add(rec); }
            threadOf[i] = thread;
            var unit = 1 + (repeat ? (thread * 7) % Units.Length : rnd.Next(Units.Length));
            var visit = rnd.NextDouble() < 0.2;
            var people = visit && rnd.NextDouble() < 0.1 ? rnd.Next(5, 30) : 1;
            DateOnly? Until(DateOnly? d) => d is { } x && x <= today ? x : null;
            DateOnly? disp = null, first = null, acc = null, rep = null, evalOn = null, revAcc = null, revDec = null, fin = null;
            int? eval = null;
            var simple = false;
            var ext = 0;
            var state = 1;
            if (rnd.NextDouble() < 0.05)
            {
                fin = first = Until(rec.AddDays(rnd.Next(1, 20)));
                if (fin is not null) state = 11;
            }
            else
            {
                if (rnd.NextDouble() < 0.3) disp = first = Until(rec.AddDays(rnd.Next(1, 10)));
                acc = Until((disp ?? rec).AddDays(rnd.Next(1, 20)));
                if (disp is not null && acc is null) state = 2;
                if (acc is not null)
                {
                    first ??= acc;
                    state = 4;
                    simple = rnd.NextDouble() < 0.15;
                    ext = !simple && rnd.NextDouble() < 0.05 ? rnd.Next(10, 31) : 0;
                    rep = Until(acc.Value.AddDays(simple ? rnd.Next(3, 16) : rnd.Next(10, 75 + ext)));
                    if (ext > 0 && Until(acc.Value.AddDays(rnd.Next(30, 55))) is { } extOn)
                    {
                        evPid.Value = i + 1; evAt.Value = extOn.ToString("yyyy-MM-dd") + " 02:00:00"; evOn.Value = extOn.ToString("yyyy-MM-dd");
                        ev.ExecuteNonQuery();
                    }
                    if (rep is not null)
                    {
                        state = 5;
                        if (rnd.NextDouble() < 0.7 && Until(rep.Value.AddDays(rnd.Next(0, 20))) is { } e)
                        {
                            evalOn = e;
                            var r = rnd.NextDouble();
                            eval = r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
                        }
                        if (rnd.NextDouble() < 0.08 && Until(rep.Value.AddDays(rnd.Next(5, 30))) is { } ra)
                        {
                            revAcc = ra; state = 6;
                            revDec = Until(ra.AddDays(rnd.Next(10, 40)));
                            if (revDec is not null) { state = 9; fin = revDec; }
                        }
                        else if (Until(rep.Value.AddDays(31)) is { } closed) { state = 9; fin = closed; }
                    }
                }
            }
            var values = new Dictionary<string, object>
            {
                ["id"] = i + 1, ["case"] = $"LC{rec:yyyyMMdd}{i + 1:0000000}", ["form"] = visit ? 2 : 1 + rnd.Next(0, 2) * 2, ["people"] = people,
                ["cat"] = Categories[rnd.Next(Categories.Length)], ["unit"] = unit, ["rec"] = D(rec),
                ["reg"] = rec.ToString("yyyy-MM-dd") + " 01:00:00", ["disp"] = D(disp), ["first"] = D(first), ["acc"] = D(acc),
                ["simple"] = simple ? 1 : 0, ["ext"] = ext, ["rep"] = D(rep), ["eval"] = eval is { } ev2 ? ev2 : DBNull.Value,
                ["evalOn"] = D(evalOn), ["revAcc"] = D(revAcc), ["revDec"] = D(revDec), ["fin"] = D(fin), ["state"] = state,
                ["thread"] = thread, ["repeat"] = repeat ? 1 : 0,
            };
            foreach (var (k, v) in values) p[k].Value = v;
            pet.ExecuteNonQuery();
        }

        using var th = c.CreateCommand();
        th.Transaction = tx;
        th.CommandText = "INSERT INTO Threads (Id, PetitionCount, FirstReceivedOn, LastReceivedOn, BacklogBatchId) VALUES ($id, 1, $f, $f, $b)";
        var thId = th.Parameters.Add("$id", SqliteType.Integer);
        var thF = th.Parameters.Add("$f", SqliteType.Text);
        var thB = th.Parameters.Add("$b", SqliteType.Integer);
        th.Prepare();
        for (var t = 0; t < threads; t++)
        {
            thId.Value = t + 1; thF.Value = threadFirst[t].ToString("yyyy-MM-dd");
            thB.Value = rnd.NextDouble() < 0.01 ? 1 + rnd.Next(3) : DBNull.Value;
            th.ExecuteNonQuery();
        }
        Exec(c, """
            UPDATE Threads SET PetitionCount = (SELECT COUNT(*) FROM Petitions p WHERE p.ThreadId = Threads.Id),
              LastReceivedOn = (SELECT MAX(ReceivedOn) FROM Petitions p WHERE p.ThreadId = Threads.Id),
              FirstPetitionId = (SELECT MIN(Id) FROM Petitions p WHERE p.ThreadId = Threads.Id)
            """, tx);

        using var la = c.CreateCommand();
        la.Transaction = tx;
        la.CommandText = """
            INSERT INTO LeaderAssignments (ThreadId, LeaderId, LeadUnitId, ResponsiblePerson, Plan, AssignedOn, DueOn, ExtensionDays, Status, ResolvedOn, Version)
            VALUES ($t, $l, $u, '责任人', '化解方案', $a, $d, 0, $s, $r, 0)
            """;
        var laT = la.Parameters.Add("$t", SqliteType.Integer); var laL = la.Parameters.Add("$l", SqliteType.Integer);
        var laU = la.Parameters.Add("$u", SqliteType.Integer); var laA = la.Parameters.Add("$a", SqliteType.Text);
        var laD = la.Parameters.Add("$d", SqliteType.Text); var laS = la.Parameters.Add("$s", SqliteType.Integer);
        var laR = la.Parameters.Add("$r", SqliteType.Text);
        la.Prepare();
        for (var t = 0; t < threads; t++)
        {
            if (rnd.NextDouble() >= 0.01) continue;
            var assigned = threadFirst[t].AddDays(rnd.Next(0, 60));
            if (assigned > today) continue;
            DateOnly? resolved = rnd.NextDouble() < 0.6 ? assigned.AddDays(rnd.Next(10, 120)) : null;
            if (resolved > today) resolved = null;
            laT.Value = t + 1; laL.Value = 1 + rnd.Next(2); laU.Value = 1 + rnd.Next(Units.Length);
            laA.Value = assigned.ToString("yyyy-MM-dd"); laD.Value = assigned.AddDays(90).ToString("yyyy-MM-dd");
            laS.Value = resolved is null ? 1 : 2; laR.Value = D(resolved);
            la.ExecuteNonQuery();
        }
        tx.Commit();
        Exec(c, "ANALYZE;");
    }

    private static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
