// The backlog (积案总览) at 1M petitions, side by side with hand-written SQL on the same file and indexes: every filter
// and sort the grid offers (COUNT + first page of 20, exactly what the grid's ServerData runs), the KPI cards (computed,
// and served from the per-node cache as an open does), and free text through the full-text index.
// Each row: one cold run, then the median of N warm runs of the app and of its SQL twin, and their ratio.
//   dotnet run -c Release --project bench/BacklogBench -- /tmp/pd-1m.db [--iterations 5] [--only 搜索,KPI]
//   … -- --provider PostgreSql --connection "Host=…;Database=…"   (the app only: the SQL twins are SQLite's)
// The database is migrated first (a file made by an older generate-demo gets the indexes and the search table).
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
using PetitionDashboard.Features.Backlog;

var provider = Option("--provider") ?? "Sqlite";
var sqlite = provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);
var connection = Option("--connection");
var optionValues = new[] { Option("--iterations"), Option("--only"), Option("--explain"), Option("--provider"), Option("--breakdown"), connection };
var path = sqlite ? Path.GetFullPath(args.FirstOrDefault(a => !a.StartsWith("--") && !optionValues.Contains(a)) ?? "/tmp/pd-1m.db") : "";
var iterations = Option("--iterations") is { } it ? int.Parse(it, CultureInfo.InvariantCulture) : 5;
var only = Option("--only");
if (sqlite && !File.Exists(path)) { Console.Error.WriteLine($"数据库不存在：{path}"); return 1; }
if (!sqlite && connection is null) { Console.Error.WriteLine("--provider 不是 Sqlite 时需要 --connection"); return 1; }

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = provider,
    ["Database:ConnectionString"] = sqlite ? $"Data Source={path}" : connection,
    ["PersonalData:KeyFile"] = Environment.GetEnvironmentVariable("PersonalData__KeyFile"),
    ["Calendar:Folder"] = Path.Combine(Path.GetTempPath(), "pd-bench-calendars"),
});
builder.Services.AddLogging();
if (args.Contains("--sql"))
{
    // Prints every command the app sends, to compare with the twins.
    builder.Logging.AddConsole().AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information).SetMinimumLevel(LogLevel.Warning);
}
// --breakdown: a timeline of every connection and command event inside the app's calls (registered only then, so the
// ordinary rows run the app as it is configured).
var breakdown = Option("--breakdown");
var timeline = new Timeline();
// --plain: no interceptor (EF builds event data for every event an interceptor listens to: the app then costs more).
var plain = args.Contains("--plain");
if (breakdown is not null && !plain) builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(timeline);
builder.AddPetitionData();
builder.AddBacklog();
var services = builder.Services
    .AddSingleton<ICurrentUser>(FixedCurrentUser.For("bench", [Roles.Leader])).AddScoped<AccessGuard>()
    .BuildServiceProvider();
await using var scope = services.CreateAsyncScope();
var sp = scope.ServiceProvider;
var factory = sp.GetRequiredService<IDbContextFactory<AppDbContext>>();

var modelStart = Stopwatch.GetTimestamp();
await using (var db = await factory.CreateDbContextAsync())
{
    // EF's services and the model are built once per process, on the first context (what a compiled model would
    // shorten: start-up only, never a query).
    _ = db.Model;
    Console.WriteLine($"first context and model: {Stopwatch.GetElapsedTime(modelStart).TotalMilliseconds:0} ms");
    var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
    if (pending.Count > 0)
    {
        var m = Stopwatch.StartNew();
        await factory.MigrateAsync();
        Console.WriteLine($"migrated ({string.Join(", ", pending)}): {m.Elapsed.TotalSeconds:0.0} s");
    }
}

var backlog = sp.GetRequiredService<BacklogService>();                       // as the page: KPIs from the node's cache
var uncached = new BacklogService(factory, sp.GetRequiredService<DeadlineCalculator>(), sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<AccessGuard>());                                   // KPIs computed on every call
var today = backlog.Today;
var warn = backlog.WarnDays;

// The hand-written twins are SQLite SQL (FTS5, instr): on another provider only the app is timed.
await using var sql = new SqliteConnection(sqlite ? $"Data Source={path};Mode=ReadOnly" : "Data Source=:memory:");
await sql.OpenAsync();

