// Issue 12 goal 4: the reads behind /repeats, 我的包案 (/assignments/mine), the workload page, the case page and /statistics at 1M petitions,
// each beside hand-written SQL for the same rows on the same file and indexes. One cold run, then the median of N warm runs
// of the app and of its twin, and their ratio; CPU is this process's own (single-threaded loop).
//   dotnet run -c Release --project bench/PagesBench -- /tmp/pd-1m.db [--iterations 5] [--sql]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Scoring;
using PetitionDashboard.Features.Statistics;

var optionValues = new[] { Option("--iterations"), Option("--only") };
var path = Path.GetFullPath(args.FirstOrDefault(a => !a.StartsWith("--") && !optionValues.Contains(a)) ?? "/tmp/pd-1m.db");
var iterations = Option("--iterations") is { } it ? int.Parse(it, CultureInfo.InvariantCulture) : 5;
var only = Option("--only");
if (!File.Exists(path)) { Console.Error.WriteLine($"数据库不存在：{path}"); return 1; }

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:ConnectionString"] = $"Data Source={path}",
    ["PersonalData:KeyFile"] = Environment.GetEnvironmentVariable("PersonalData__KeyFile"),
    ["Calendar:Folder"] = Path.Combine(Path.GetTempPath(), "pd-bench-calendars"),
});
builder.Services.AddLogging();
if (args.Contains("--sql"))
    builder.Logging.AddConsole().AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information).SetMinimumLevel(LogLevel.Warning);
builder.AddPetitionData();
builder.AddBacklog();
builder.AddRepeats();
builder.AddAssignments();
builder.AddCases();
builder.AddScoring();
builder.AddStatistics();

