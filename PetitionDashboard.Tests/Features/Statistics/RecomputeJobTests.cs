using Microsoft.Extensions.DependencyInjection;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Statistics;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Statistics;

public class RecomputeJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every stored row as comparable text, without ids and AsOf.</summary>
    internal static async Task<List<string>> SnapshotAsync(StatisticsWorld w, IsoWeek? only = null)
    {
        await using var ctx = w.Db.CreateDbContext();
        var rows = await ctx.WeeklyUnitStatistics.AsNoTracking().ToListAsync(Ct);
        return rows.Where(r => only is null || r.WeekMonday == only.Value.Monday)
            .Select(r => $"{r.Week}|{r.UnitId}|" + string.Join(",", Enum.GetValues<StatisticMeasure>().Select(m => r[m])) + $"|{r.Published}")
            .Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Recompute_TwiceGivesTheSameRows_NoDuplicates()
    {
        await using var w = await HandBuiltAsync(historyWeeks: 4, recomputeWeeks: 3);
        var first = await w.Recomputer.RecomputeAsync(null, Ct);
        var once = await SnapshotAsync(w);
        var second = await w.Recomputer.RecomputeAsync(null, Ct);
        Assert.Equal(once, await SnapshotAsync(w));
        // Last full week before Tuesday 2026-11-17 is W46; history 4 weeks → W43 … W46, 4 rows each (3 units + all).
        Assert.Equal(["2026-W43", "2026-W44", "2026-W45", "2026-W46"], first.Recomputed.Select(x => x.ToString()));
        Assert.Equal(["2026-W44", "2026-W45", "2026-W46"], second.Recomputed.Select(x => x.ToString()));
        Assert.Equal(16, once.Count);
    }

    [Fact]
    public async Task PublishedWeek_IsNeverRecomputed_WhileNewDataChangesTheUnpublishedWeeks()
    {
        await using var w = await HandBuiltAsync(historyWeeks: 4, recomputeWeeks: 3);
        await w.Recomputer.RecomputeAsync(null, Ct);
        await w.ServiceAs(SupervisorActor).PublishAsync(W45, Ct);
        var w45 = await SnapshotAsync(w, W45);
        var w44 = await SnapshotAsync(w, new IsoWeek(2026, 44));
        var asOf45 = (await w.RowAsync(W45, null)).AsOfUtc;

        // New data that changes W45 and W46: a petition registered Wednesday 11-04 and still open, and one on 11-11.
        await using (var ctx = w.Db.CreateDbContext())
        {
            w.Petition(ctx, "N1", w.A, new DateOnly(2026, 11, 4));
            w.Petition(ctx, "N2", w.B, new DateOnly(2026, 11, 11));
            await ctx.SaveChangesAsync(Ct);
        }
        w.Clock.Now = w.Clock.Now.AddHours(1);
        var result = await w.Recomputer.RecomputeAsync(null, Ct);

        Assert.DoesNotContain(W45, result.Recomputed);
        Assert.Equal(w45, await SnapshotAsync(w, W45));                  // frozen: same figures …
        Assert.Equal(asOf45, (await w.RowAsync(W45, null)).AsOfUtc);      // … and the same AsOf
        Assert.True((await w.RowAsync(W45, w.A)).Published);
        Assert.Contains(W46, result.Recomputed);
        Assert.Equal(5, (await w.RowAsync(W46, null)).NewPetitions);       // 4 + N2
        Assert.Equal(17, (await w.RowAsync(W46, null)).Open);              // 15 + N1 + N2
        Assert.Equal(2, (await w.RowAsync(W45, null)).NewPetitions);       // published W45 keeps P18 + P25 (N1 not added)
        Assert.Equal(w44, await SnapshotAsync(w, new IsoWeek(2026, 44)));   // recomputed, and unaffected by the new data
    }

    [Fact]
    public async Task Publish_IsSupervisorOnly_AndOnlyOnce()
    {
        await using var w = await HandBuiltAsync();
        await w.Recomputer.RecomputeAsync(null, Ct);
        await Refused.NotAllowedAsync(() => w.ServiceAs(AdminActor).PublishAsync(W46, Ct));
        await Refused.NotAllowedAsync(() => w.ServiceAs(LeaderActor).PublishAsync(W46, Ct));
        await w.ServiceAs(SupervisorActor).PublishAsync(W46, Ct);
        var row = await w.RowAsync(W46, w.B);
        Assert.Equal(("督查甲", true), (row.PublishedBy, row.Published));
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => w.ServiceAs(SupervisorActor).PublishAsync(W46, Ct));
        Assert.Contains("已于", again.Message);
        await Assert.ThrowsAsync<ActionRefusedException>(() => w.ServiceAs(SupervisorActor).PublishAsync(new IsoWeek(2026, 30), Ct));
    }

    [Fact]
    public async Task RecomputeNow_ASecondRequestWhileRunning_ReturnsTheRunningOne()
    {
        await using var w = await HandBuiltAsync();
        var coordinator = w.Coordinator();
        var done = new TaskCompletionSource<RecomputeStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        (RecomputeStatus Status, bool Started)? whileRunning = null;
        var progressSeen = 0;
        coordinator.Changed += s =>
        {
            if (s.State == RecomputeState.Running && whileRunning is null) whileRunning = coordinator.RequestAsync(AdminActor).GetAwaiter().GetResult();
            if (s.Progress is not null) Interlocked.Increment(ref progressSeen);
            if (s.State is RecomputeState.Succeeded or RecomputeState.Failed) done.TrySetResult(s);
        };
        var first = await coordinator.RequestAsync(SupervisorActor, Ct);
        Assert.True(first.Started);
        var final = await done.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.NotNull(whileRunning);
        Assert.False(whileRunning.Value.Started);
        Assert.Equal(first.Status.RunId, whileRunning.Value.Status.RunId);
        Assert.Equal(RecomputeState.Succeeded, final.State);
        Assert.Equal(4, final.Result!.Recomputed.Count);
        Assert.True(progressSeen > 0);
        await Refused.NotAllowedAsync(() => coordinator.RequestAsync(LeaderActor, Ct));
    }

    [Fact]
    public async Task RecomputeNow_WithHangfire_EnqueuesOneJobForTwoClicks()
    {
        await using var w = await HandBuiltAsync();
        using var storage = new InMemoryStorage();
        var services = new ServiceCollection()
            .AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(storage)).BuildServiceProvider();
        var coordinator = w.Coordinator(services);
        var first = await coordinator.RequestAsync(SupervisorActor, Ct);
        Assert.True(first.Started);
        Assert.False((await coordinator.RequestAsync(SupervisorActor, Ct)).Started);
        Assert.Equal(1, storage.GetMonitoringApi().EnqueuedCount("default"));

        // The job itself runs the recompute through the same coordinator.
        await new WeeklyStatisticsJob(coordinator, services.GetRequiredService<IServiceScopeFactory>()).RunAsync("督查甲", first.Status.RunId, Ct);
        Assert.Equal(RecomputeState.Succeeded, (await coordinator.CurrentAsync(Ct)).State);
        Assert.Equal(4, (await w.RowAsync(W46, null)).NewPetitions);
    }

    [Fact]
    public async Task FailedRun_IsRecordedAndRethrownForHangfireToRetry()
    {
        await using var w = await HandBuiltAsync();
        var coordinator = w.Coordinator();
        await using (var ctx = w.Db.CreateDbContext())
            await ctx.Database.ExecuteSqlRawAsync("DROP TABLE \"WeeklyUnitStatistics\"", Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => new WeeklyStatisticsJob(coordinator, new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>()).RunAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
        var failed = await coordinator.CurrentAsync(Ct);
        Assert.Equal(RecomputeState.Failed, failed.State);
        // Users read a plain explanation; the exception itself (table names, SQL) goes only to the log.
        Assert.Equal("系统内部错误，详情已写入日志；后台任务会自动重试", failed.Error);
        var retry = typeof(WeeklyStatisticsJob).GetMethod(nameof(WeeklyStatisticsJob.RunAsync))!
            .GetCustomAttributes(typeof(AutomaticRetryAttribute), false).Cast<AutomaticRetryAttribute>().Single();
        Assert.Equal(3, retry.Attempts);
    }

    [Fact]
    public void RecurringJob_MondayTwoAmShanghai()
    {
        using var storage = new InMemoryStorage();
        RecurringJobs.Schedule(new RecurringJobManager(storage));
        RecurringJobs.Schedule(new RecurringJobManager(storage));
        using var connection = storage.GetConnection();
        // Scheduling twice (a restart) leaves one weekly job.
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == WeeklyStatisticsJob.RecurringJobId);
        Assert.Equal(WeeklyStatisticsJob.RecurringJobId, job.Id);
        Assert.Equal("0 2 * * 1", job.Cron);
        Assert.Equal("Asia/Shanghai", job.TimeZoneId);
        // Monday 02:00 Shanghai is Sunday 18:00 UTC.
        var next = job.NextExecution!.Value;
        Assert.Equal((DayOfWeek.Sunday, 18, 0), (next.DayOfWeek, next.Hour, next.Minute));
    }
}