if (Option("--explain") is { } sqlFile)
{
    // Diagnostics: the plan and time of a statement (e.g. one printed by --sql) on this SQLite build.
    await using var cmd = sql.CreateCommand();
    cmd.CommandText = "EXPLAIN QUERY PLAN " + await File.ReadAllTextAsync(sqlFile);
    await using (var r = await cmd.ExecuteReaderAsync())
        while (await r.ReadAsync()) Console.WriteLine($"{r.GetValue(1)} {r.GetValue(3)}");
    cmd.CommandText = cmd.CommandText["EXPLAIN QUERY PLAN ".Length..];
    var t = await Time(async () => { await using var r = await cmd.ExecuteReaderAsync(); while (await r.ReadAsync()) { } return 0; });
    Console.WriteLine($"{t.Ms:0.0} ms, CPU {t.CpuMs:0.0} ms (SQLite {sql.ServerVersion})");
    return 0;
}

if (breakdown is not null)
{
    await Breakdown(breakdown);
    return 0;
}

var results = new List<(string Name, int Rows, double Cold, double App, double Sql, double AppCpu, double SqlCpu)>();

// The KPI cards: the app's computation (a miss) and an open (a hit: one read of the change counter).
await Row("KPI 卡片与时长分布（计算）", async () => { await uncached.KpisAsync(); return 0; }, KpiTwin);
await Row("KPI 卡片与时长分布（打开页面，节点缓存）", async () => { await backlog.KpisAsync(); return 0; }, KpiTwin);

// EF's fixed cost per query (a new context, the LINQ tree's cache lookup, parameters, materializing) beside the same
// statement on an open connection: the floor under the grid's two queries (COUNT + page) when the SQL itself is ~1 ms.
var probeId = 1;
await Row("EF 固定开销（新建上下文 + 按主键 COUNT）", async () =>
{
    await using var db = await factory.CreateDbContextAsync();
    return await db.Petitions.CountAsync(p => p.Id == probeId);
}, () => Scalar("SELECT COUNT(*) FROM Petitions WHERE Id = 1"));

// The same COUNT (临期: open, due in the warning window) through LINQ as the grid builds it, and through a compiled query
// (EF.CompileAsyncQuery: no expression-tree cache lookup or parameter extraction per call), each with a new context.
var (soonFrom, soonTo) = DeadlineStatusRule.DueRange(DeadlineStatus.DueSoon, today, warn);
var soonLinq = BacklogFilter.Default with { Deadline = DeadlineStatus.DueSoon };
var soonCompiled = EF.CompileAsyncQuery((AppDbContext db, DateOnly lo, DateOnly hi) =>
    db.Petitions.Where(BacklogQuery.IsOpen).Count(p => p.CurrentDueDate >= lo && p.CurrentDueDate <= hi));
var soonSql = $"SELECT COUNT(*) FROM Petitions p WHERE p.State IN ({OpenStates()}) AND {Range("p.CurrentDueDate", (soonFrom, soonTo))}";
await Row("EF LINQ（临期 COUNT，新建上下文）", async () =>
{
    await using var db = await factory.CreateDbContextAsync();
    return await db.Petitions.AsNoTracking().Apply(soonLinq, today, warn).CountAsync();
}, () => Scalar(soonSql));
await Row("EF 编译查询（临期 COUNT，新建上下文）", async () =>
{
    await using var db = await factory.CreateDbContextAsync();
    return await soonCompiled(db, soonFrom!.Value, soonTo!.Value);
}, () => Scalar(soonSql));

