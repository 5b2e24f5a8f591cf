using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;

// Times the registration form's candidate lookup (RepeatDetectionService.FindCandidatesAsync) on an existing database:
// for randomly drawn petitions, the lookup a duty officer's form makes for the same person, 问题属地, category and demand.
// Usage: dotnet run -c Release --project bench/repeats-candidates -- "Data Source=/tmp/pd-1m.db" [lookups] [seed]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: RepeatsCandidatesBench <connection string> [lookups=300] [seed=42]");
    return 2;
}
var connectionString = args[0];
var lookups = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;

var recorder = new CommandRecorder();
var factory = new BenchContextFactory(connectionString, recorder);
var guard = new AccessGuard(FixedCurrentUser.For("bench", [Roles.DutyOfficer]));
// The database's numbers are encrypted: the key file the app used to write it (PersonalData__KeyFile, else the Development default).
var keyFile = Environment.GetEnvironmentVariable("PersonalData__KeyFile") is { Length: > 0 } configured
    ? configured : Path.Combine("PetitionDashboard", "data", "keys", "personal-data-keys.json");
var protector = new PersonalDataProtector(PersonalDataKeyRing.Load(new PersonalDataOptions { KeyFile = keyFile },
    new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production", ContentRootPath = Directory.GetCurrentDirectory() }));
var detection = new RepeatDetectionService(factory, Options.Create(new RepeatOptions()), guard, protector);

int maxId;
long petitions, petitioners;
await using (var db = factory.CreateDbContext())
{
    maxId = await db.Petitions.MaxAsync(p => p.Id);
    petitions = await db.Petitions.LongCountAsync();
    petitioners = await db.Petitioners.LongCountAsync();
}
Console.WriteLine($"database: {petitions:N0} petitions, {petitioners:N0} petitioners");

// Draw the probes first (not timed): what the officer would type for a returning petitioner.
var rng = new Random(seed);
var probes = new List<RepeatProbe>();
await using (var db = factory.CreateDbContext())
{
    while (probes.Count < lookups + 20)
    {
        var id = rng.Next(1, maxId + 1);
        var p = await db.Petitions.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Locality, x.Category, x.Demand }).FirstOrDefaultAsync();
        if (p is null) continue;
        var people = await db.PetitionPetitioners.AsNoTracking().Where(pp => pp.PetitionId == id)
            .Select(pp => new { pp.Petitioner.Name, pp.Petitioner.IdNumber, pp.Petitioner.Phone }).ToListAsync();
        var drafts = people.Select(x => new PetitionerDraft(x.Name, protector.Reveal(x.IdNumber), protector.Reveal(x.Phone), null));
        probes.Add(RepeatProbe.For(drafts, p.Locality, p.Category, p.Demand));
    }
}

// 20 warm-up lookups, then the timed ones.
foreach (var probe in probes.Take(20)) await detection.FindCandidatesAsync(probe);
recorder.Clear();
recorder.Recording = true;
var timings = new List<double>();
var candidateCounts = new List<int>();
foreach (var probe in probes.Skip(20))
{
    var sw = Stopwatch.StartNew();
    var found = await detection.FindCandidatesAsync(probe);
    sw.Stop();
    timings.Add(sw.Elapsed.TotalMilliseconds);
    candidateCounts.Add(found.Count);
    recorder.Recording = false; // keep the statements of the first timed lookup for the query plans
}
timings.Sort();
double Pct(double q) => timings[(int)Math.Min(timings.Count - 1, Math.Ceiling(q * timings.Count) - 1)];
Console.WriteLine($"lookups: {timings.Count}, candidates per lookup: mean {candidateCounts.Average():F1}, max {candidateCounts.Max()}");
Console.WriteLine($"lookup time (ms): median {Pct(0.5):F1}, p95 {Pct(0.95):F1}, p99 {Pct(0.99):F1}, max {timings[^1]:F1}, mean {timings.Average():F1}");

// The repeats page on the same database: the last 90 days up to the latest received date, first page of each list.
var reports = new RepeatReportService(factory, Options.Create(new RepeatOptions()), guard, protector);
DateOnly last;
await using (var db = factory.CreateDbContext()) last = await db.Petitions.MaxAsync(p => p.ReceivedOn);
var filter = new RepeatFilter(last.AddDays(-89), last);
async Task Time(string name, Func<Task<string>> run)
{
    await run(); // warm
    var sw = Stopwatch.StartNew();
    var what = await run();
    Console.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds:F0} ms ({what})");
}
Console.WriteLine($"repeats page, {filter.From:yyyy-MM-dd}..{filter.To:yyyy-MM-dd}:");
recorder.Clear();
recorder.Recording = true;
await Time("  ranking, page 1 of 20", async () => $"{(await reports.RankThreadsAsync(filter, 0, 20)).Total:N0} threads");
recorder.Recording = false;
if (Environment.GetEnvironmentVariable("SHOW_SQL") == "1") foreach (var c in recorder.Commands.Take(3)) Console.WriteLine(c.Text + "\n");
recorder.Clear();
await Time("  初转重, page 1 of 20", async () => $"{(await reports.FirstToRepeatAsync(filter, 0, 20)).Total:N0} threads");
await Time("  repeat petitioners, page 1 of 20", async () => $"{(await reports.RepeatPetitionersAsync(filter, 0, 20)).Total:N0} people");
await Time("  clusters", async () =>
{
    var r = await reports.ClustersAsync(filter);
    return $"{r.Clusters.Count} shown, {r.GroupsExamined}/{r.GroupsInPeriod} groups, {r.PetitionsCompared:N0} petitions compared";
});

// The plan of every statement one lookup runs: each must SEARCH by an index, never SCAN a large table.
await using (var connection = new SqliteConnection(connectionString))
{
    await connection.OpenAsync();
    foreach (var (text, parameters) in recorder.Commands)
    {
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + text;
        foreach (var (name, value) in parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        Console.WriteLine("-- " + text.ReplaceLineEndings(" ")[..Math.Min(160, text.Length)] + "…");
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) Console.WriteLine("   " + reader.GetString(3));
    }
}
return 0;

/// <summary>Records the SQL text and parameters of the commands a lookup executes.</summary>
internal sealed class CommandRecorder : DbCommandInterceptor
{
    public bool Recording { get; set; }
    public List<(string Text, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

    public void Clear() => Commands.Clear();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (Recording)
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}

internal sealed class BenchContextFactory(string connectionString, CommandRecorder recorder) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => new SqliteDbContext(
        new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(connectionString).AddInterceptors(recorder).Options);
}