// The leader with the most 包案 (as LoadBench signs in as), and the case LoadBench opens.
int leaderId;
string caseNumber;
await using (var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly"))
{
    await c.OpenAsync();
    leaderId = Convert.ToInt32(await Scalar(c, "SELECT LeaderId FROM LeaderAssignments GROUP BY LeaderId ORDER BY COUNT(*) DESC LIMIT 1"), CultureInfo.InvariantCulture);
    caseNumber = (string)(await Scalar(c, "SELECT CaseNumber FROM Petitions WHERE State = 4 ORDER BY Id DESC LIMIT 1"))!;
}
var services = builder.Services
    .AddSingleton<ICurrentUser>(FixedCurrentUser.For("bench", [Roles.Leader], leaderId: leaderId)).AddScoped<AccessGuard>()
    .BuildServiceProvider();
await using var scope = services.CreateAsyncScope();
var sp = scope.ServiceProvider;
// The reads themselves (no node cache), beside the open as the app serves it (the ranking and 初转重 kept until the counter moves).
var repeats = new RepeatReportService(sp.GetRequiredService<IDbContextFactory<AppDbContext>>(),
    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RepeatOptions>>(), sp.GetRequiredService<AccessGuard>(),
    sp.GetRequiredService<PetitionDashboard.Data.Protection.PersonalDataProtector>());
var repeatsAsServed = sp.GetRequiredService<RepeatReportService>();
var assignments = sp.GetRequiredService<AssignmentService>();
var cases = sp.GetRequiredService<CaseService>();
var statistics = sp.GetRequiredService<StatisticsService>();
var recompute = sp.GetRequiredService<RecomputeCoordinator>();
var today = sp.GetRequiredService<TimeProvider>().Today();
var filter = new RepeatFilter(today.AddDays(-89), today);   // the page's default period: the last 90 days

await using var sql = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
await sql.OpenAsync();
Console.WriteLine($"database {path}, leader {leaderId}, case {caseNumber}, today {today:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load average {Load()}");

var results = new List<(string Name, double Cold, double App, double AppCpu, double Sql)>();
await Row("/repeats 重复信访排名（首页 20 行 + 总数）", () => repeats.RankThreadsAsync(filter, 0, 20), RankTwin);
await Row("/repeats 重复信访排名，节点缓存（计数器未动）", () => repeatsAsServed.RankThreadsAsync(filter, 0, 20), RankTwin);
await Row("/repeats 初转重（首页 20 行 + 总数）", () => repeats.FirstToRepeatAsync(filter, 0, 20), FirstToRepeatTwin);
await Row("/repeats 初转重，节点缓存（计数器未动）", () => repeatsAsServed.FirstToRepeatAsync(filter, 0, 20), FirstToRepeatTwin);
await Row("/repeats 重复信访人（首页 20 行 + 总数）", () => repeats.RepeatPetitionersAsync(filter, 0, 20), PetitionersTwin);
await Row("/repeats 筛选项（单位、分类）", async () => { await repeats.UnitsAsync(); return await repeats.CategoriesAsync(); }, FilterChoicesTwin);
await Row("我的包案（首页 15 行 + 总数 + 反弹数）", async () =>
{
    var page = await assignments.ListAsync(new AssignmentListQuery(leaderId, null, AssignmentFilter.All, 0, 15));
    return (await assignments.ListAsync(new AssignmentListQuery(leaderId, null, AssignmentFilter.Relapsed, 0, 1))).Total + page.Rows.Count;
}, MineTwin);
// Grouped every time (no node cache), beside the open as the app serves it (kept until the counter moves: WorkloadCache).
var assignmentsCounted = new AssignmentService(sp.GetRequiredService<IDbContextFactory<AppDbContext>>(), sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<DeadlineCalculator>(), sp.GetRequiredService<AccessGuard>(),
    sp.GetRequiredService<ILogger<AssignmentService>>());
await Row("领导包案工作量", () => assignmentsCounted.WorkloadAsync(), WorkloadTwin);
await Row("领导包案工作量，节点缓存（计数器未动）", () => assignments.WorkloadAsync(), WorkloadTwin);
await Row("案件页（信访件、信访人、时间线、事项链、包案）", () => cases.GetAsync(caseNumber), CaseTwin);
// /statistics' prerender, read by read (the page shows the latest stored week; no twin for the live breakdowns' populations).
var latestWeek = (await statistics.WeeksAsync()).FirstOrDefault()?.Week;
if (latestWeek is { } week)
{
    await Row("/statistics 运行状态、单位、周列表", async () => { await recompute.CurrentAsync(); await statistics.UnitsAsync(); return await statistics.WeeksAsync(); }, null);
    await Row("/statistics 本周（全部单位的数字与排名）", () => statistics.WeekAsync(week), null);
    // Counted (no node cache), beside the open as the app serves it (kept until the counter moves: WeekBreakdownCache).
    var counted = new StatisticsService(sp.GetRequiredService<IDbContextFactory<AppDbContext>>(), sp.GetRequiredService<WeeklyStatisticsCalculator>(),
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StatisticsOptions>>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportOptions>>(),
        sp.GetRequiredService<ScoringSchemeStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AccessGuard>());
    await Row("/statistics 按分类、按形式分解（新增件次、重件）", async () => (await counted.BreakdownsAsync(week, null)).ByCategory.Count, null);
    await Row("/statistics 按分类、按形式分解，节点缓存（计数器未动）", async () => (await statistics.BreakdownsAsync(week, null)).ByCategory.Count, null);
    await Row("/statistics 趋势（12 周）", () => statistics.TrendAsync(null, week, 12), null);
    // What the page carries from its prerender to the circuit (persisted component state: JSON, then protected and base64
    // in the HTML, ≈ 1.4× these bytes), part by part.
    var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
    int Bytes<T>(T value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, json).Length;
    var report = await statistics.WeekAsync(week);
    var trend = await statistics.TrendAsync(null, week, 12);
    var carried = new (string Part, int Objects, int Carried)[]
    {
        ("status, units, weeks", 0, Bytes(await recompute.CurrentAsync()) + Bytes((await statistics.UnitsAsync()).Select(u => new StatisticsUnitChoice(u.Id, u.Name)).ToList()) + Bytes(await statistics.WeeksAsync())),
        ($"the week's report ({report?.Units.Count} units' figures, scores, ranks; the scheme)", Bytes(report), report is null ? 0 : Bytes(CarriedWeekReport.From(report))),
        ("breakdowns", 0, Bytes((await statistics.BreakdownsAsync(week, null)).ByCategory) + Bytes((await statistics.BreakdownsAsync(week, null)).ByForm)),
        ("trend (12 weeks)", Bytes(trend), Bytes(new StatisticTable(trend))),
    };
    Console.WriteLine();
    Console.WriteLine("/statistics carried state (JSON, before protection and base64): as objects (stop 24) / as carried now");
    foreach (var (part, objects, now) in carried) Console.WriteLine($"| {part} | {(objects == 0 ? now : objects) / 1024.0:0.0} KB | {now / 1024.0:0.0} KB |");
}

Console.WriteLine();
Console.WriteLine($"PagesBench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, median of {iterations} warm runs after one cold, load average {Load()}");
Console.WriteLine("| Read | cold app ms | app ms | app CPU ms | SQL ms | app ÷ SQL |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine(double.IsNaN(r.Sql)
        ? $"| {r.Name} | {r.Cold:0} | {r.App:0.0} | {r.AppCpu:0.0} | — | — |"
        : $"| {r.Name} | {r.Cold:0} | {r.App:0.0} | {r.AppCpu:0.0} | {r.Sql:0.0} | {r.App / Math.Max(r.Sql, 0.01):0.00} |");
return 0;

async Task Row<T>(string name, Func<Task<T>> app, Func<Task<int>>? twin)
{
    if (only is not null && !only.Split(',').Any(o => name.Contains(o, StringComparison.Ordinal))) return;
    var cold = Stopwatch.StartNew();
    await app();
    cold.Stop();
    var appMs = new List<double>();
    var cpuMs = new List<double>();
    var sqlMs = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        // Interleaved: the app and its twin share the same moment of the machine's load.
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await app();
        appMs.Add(sw.Elapsed.TotalMilliseconds);
        cpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
        if (twin is null) continue;
        sw.Restart();
        await twin();
        sqlMs.Add(sw.Elapsed.TotalMilliseconds);
    }
    var sqlMedian = sqlMs.Count > 0 ? Median(sqlMs) : double.NaN;
    results.Add((name, cold.Elapsed.TotalMilliseconds, Median(appMs), Median(cpuMs), sqlMedian));
    Console.WriteLine($"{name}: app {Median(appMs):0.0} ms (CPU {Median(cpuMs):0.0}), SQL {sqlMedian:0.0} ms");
}