var open = BacklogFilter.Default;
var all = new BacklogFilter { Scope = BacklogScope.All };
var filters = new (string Name, BacklogFilter Filter)[]
{
    ("在办（默认）", open),
    ("超期", open with { Deadline = DeadlineStatus.Overdue }),
    ("临期", open with { Deadline = DeadlineStatus.DueSoon }),
    ("正常", open with { Deadline = DeadlineStatus.Normal }),
    ("挂牌督办", open with { Supervision = SupervisionLevel.Listed }),
    ("办理时长 180 天以上", open with { Age = AgeBucket.Over180 }),
    ("办理时长 15 天以内", open with { Age = AgeBucket.UpTo15 }),
    ("某县（单位 1）", open with { UnitId = 1 }),
    ("某县 + 挂牌督办", open with { UnitId = 1, Supervision = SupervisionLevel.Listed }),
    ("内容分类 城乡建设", open with { Category = "城乡建设" }),
    ("信访形式 网上", open with { Form = PetitionForm.Online }),
    ("有包案", open with { HasAssignment = true }),
    ("无包案", open with { HasAssignment = false }),
    ("重件", open with { IsRepeat = true }),
    ("登记日期 2026-10", open with { ReceivedFrom = new DateOnly(2026, 10, 1), ReceivedTo = new DateOnly(2026, 10, 31) }),
    ("领导接访件", open with { LeaderReception = true }),
    ("高风险初件", open with { HighRisk = true }),
    ("全部信访件", all),
    ("全部，内容分类 + 登记日期区间", all with { Category = "城乡建设", ReceivedFrom = new DateOnly(2026, 1, 1), ReceivedTo = new DateOnly(2026, 6, 30) }),
    ("全部，重件", all with { IsRepeat = true }),
    ("全部，搜索“张”（1 字）", all with { Text = "张" }),
    ("全部，搜索 2 字姓名“王芳”", all with { Text = "王芳" }),
    ("全部，搜索诉求“逾期交房”", all with { Text = "逾期交房" }),
    ("全部，搜索 3 字姓名“王萍媛”", all with { Text = "王萍媛" }),
    ("全部，搜索信访编号前缀", all with { Text = "LC202611" }),
    // Matches that are closed, hence unscored: the 转重风险 order finds no score among them.
    ("全部，搜索 2024 年信访编号前缀", all with { Text = "LC2024" }),
    ("在办，搜索“物业”", open with { Text = "物业" }),
};
var sorts = new (string Name, BacklogSort Sort)[]
{
    ("最超期在前", BacklogSort.MostOverdueFirst),
    ("期限倒序", new BacklogSort(BacklogSortField.DueDate, true)),
    ("信访编号", new BacklogSort(BacklogSortField.CaseNumber)),
    ("登记日期倒序", new BacklogSort(BacklogSortField.ReceivedOn, true)),
    ("责任单位", new BacklogSort(BacklogSortField.Unit)),
    ("信访人", new BacklogSort(BacklogSortField.Petitioner)),
    ("督办等级倒序", new BacklogSort(BacklogSortField.Supervision, true)),
    // The other direction of each column (the grid's headers sort both ways) and the risk column.
    ("信访编号倒序", new BacklogSort(BacklogSortField.CaseNumber, true)),
    ("登记日期", new BacklogSort(BacklogSortField.ReceivedOn)),
    ("责任单位倒序", new BacklogSort(BacklogSortField.Unit, true)),
    ("信访人倒序", new BacklogSort(BacklogSortField.Petitioner, true)),
    ("督办等级", new BacklogSort(BacklogSortField.Supervision)),
    ("转重风险倒序", new BacklogSort(BacklogSortField.Risk, true)),
};

foreach (var (name, filter) in filters)
    await Grid($"{name}｜{(filter.Scope == BacklogScope.All && filter.Text is null ? "信访编号" : "最超期在前")}", filter,
        filter.Scope == BacklogScope.All && filter.Text is null ? new BacklogSort(BacklogSortField.CaseNumber) : BacklogSort.MostOverdueFirst);
foreach (var (name, sort) in sorts.Skip(1))
    await Grid($"在办｜{name}", open, sort);
foreach (var (name, sort) in sorts.Skip(1))
    await Grid($"全部信访件｜{name}", all, sort);
// Free text under every other sort: many matches walk the sort's index and probe the candidates (BacklogService).
foreach (var (name, sort) in sorts.Skip(1))
    await Grid($"全部，搜索“张”｜{name}", all with { Text = "张" }, sort);
foreach (var (name, sort) in sorts.Skip(1))
    await Grid($"在办，搜索“物业”｜{name}", open with { Text = "物业" }, sort);
// The other texts under the 转重风险 order: its walk of the scores tests each row by the text (many matches) or by the
// candidates (few); a text whose matches are mostly closed, hence unscored, walks every score before the unscored.
foreach (var (name, filter) in filters.Where(f => f.Filter.Text is not null and not "张" and not "物业"))
    await Grid($"{name}｜转重风险倒序", filter, new BacklogSort(BacklogSortField.Risk, true));

