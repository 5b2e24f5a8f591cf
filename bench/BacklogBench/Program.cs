// Times what the backlog page runs on first render (KPI cards + buckets, the count, the first page) over a database
// made by `generate-demo`, for several filter + sort combinations. Each scenario: one cold run, then the median of 5.
//   dotnet run -c Release --project bench/BacklogBench -- /tmp/pd-1m.db
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Backlog;

var path = Path.GetFullPath(args.FirstOrDefault() ?? "/tmp/pd-1m.db");
if (!File.Exists(path)) { Console.Error.WriteLine($"数据库不存在：{path}"); return 1; }
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:ConnectionString"] = $"Data Source={path}",
    ["Calendar:Folder"] = Path.Combine(Path.GetTempPath(), "pd-bench-calendars"),
});
builder.Services.AddLogging();
builder.AddPetitionData();
builder.AddBacklog();
var services = builder.Services
    .AddSingleton<ICurrentUser>(FixedCurrentUser.For("bench", [Roles.Leader])).AddScoped<AccessGuard>()
    .BuildServiceProvider();
await using var scope = services.CreateAsyncScope();
var backlog = scope.ServiceProvider.GetRequiredService<BacklogService>();

var scenarios = new (string Name, BacklogFilter Filter, BacklogSort Sort)[]
{
    ("在办，最超期在前（默认）", BacklogFilter.Default, new BacklogSort()),
    ("超期，按登记日期倒序", new BacklogFilter { Deadline = DeadlineStatus.Overdue }, new BacklogSort(BacklogSortField.ReceivedOn, true)),
    ("某县在办 + 挂牌督办", new BacklogFilter { UnitId = 1, Supervision = SupervisionLevel.Listed }, new BacklogSort()),
    ("全部信访件，内容分类 + 登记日期区间", new BacklogFilter { Scope = BacklogScope.All, Category = "城乡建设", ReceivedFrom = new DateOnly(2026, 1, 1), ReceivedTo = new DateOnly(2026, 6, 30) }, new BacklogSort(BacklogSortField.CaseNumber)),
    ("全部信访件，重复件，按信访编号", new BacklogFilter { Scope = BacklogScope.All, IsRepeat = true }, new BacklogSort(BacklogSortField.CaseNumber)),
    ("全部信访件，搜索“张”", new BacklogFilter { Scope = BacklogScope.All, Text = "张" }, new BacklogSort()),
    ("全部信访件，搜索信访编号前缀", new BacklogFilter { Scope = BacklogScope.All, Text = "LC202611" }, new BacklogSort()),
};

Console.WriteLine($"database {path} ({new FileInfo(path).Length / 1_000_000} MB)");
Console.WriteLine("scenario | total rows | cold: KPIs / count / first page (ms) | warm median: KPIs / count / first page (ms)");
foreach (var (name, filter, sort) in scenarios)
{
    var cold = await backlog.MeasureFirstPageAsync(filter, sort);
    var warm = new List<BacklogTiming>();
    for (var i = 0; i < 5; i++) warm.Add(await backlog.MeasureFirstPageAsync(filter, sort));
    static double Median(IEnumerable<TimeSpan> xs) => xs.Select(x => x.TotalMilliseconds).Order().ElementAt(2);
    Console.WriteLine($"{name} | {cold.Total:N0} | {cold.Kpis.TotalMilliseconds:0} / {cold.Count.TotalMilliseconds:0} / {cold.FirstPage.TotalMilliseconds:0}" +
        $" | {Median(warm.Select(w => w.Kpis)):0} / {Median(warm.Select(w => w.Count)):0} / {Median(warm.Select(w => w.FirstPage)):0}");
}
return 0;