// ---- hand-written twins: the same rows, written as one would by hand for SQLite ----

// The best hand-written form found (EXPLAIN QUERY PLAN): the candidate threads from the partial index, each one's petitions in
// the period counted on (ThreadId, ReceivedOn). The period's-petitions-first form (the app's old query) took 1.2–2.1 s here.
async Task<int> RankTwin() => await Read($"""
    SELECT COUNT(*) FROM Threads t WHERE t.PetitionCount >= 2 AND t.LastReceivedOn >= '{filter.From:yyyy-MM-dd}' AND t.FirstReceivedOn <= '{filter.To:yyyy-MM-dd}'
      AND EXISTS (SELECT 1 FROM Petitions p WHERE p.ThreadId = t.Id AND p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}');
    WITH g AS (SELECT t.Id AS ThreadId,
        (SELECT COUNT(*) FROM Petitions p WHERE p.ThreadId = t.Id AND p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}') AS Times,
        (SELECT MAX(p.ReceivedOn) FROM Petitions p WHERE p.ThreadId = t.Id AND p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}') AS Last
      FROM Threads t WHERE t.PetitionCount >= 2 AND t.LastReceivedOn >= '{filter.From:yyyy-MM-dd}' AND t.FirstReceivedOn <= '{filter.To:yyyy-MM-dd}'
      ORDER BY Times DESC, Last DESC, t.Id LIMIT 20)
    SELECT g.ThreadId, g.Times, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn, f.CaseNumber, f.PetitionerNames, f.Locality, f.Category, u.Name,
      (SELECT l.Name || l.Title || a.Status FROM LeaderAssignments a JOIN Leaders l ON l.Id = a.LeaderId WHERE a.ThreadId = g.ThreadId
       ORDER BY a.AssignedOn DESC, a.Id DESC LIMIT 1)
    FROM g JOIN Threads t ON t.Id = g.ThreadId LEFT JOIN Petitions f ON f.Id = t.FirstPetitionId LEFT JOIN Units u ON u.Id = f.UnitId
    WHERE g.Times > 0 ORDER BY g.Times DESC, g.Last DESC, g.ThreadId;
    """);

