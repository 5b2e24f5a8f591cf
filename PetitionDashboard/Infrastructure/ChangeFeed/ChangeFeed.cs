using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Migrations.Steps;

namespace PetitionDashboard.Infrastructure.ChangeFeed;

/// <summary>
/// This node's view of "the data changed": a counter the database moves on every write of a petition or 包案
/// (triggers, so imports, jobs and raw SQL count too), read once per node every few seconds — never once per circuit.
/// Pages subscribe to <see cref="Changed"/>; caches compare <see cref="RefreshAsync"/>'s value with the one they hold.
/// </summary>
public interface IChangeFeed
{
    /// <summary>The last counter value this node has read (−1 before the first read).</summary>
    long Version { get; }

    /// <summary>Raised once per node when the counter moved, on a background thread: components must InvokeAsync.</summary>
    event Action<ChangeNotice>? Changed;

    /// <summary>Reads the counter now (one single-row query) and raises <see cref="Changed"/> if it moved.</summary>
    Task<long> RefreshAsync(CancellationToken ct = default);
}

/// <summary>The counter moved from <see cref="Previous"/> to <see cref="Current"/>: <see cref="Count"/> writes.</summary>
public sealed record ChangeNotice(long Previous, long Current)
{
    public long Count => Current - Previous;
}

public sealed class ChangeFeedOptions
{
    public const string Section = "ChangeFeed";

    /// <summary>How often each node reads the counter; live pages lag a write by at most this.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.2, 600)]
    public double PollSeconds { get; set; } = 2;
}

/// <summary>
/// The change feed over the counter of <see cref="PerfSteps"/> and <see cref="ChangeFeedCommitSteps"/> (SQLite: a row;
/// PostgreSQL: the sum of a log a writing transaction adds one row to; SQL Server: a sequence). A counter must move when a
/// write commits, not before: a cache reads it first and keeps what it then computes under that value.
/// </summary>
public sealed class DatabaseChangeFeed(IDbContextFactory<AppDbContext> factory, ILogger<DatabaseChangeFeed> log) : IChangeFeed
{
    private long _version = -1;
    private readonly Lock _lock = new();

    public long Version => Interlocked.Read(ref _version);

    public event Action<ChangeNotice>? Changed;

    public async Task<long> RefreshAsync(CancellationToken ct = default)
    {
        long value;
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var connection = db.Database.GetDbConnection();
            if (connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = CounterSql(db);
            value = Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Before the first migration (or while the database is away) there is no counter: nothing has changed.
            log.LogDebug(e, "变化计数器暂不可读");
            return Version;
        }

        return Observe(value);
    }

    /// <summary>
    /// Takes a counter value read from the database. The counter only grows, but two reads at once (the node's poll and a
    /// page's prerender) may land in either order: a value older than the one kept is ignored, so the version never goes
    /// back and no change is announced twice.
    /// </summary>
    internal long Observe(long value)
    {
        ChangeNotice? notice = null;
        lock (_lock)
        {
            if (value <= _version) return _version;
            if (_version >= 0) notice = new ChangeNotice(_version, value);
            Interlocked.Exchange(ref _version, value);
        }
        if (notice is not null) Changed?.Invoke(notice);
        return value;
    }

    /// <summary>
    /// PostgreSQL: folds the log's rows into one, keeping their sum (one statement, so a reader sees the sum before or
    /// after, never between; rows of writes not yet committed are not seen, so not touched). Two nodes at once: the second
    /// waits for the first's rows, finds them gone and adds nothing. Other providers: nothing to do.
    /// </summary>
    public async Task CompactAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db is not PostgresDbContext) return;
        await db.Database.ExecuteSqlRawAsync(CompactSql, ct);
    }

    private const string CompactSql = $"WITH gone AS (DELETE FROM \"{ChangeFeedCommitSteps.PostgresLog}\" RETURNING \"Count\") " +
        $"INSERT INTO \"{ChangeFeedCommitSteps.PostgresLog}\" (\"Count\") SELECT sum(\"Count\") FROM gone HAVING count(*) > 0";

    private static string CounterSql(AppDbContext db) => db switch
    {
        PostgresDbContext => $"SELECT coalesce(sum(\"Count\"), 0)::bigint FROM \"{ChangeFeedCommitSteps.PostgresLog}\"",
        SqlServerDbContext => $"SELECT CAST(ISNULL(last_used_value, 0) AS bigint) FROM sys.sequences WHERE name = '{PerfSteps.Sequence}'",
        _ => $"SELECT \"Value\" FROM \"{PerfSteps.CounterTable}\" WHERE \"Id\" = 1",
    };
}

/// <summary>Reads the counter every <see cref="ChangeFeedOptions.PollSeconds"/>: the one poll of this node.</summary>
public sealed class ChangeFeedPoller(IChangeFeed feed, IOptions<ChangeFeedOptions> options, ILogger<ChangeFeedPoller> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        var polls = 0L;
        try
        {
            do
            {
                try
                {
                    await feed.RefreshAsync(stoppingToken);
                    // A writing transaction adds a row to PostgreSQL's log: fold them about every five minutes.
                    if (feed is DatabaseChangeFeed database && ++polls % CompactEveryPolls(options.Value) == 0) await database.CompactAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "读取变化计数器失败"); }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }

    private static long CompactEveryPolls(ChangeFeedOptions o) => Math.Max(1, (long)(300 / o.PollSeconds));
}

public static class ChangeFeedServices
{
    /// <summary>The node's change feed and its poller; safe to call from several features.</summary>
    public static IHostApplicationBuilder AddChangeFeed(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IChangeFeed))) return builder;
        services.AddOptions<ChangeFeedOptions>().BindConfiguration(ChangeFeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IChangeFeed, DatabaseChangeFeed>();
        services.AddHostedService<ChangeFeedPoller>();
        return builder;
    }
}