Console.WriteLine();
Console.WriteLine($"database {(sqlite ? $"{path} ({new FileInfo(path).Length / 1_000_000:N0} MB)" : provider)}, today {today:yyyy-MM-dd}, {iterations} warm runs each, " +
    $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();
Console.WriteLine("| Scenario | Rows | Cold (ms) | App median (ms) | SQL median (ms) | Ratio | App CPU (ms) | SQL CPU (ms) | CPU ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine(sqlite
        ? $"| {r.Name} | {r.Rows:N0} | {r.Cold:0} | {r.App:0.0} | {r.Sql:0.0} | {r.App / Math.Max(r.Sql, 0.01):0.00} | {r.AppCpu:0.0} | {r.SqlCpu:0.0} | {r.AppCpu / Math.Max(r.SqlCpu, 0.01):0.00} |"
        : $"| {r.Name} | {r.Rows:N0} | {r.Cold:0} | {r.App:0.0} | — | — | {r.AppCpu:0.0} | — | — |");
return 0;

async Task Grid(string name, BacklogFilter filter, BacklogSort sort) =>
    await Row(name, async () => (await backlog.QueryAsync(filter, sort, 0, 20)).Total, () => GridTwin(filter, sort));

async Task Row(string name, Func<Task<int>> app, Func<Task<int>> twin)
{
    if (only is not null && !only.Split(',').Any(o => name.Contains(o, StringComparison.Ordinal))) return;
    var cold = await Time(app);
    var appRuns = new List<double>();
    var sqlRuns = new List<double>();
    var appCpu = new List<double>();
    var sqlCpu = new List<double>();
    var rows = 0;
    if (!sqlite) twin = () => Task.FromResult(0);
    await Time(twin);
    for (var i = 0; i < iterations; i++)
    {
        // Alternate, so both see the same cache and the same load.
        var a = await Time(app);
        appRuns.Add(a.Ms);
        appCpu.Add(a.CpuMs);
        var s = await Time(twin);
        sqlRuns.Add(s.Ms);
        sqlCpu.Add(s.CpuMs);
        rows = s.Rows;
    }
    var result = (name, rows == 0 ? cold.Rows : rows, cold.Ms, Median(appRuns), Median(sqlRuns), Median(appCpu), Median(sqlCpu));
    results.Add(result);
    Console.WriteLine($"{result.name}: {result.Item2:N0} rows, cold {result.Item3:0} ms, app {result.Item4:0.0} ms (CPU {result.Item6:0.0}), " +
        $"SQL {result.Item5:0.0} ms (CPU {result.Item7:0.0}), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
}

// Wall time and the process's CPU time (user + system, getrusage: microseconds) of one call. On a shared machine the
// wall time is mostly waiting for a core; the CPU time is what the call costs.
static async Task<(double Ms, int Rows, double CpuMs)> Time(Func<Task<int>> f)
{
    var cpu = CpuMs();
    var start = Stopwatch.GetTimestamp();
    var rows = await f();
    return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, rows, CpuMs() - cpu);
}

static double CpuMs()
{
    var u = new RUsage();
    _ = Native.GetRUsage(0, ref u);
    return (u.UserSec + u.SysSec) * 1000.0 + (u.UserUsec + u.SysUsec) / 1000.0;
}

static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

// Where the app's time goes in one first page (COUNT + page of 20) of a scenario, against its SQL: each part timed over
// many calls, app and raw parts interleaved round by round. The app's calls are cut by the timeline's events
// (EF's own work between them: context, LINQ pipeline, parameters, materialisation); EF's two statements are then
// replayed through plain ADO.NET on the twins' open connection, so "SQL time of EF's statements" is measured, not guessed.
async Task Breakdown(string scenario)
{
    var f = scenario switch
    {
        "超期" => BacklogFilter.Default with { Deadline = DeadlineStatus.Overdue },
        "临期" => BacklogFilter.Default with { Deadline = DeadlineStatus.DueSoon },
        "正常" => BacklogFilter.Default with { Deadline = DeadlineStatus.Normal },
        "180" => BacklogFilter.Default with { Age = AgeBucket.Over180 },
        "王萍媛" => new BacklogFilter { Scope = BacklogScope.All, Text = "王萍媛" },
        "领导接访件" => BacklogFilter.Default with { LeaderReception = true },
        "王芳" => new BacklogFilter { Scope = BacklogScope.All, Text = "王芳" },
        _ => BacklogFilter.Default,
    };
    var sort = BacklogSort.MostOverdueFirst;
    var rounds = iterations;
    const int perRound = 50;
    // Capture EF's statements of one call.
    timeline.Capture = true;
    await backlog.QueryAsync(f, sort, 0, 20);
    timeline.Capture = false;
    var statements = timeline.Commands.ToList();
    Console.WriteLine($"{scenario}: EF sends {statements.Count} statement(s):");
    foreach (var (text, ps) in statements) Console.WriteLine($"  -- {string.Join(", ", ps.Select(p => $"{p.Name}={p.Value}"))}\n  {text.ReplaceLineEndings(" ")}");

    if (args.Contains("--profile"))
    {
        // For a sampling profiler (dotnet-trace): the app's call alone, over and over.
        for (var i = 0; i < rounds * perRound; i++) await backlog.QueryAsync(f, sort, 0, 20);
        return;
    }
    var parts = new Dictionary<string, List<double>>();
    void Add(string k, double us) { if (!parts.TryGetValue(k, out var l)) parts[k] = l = []; l.Add(us); }
    async Task<double> Loop(Func<Task> body)
    {
        var t = Stopwatch.GetTimestamp();
        for (var i = 0; i < perRound; i++) await body();
        return Stopwatch.GetElapsedTime(t).TotalMicroseconds / perRound;
    }
    async Task Replay((string Text, List<(string Name, object? Value)> Ps) st, SqliteConnection c)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = st.Text;
        foreach (var (n, v) in st.Ps) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        await using var r = await cmd.ExecuteReaderAsync();
        var values = new object[r.FieldCount];
        while (await r.ReadAsync()) r.GetValues(values);
    }
    await using var pooled = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
    for (var round = 0; round < rounds; round++)
    {
        // App and twin back to back, wall and CPU (getrusage counts in scheduler ticks: over 50 calls it averages out).
        var cpu0 = CpuMs();
        var appWall = await Loop(() => backlog.QueryAsync(f, sort, 0, 20));
        var appCpu = (CpuMs() - cpu0) * 1000 / perRound;
        cpu0 = CpuMs();
        var twinWall = await Loop(() => GridTwin(f, sort));
        var twinCpu = (CpuMs() - cpu0) * 1000 / perRound;
        Add("app: QueryAsync (whole first page)", appWall);
        Add("twin: COUNT + page, hand-written SQL", twinWall);
        Add("ratio app / twin (wall, per round)", appWall / twinWall);
        Add("app CPU (µs per call)", appCpu);
        Add("twin CPU (µs per call)", twinCpu);
        Add("ratio app / twin (CPU, per round)", appCpu / Math.Max(twinCpu, 1));
        if (plain) continue;
        // One call cut by the timeline's events, averaged over perRound calls.
        timeline.On = true;
        for (var i = 0; i < perRound; i++)
        {
            timeline.Mark("call");
            await backlog.QueryAsync(f, sort, 0, 20);
            timeline.Mark("end");
            foreach (var (k, us) in timeline.Segments()) Add("  " + k, us);
            timeline.Clear();
        }
        timeline.On = false;
        Add("context: create + dispose", await Loop(async () => { await using var db = await factory.CreateDbContextAsync(); }));
        Add("context: create + open + close + dispose", await Loop(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await db.Database.CloseConnectionAsync();
        }));
        Add("ADO: open + close a pooled connection", await Loop(async () => { await pooled.OpenAsync(); await pooled.CloseAsync(); }));
        Add("SQL: EF's statements replayed (open connection)", await Loop(async () => { foreach (var st in statements) await Replay(st, sql); }));
        for (var k = 0; k < statements.Count; k++)
        {
            var st = statements[k];
            Add($"SQL: EF's statement {k + 1} replayed", await Loop(() => Replay(st, sql)));
        }
        Add("SQL: twin (COUNT + page)", await Loop(() => GridTwin(f, sort)));
    }
    Console.WriteLine();
    Console.WriteLine($"{scenario}: {rounds} rounds × {perRound} calls, mean per call (µs), median over rounds; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine("| Part | µs per call |");
    Console.WriteLine("|---|---:|");
    foreach (var (k, l) in parts) Console.WriteLine(k.StartsWith("ratio") ? $"| {k} | {Median(l):0.00} |" : $"| {k} | {Median(l):0} |");
}