// Grouped by thread first, each thread tested once (as the app since stop 30; testing each repeat before grouping: 426 ms).
async Task<int> FirstToRepeatTwin() => await Read($"""
    WITH g AS (SELECT p.ThreadId, MIN(p.ReceivedOn) AS Second FROM Petitions p
      WHERE p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}' AND p.IsRepeat = 1 GROUP BY p.ThreadId
      HAVING NOT EXISTS (SELECT 1 FROM Petitions q WHERE q.ThreadId = p.ThreadId AND q.IsRepeat = 1 AND q.ReceivedOn < '{filter.From:yyyy-MM-dd}')
        AND EXISTS (SELECT 1 FROM Threads t JOIN Petitions f ON f.Id = t.FirstPetitionId WHERE t.Id = p.ThreadId AND f.IsRepeat = 0))
    SELECT COUNT(*) FROM g;
    WITH g AS (SELECT p.ThreadId, MIN(p.ReceivedOn) AS Second FROM Petitions p
      WHERE p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}' AND p.IsRepeat = 1 GROUP BY p.ThreadId
      HAVING NOT EXISTS (SELECT 1 FROM Petitions q WHERE q.ThreadId = p.ThreadId AND q.IsRepeat = 1 AND q.ReceivedOn < '{filter.From:yyyy-MM-dd}')
        AND EXISTS (SELECT 1 FROM Threads t JOIN Petitions f ON f.Id = t.FirstPetitionId WHERE t.Id = p.ThreadId AND f.IsRepeat = 0)
      ORDER BY Second DESC, p.ThreadId LIMIT 20)
    SELECT g.ThreadId, g.Second, t.PetitionCount, t.FirstReceivedOn, f.CaseNumber, f.PetitionerNames, f.Locality, f.Category, u.Name,
      (SELECT l.Name || l.Title || a.Status FROM LeaderAssignments a JOIN Leaders l ON l.Id = a.LeaderId WHERE a.ThreadId = g.ThreadId
       ORDER BY a.AssignedOn DESC, a.Id DESC LIMIT 1)
    FROM g JOIN Threads t ON t.Id = g.ThreadId LEFT JOIN Petitions f ON f.Id = t.FirstPetitionId LEFT JOIN Units u ON u.Id = f.UnitId
    ORDER BY g.Second DESC, g.ThreadId;
    """);

async Task<int> PetitionersTwin() => await Read($"""
    SELECT COUNT(DISTINCT pp.PetitionerId) FROM Petitions p JOIN PetitionPetitioners pp ON pp.PetitionId = p.Id
      WHERE p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}' AND p.IsRepeat = 1;
    WITH g AS (SELECT pp.PetitionerId, COUNT(*) AS N, COUNT(DISTINCT p.ThreadId) AS Threads, MAX(p.ReceivedOn) AS Last
      FROM Petitions p JOIN PetitionPetitioners pp ON pp.PetitionId = p.Id
      WHERE p.ReceivedOn BETWEEN '{filter.From:yyyy-MM-dd}' AND '{filter.To:yyyy-MM-dd}' AND p.IsRepeat = 1
      GROUP BY pp.PetitionerId ORDER BY N DESC, Last DESC, pp.PetitionerId LIMIT 20)
    SELECT g.*, r.Name, r.IdNumber, r.Phone FROM g JOIN Petitioners r ON r.Id = g.PetitionerId ORDER BY g.N DESC, g.Last DESC, g.PetitionerId;
    """);

async Task<int> FilterChoicesTwin() => await Read("""
    SELECT Id, Name FROM Units ORDER BY Kind, Name;
    SELECT Name FROM Categories WHERE Active ORDER BY SortOrder;
    """);