// ---- the hand-written SQL twins -----------------------------------------------------------------------------------

string D(DateOnly d) => "'" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

string OpenStates() => string.Join(", ", PetitionLifecycle.OpenStates.Select(s => (int)s));

string InForce() => string.Join(", ", AssignmentLifecycle.InForceStates.Select(s => (int)s));

// Every figure the cards show, in the best form found by hand: one statement, each figure its own COUNT, so each seeks
// its range of the open indexes (a single conditional-aggregate pass over the open rows: 24 ms CPU at 1M; these nine:
// 9 ms), the 包案 count, the open petitions under one (EXISTS walking the open index), this month's repeats and the
// open high-risk petitions (their ids, a few thousand, by key).
async Task<int> KpiTwin()
{
    var month = new DateOnly(today.Year, today.Month, 1);
    var open = $"SELECT COUNT(*) FROM Petitions p WHERE p.State IN ({OpenStates()})";
    var parts = new List<string> { open };
    foreach (var st in new[] { DeadlineStatus.Overdue, DeadlineStatus.DueSoon })
        parts.Add($"{open} AND {Range("p.CurrentDueDate", DeadlineStatusRule.DueRange(st, today, warn))}");
    parts.Add($"{open} AND p.Supervision = {(int)SupervisionLevel.Listed}");
    foreach (var b in Enum.GetValues<AgeBucket>()) parts.Add($"{open} AND {Range("p.ReceivedOn", BacklogQuery.ReceivedRange(b, today))}");
    parts.Add($"SELECT COUNT(*) FROM LeaderAssignments WHERE Status IN ({InForce()})");
    parts.Add($"{open} AND EXISTS (SELECT 1 FROM LeaderAssignments a WHERE a.ThreadId = p.ThreadId AND a.Status IN ({InForce()}))");
    parts.Add($"SELECT COUNT(*) FROM Petitions p WHERE p.IsRepeat AND p.ReceivedOn BETWEEN {D(month)} AND {D(month.AddMonths(1).AddDays(-1))}");
    parts.Add($"{open} AND p.Id IN (SELECT PetitionId FROM RiskScores WHERE High)");
    return await Scalar($"SELECT {string.Join(", ", parts.Select(x => $"({x})"))}");
}

string Range(string column, (DateOnly? From, DateOnly? To) r) =>
    string.Join(" AND ", new[] { r.From is { } f ? $"{column} >= {D(f)}" : null, r.To is { } t ? $"{column} <= {D(t)}" : null }.OfType<string>()) is { Length: > 0 } s ? s : "1";

async Task<int> GridTwin(BacklogFilter f, BacklogSort sort)
{
    var where = new List<string>();
    string? countSql = null;
    int? candidateClause = null;
    if (f.Scope == BacklogScope.Open || f.Deadline is not null || f.Age is not null) where.Add($"p.State IN ({OpenStates()})");
    if (f.Deadline is { } st) where.Add(Range("p.CurrentDueDate", DeadlineStatusRule.DueRange(st, today, warn)));
    if (f.Age is { } b) where.Add(Range("p.ReceivedOn", BacklogQuery.ReceivedRange(b, today)));
    if (f.UnitId is { } u) where.Add($"p.UnitId = {u}");
    if (f.Category is { } c) where.Add($"p.Category = '{c}'");
    if (f.Form is { } fo) where.Add($"p.Form = {(int)fo}");
    if (f.Supervision is { } l) where.Add($"p.Supervision = {(int)l}");
    if (f.HasAssignment is { } has)
        where.Add($"{(has ? "" : "NOT ")}EXISTS (SELECT 1 FROM LeaderAssignments a WHERE a.ThreadId = p.ThreadId AND a.Status IN ({InForce()}))");
    // The bare column, as a careful hand would write it: it matches the partial index on repeats.
    if (f.IsRepeat is { } r) where.Add(r ? "p.IsRepeat" : "NOT p.IsRepeat");
    if (f.LeaderReception is { } lr) where.Add(lr ? "p.LeaderReceptionOn IS NOT NULL" : "p.LeaderReceptionOn IS NULL");
    if (f.HighRisk == true) where.Add("p.Id IN (SELECT PetitionId FROM RiskScores WHERE High)");
    if (f.ReceivedFrom is { } from) where.Add($"p.ReceivedOn >= {D(from)}");
    if (f.ReceivedTo is { } to) where.Add($"p.ReceivedOn <= {D(to)}");
    if (f.Text is { } q)
    {
        // The best a hand-written query can do: the same trigram index, then the exact test. 3+ characters: the two
        // rarest trigrams by the term list; 1–2: the (trigram, row) pairs whose trigram starts with the text.
        // A text none of whose trigrams is indexed (a small database) matches nothing: MATCH gets a trigram no row holds
        // (MATCH NULL is an FTS5 syntax error).
        var runes = q.EnumerateRunes().Select(x => x.ToString()).ToList();
        var others = where.Count;
        where.Add(runes.Count >= 3
            ? $"p.Id IN (SELECT rowid FROM PetitionSearch WHERE PetitionSearch MATCH (SELECT coalesce(group_concat('\"' || term || '\"', ' AND '), '\"' || char(1, 1, 1) || '\"') FROM (SELECT term FROM PetitionSearchTerms WHERE term IN ({string.Join(", ", Enumerable.Range(0, runes.Count - 2).Select(i => "'" + string.Concat(runes.Skip(i).Take(3)) + "'"))}) ORDER BY doc LIMIT 2)))"
            : $"p.Id IN (SELECT doc FROM PetitionSearchInstances WHERE term >= '{q}' AND term < '{q}' || char(1114111))");
        candidateClause = where.Count - 1;
        // 1–2 characters: the instance rows are exactly the rows holding the text, so no exact test; alone, the count
        // needs no Petitions row at all. 3+: the exact test on the candidates.
        if (runes.Count <= 2 && others == 0)
            countSql = $"SELECT COUNT(DISTINCT doc) FROM PetitionSearchInstances WHERE term >= '{q}' AND term < '{q}' || char(1114111)";
        if (runes.Count >= 3)
            where.Add($"(instr(p.CaseNumber, '{q}') > 0 OR instr(p.PetitionerNames, '{q}') > 0 OR instr(p.Demand, '{q}') > 0)");
        // Over the open petitions: walk the open index and probe the candidates ("+" hides the key from the planner).
        if (f.Scope == BacklogScope.Open && countSql is null)
            countSql = $"SELECT COUNT(*) FROM Petitions p WHERE {string.Join(" AND ", where.Select((x, i) => i == candidateClause ? "+" + x : x))}";
        // A case-number prefix is counted by hand as the app counts it: the CaseNumber index's range alone, plus the
        // exact test on the other candidates only (a twin reading every candidate would flatter the app's ratio).
        if (q.Length >= 3 && q.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
        {
            var range = $"p.CaseNumber >= '{q}' AND p.CaseNumber < '{q}' || char(1114111)";
            var rest = string.Join(" AND ", where.Take(where.Count - 2).Append("1"));
            var candidates = where[^2]["p.Id IN (".Length..^1];
            countSql = $"SELECT (SELECT COUNT(*) FROM Petitions p WHERE {rest} AND {range}) + (SELECT COUNT(*) FROM Petitions p " +
                       $"WHERE {rest} AND p.Id IN ({candidates} EXCEPT SELECT p.Id FROM Petitions p WHERE {range}) AND {where[^1]})";
        }
    }
    var w = where.Count == 0 ? "1" : string.Join(" AND ", where);
    var d = sort.Descending ? " DESC" : "";
    var order = sort.Field switch
    {
        BacklogSortField.CaseNumber => $"p.CaseNumber{d}",
        BacklogSortField.ReceivedOn => $"p.ReceivedOn{d}, p.CaseNumber",
        BacklogSortField.Unit => $"u.Name{d}, p.CaseNumber",
        BacklogSortField.Petitioner => $"p.PetitionerNames{d}, p.CaseNumber",
        BacklogSortField.Supervision => $"p.Supervision{d}, p.CaseNumber",
        BacklogSortField.Risk => $"r.PetitionId IS NULL, r.Score{d}, p.CaseNumber",
        _ when f.Scope == BacklogScope.All => $"p.CurrentDueDate IS NULL, p.CurrentDueDate{d}, p.CaseNumber",
        _ => $"p.CurrentDueDate{d}, p.CaseNumber",
    };
    var total = await Scalar(countSql ?? $"SELECT COUNT(*) FROM Petitions p WHERE {w}");
    // Many matches: the page walks the sort's index and probes the candidates instead of sorting them all.
    if (candidateClause is { } ci && total >= 1_000)
        w = string.Join(" AND ", where.Select((x, i) => i == ci ? "+" + x : x));
    await using var cmd = sql.CreateCommand();
    cmd.CommandText = $"""
        SELECT p.Id, p.CaseNumber, p.PetitionerNames, p.Locality, p.Category, p.Form, u.Name, p.ReceivedOn, p.State,
               p.CurrentDueDate, p.Supervision, p.IsRepeat,
               (SELECT l.Name FROM LeaderAssignments a JOIN Leaders l ON l.Id = a.LeaderId
                WHERE a.ThreadId = p.ThreadId AND a.Status IN ({InForce()}) ORDER BY a.AssignedOn DESC LIMIT 1),
               r.Score, r.High
        FROM Petitions p JOIN Units u ON u.Id = p.UnitId LEFT JOIN RiskScores r ON r.PetitionId = p.Id
        WHERE {w} ORDER BY {order} LIMIT 20
        """;
    await using var reader = await cmd.ExecuteReaderAsync();
    var values = new object[15];
    while (await reader.ReadAsync()) reader.GetValues(values);
    return total;
}

async Task<int> Scalar(string text)
{
    await using var cmd = sql.CreateCommand();
    cmd.CommandText = text;
    return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
struct RUsage
{
    public long UserSec, UserUsec, SysSec, SysUsec;
    // The rest of struct rusage (14 longs), unread.
    public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
}

// Timestamps of every connection and command event while On; Segments() names the gaps between them.
sealed class Timeline : Microsoft.EntityFrameworkCore.Diagnostics.IDbConnectionInterceptor, Microsoft.EntityFrameworkCore.Diagnostics.IDbCommandInterceptor
{
    public volatile bool On;
    public volatile bool Capture;
    private readonly List<(string Event, long At)> _events = [];
    public List<(string Text, List<(string Name, object? Value)> Ps)> Commands { get; } = [];

    public void Mark(string e) { if (On) _events.Add((e, Stopwatch.GetTimestamp())); }
    public void Clear() { _events.Clear(); }

    /// <summary>The time between consecutive events, named "from → to", with statement numbers.</summary>
    public IEnumerable<(string, double)> Segments()
    {
        var n = 0;
        for (var i = 1; i < _events.Count; i++)
        {
            if (_events[i].Event == "command creating") n++;
            yield return ($"{Label(_events[i - 1].Event, _events[i].Event)} [{n}]",
                Stopwatch.GetElapsedTime(_events[i - 1].At, _events[i].At).TotalMicroseconds);
        }
    }

    private static string Label(string from, string to) => (from, to) switch
    {
        ("call", _) => "EF/app before the statement (context, filter, LINQ pipeline, parameters)",
        ("connection closed" or "reader closing", "command creating") => "EF/app between statements (LINQ pipeline, parameters)",
        ("connection closed" or "reader closing", "end") => "EF/app after the last statement (rows completed, context disposed)",
        ("connection opened", "command creating") => "EF/app before the statement, connection open (LINQ pipeline, parameters)",
        ("command creating", _) => "command created + initialised",
        ("command created", "connection opening") => "EF before opening",
        ("command created", _) => "EF: parameters bound, before execute",
        ("connection opening", _) => "connection open",
        ("connection opened", _) => "EF after open, before execute",
        ("reader executing", _) => "SQL: prepare + first step (ExecuteReader)",
        ("reader executed", _) => "read + materialise rows (SQLite steps included)",
        ("reader closing", _) => "reader close",
        ("connection closing", _) => "connection close",
        _ => $"{from} → {to}",
    };

    public System.Data.Common.DbCommand CommandInitialized(Microsoft.EntityFrameworkCore.Diagnostics.CommandEndEventData e, System.Data.Common.DbCommand result)
    { Mark("command created"); return result; }
    public Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbCommand> CommandCreating(
        Microsoft.EntityFrameworkCore.Diagnostics.CommandCorrelatedEventData e, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbCommand> result)
    { Mark("command creating"); return result; }
    public ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData e,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken ct = default)
    {
        if (Capture)
            Commands.Add((command.CommandText, command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
        Mark("reader executing");
        return ValueTask.FromResult(result);
    }
    public ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(System.Data.Common.DbCommand command,
        Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData e, System.Data.Common.DbDataReader result, CancellationToken ct = default)
    { Mark("reader executed"); return ValueTask.FromResult(result); }
    public ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> DataReaderClosingAsync(System.Data.Common.DbCommand command,
        Microsoft.EntityFrameworkCore.Diagnostics.DataReaderClosingEventData e, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
    { Mark("reader closing"); return ValueTask.FromResult(result); }
    public ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> ConnectionOpeningAsync(System.Data.Common.DbConnection c,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEventData e, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result, CancellationToken ct = default)
    { Mark("connection opening"); return ValueTask.FromResult(result); }
    public Task ConnectionOpenedAsync(System.Data.Common.DbConnection c, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData e, CancellationToken ct = default)
    { Mark("connection opened"); return Task.CompletedTask; }
    public ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> ConnectionClosingAsync(System.Data.Common.DbConnection c,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEventData e, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
    { Mark("connection closing"); return ValueTask.FromResult(result); }
    public Task ConnectionClosedAsync(System.Data.Common.DbConnection c, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData e)
    { Mark("connection closed"); return Task.CompletedTask; }
}

static class Native
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    public static extern int GetRUsage(int who, ref RUsage usage);
}