async Task<int> MineTwin() => await Read($"""
    SELECT COUNT(*) FROM LeaderAssignments WHERE LeaderId = {leaderId};
    SELECT COUNT(*) FROM LeaderAssignments WHERE LeaderId = {leaderId} AND Status = 3;
    WITH page AS (SELECT a.* FROM LeaderAssignments a WHERE a.LeaderId = {leaderId}
      ORDER BY CASE WHEN a.Status = 3 THEN 0 WHEN a.Status = 2 THEN 4 WHEN a.DueOn < '{today:yyyy-MM-dd}' THEN 1
                    WHEN a.DueOn <= '{today.AddDays(sp.GetRequiredService<DeadlineCalculator>().Options.WarnDays):yyyy-MM-dd}' THEN 2 ELSE 3 END,
               CASE WHEN a.Status = 2 THEN '9999-12-31' ELSE a.DueOn END, a.ResolvedOn DESC, a.Id LIMIT 15)
    SELECT page.Id, f.CaseNumber, f.PetitionerNames, f.Locality, f.Category, f.Demand, u.Name,
      (SELECT pr.Action || pr."On" FROM AssignmentProgress pr WHERE pr.AssignmentId = page.Id ORDER BY pr."On" DESC, pr.Id DESC LIMIT 1),
      EXISTS (SELECT 1 FROM AssignmentExtensionRequests r WHERE r.AssignmentId = page.Id AND r.Status = 1),
      (SELECT b.Name FROM AssignmentBatches b WHERE b.Id = page.BatchId)
    FROM page JOIN Units u ON u.Id = page.LeadUnitId
      LEFT JOIN Petitions f ON f.Id = (SELECT x.Id FROM Petitions x WHERE x.ThreadId = page.ThreadId ORDER BY x.ReceivedOn, x.Id LIMIT 1);
    """);

async Task<int> WorkloadTwin() => await Read($"""
    SELECT l.Id, l.Name, l.Title, SUM(a.Status = 1), SUM(a.Status = 3), SUM(a.Status IN (1, 3) AND a.DueOn < '{today:yyyy-MM-dd}'),
      SUM(a.Status = 2), COUNT(a.Id), SUM(CASE WHEN a.Status = 2 AND a.ResolvedOn IS NOT NULL THEN julianday(a.ResolvedOn) - julianday(a.AssignedOn) END)
    FROM Leaders l LEFT JOIN LeaderAssignments a ON a.LeaderId = l.Id GROUP BY l.Id ORDER BY l.Id;
    """);

async Task<int> CaseTwin() => await Read($"""
    SELECT p.*, u.Name, u.Kind, t.* FROM Petitions p JOIN Units u ON u.Id = p.UnitId JOIN Threads t ON t.Id = p.ThreadId WHERE p.CaseNumber = '{caseNumber}';
    SELECT r.Id, r.Name, r.IdNumber, r.Phone, r.Address FROM PetitionPetitioners pp JOIN Petitioners r ON r.Id = pp.PetitionerId
      WHERE pp.PetitionId = (SELECT Id FROM Petitions WHERE CaseNumber = '{caseNumber}') ORDER BY pp.PetitionerId;
    SELECT * FROM PetitionEvents WHERE PetitionId = (SELECT Id FROM Petitions WHERE CaseNumber = '{caseNumber}') ORDER BY "On", Id;
    SELECT i.* FROM LeaderInstructions i JOIN Petitions p ON p.CaseNumber = '{caseNumber}' WHERE i.ThreadId = p.ThreadId AND i.PetitionId <> p.Id;
    SELECT x.CaseNumber, x.ReceivedOn, x.State, x.IsRepeat, x.Demand FROM Petitions x
      WHERE x.ThreadId = (SELECT ThreadId FROM Petitions WHERE CaseNumber = '{caseNumber}') ORDER BY x.ReceivedOn, x.Id;
    SELECT a.*, l.*, u.*, pr.* FROM LeaderAssignments a JOIN Leaders l ON l.Id = a.LeaderId JOIN Units u ON u.Id = a.LeadUnitId
      LEFT JOIN AssignmentProgress pr ON pr.AssignmentId = a.Id
      WHERE a.ThreadId = (SELECT ThreadId FROM Petitions WHERE CaseNumber = '{caseNumber}') ORDER BY a.AssignedOn DESC;
    """);

async Task<int> Read(string text)
{
    await using var cmd = sql.CreateCommand();
    cmd.CommandText = text;
    await using var r = await cmd.ExecuteReaderAsync();
    var n = 0;
    do { while (await r.ReadAsync()) n++; } while (await r.NextResultAsync());
    return n;
}

static async Task<object?> Scalar(SqliteConnection c, string text)
{
    await using var cmd = c.CreateCommand();
    cmd.CommandText = text;
    return await cmd.ExecuteScalarAsync();
}

static double Median(List<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }

static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
