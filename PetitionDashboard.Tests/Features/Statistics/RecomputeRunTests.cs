using Hangfire;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// The recompute's status lives in RecomputeRuns, so two coordinators on one database behave as two nodes of a cluster:
/// one run at a time, a dead node's run given up after its heartbeat goes stale, the weekly job once per week.
/// </summary>
public class RecomputeRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<List<string>> SnapshotAsync(StatisticsWorld w) => RecomputeJobTests.SnapshotAsync(w);

    /// <summary>A node: its own coordinator with its own (in-memory) job queue, on the shared database.</summary>
    private static (RecomputeCoordinator Coordinator, InMemoryStorage Jobs) Node(StatisticsWorld w)
    {
        var storage = new InMemoryStorage();
        var services = new ServiceCollection().AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(storage)).BuildServiceProvider();
        return (w.Coordinator(services), storage);
    }

    [Fact]
    public async Task TwoClicksOnTwoNodes_StartOneRun_TheSecondIsToldByWhomSinceWhen()
    {
        await using var w = await HandBuiltAsync();
        var (a, jobsA) = Node(w);
        var (b, jobsB) = Node(w);
        using (jobsA) using (jobsB)
        {
            var both = await Task.WhenAll(a.RequestAsync(SupervisorActor, Ct), b.RequestAsync(AdminActor, Ct));

            var started = Assert.Single(both, r => r.Started);
            var refused = Assert.Single(both, r => !r.Started);
            Assert.Equal(started.Status.RunId, refused.Status.RunId);
            Assert.Equal(RecomputeState.Queued, refused.Status.State);
            Assert.Equal(1, jobsA.GetMonitoringApi().EnqueuedCount("default") + jobsB.GetMonitoringApi().EnqueuedCount("default"));
            // The clock is Tuesday 2026-11-17 09:00 Shanghai.
            Assert.Equal($"已有一次重新计算正在进行（{started.Status.RequestedBy} 于 2026-11-17 09:00 发起），请等待其完成",
                refused.Status.AlreadyInProgressText);

            // Both nodes read the same status from the database.
            Assert.Equal(started.Status.RunId, (await b.CurrentAsync(Ct)).RunId);
            Assert.True((await a.CurrentAsync(Ct)).InProgress);
        }
    }

    [Fact]
    public async Task StartedOnA_ShowsRunningThenCompletedOnB()
    {
        await using var w = await HandBuiltAsync();
        var (a, jobsA) = Node(w);
        var (b, jobsB) = Node(w);
        using (jobsA) using (jobsB)
        {
            var request = await a.RequestAsync(SupervisorActor, Ct);
            Assert.Equal((RecomputeState.Queued, "督查甲"), ((await b.CurrentAsync(Ct)).State, (await b.CurrentAsync(Ct)).RequestedBy));

            var seenOnB = new List<RecomputeStatus>();
            a.Changed += s =>
            {
                if (s.State == RecomputeState.Running) seenOnB.Add(b.CurrentAsync().GetAwaiter().GetResult());
            };
            await a.ExecuteAsync("督查甲", request.Status.RunId, Ct);

            Assert.Contains(seenOnB, s => s.State == RecomputeState.Running && s.RunId == request.Status.RunId);
            Assert.Contains(seenOnB, s => s.Progress is { Total: 4 });
            var done = await b.CurrentAsync(Ct);
            Assert.Equal(RecomputeState.Succeeded, done.State);
            Assert.Equal(["2026-W43", "2026-W44", "2026-W45", "2026-W46"], done.Result!.Recomputed.Select(x => x.ToString()));
            // The slot is free again: the next click starts a new run.
            Assert.True((await b.RequestAsync(AdminActor, Ct)).Started);
        }
    }

    [Fact]
    public async Task StaleHeartbeat_FreesTheSlot_ForTheNextRequest()
    {
        await using var w = await HandBuiltAsync();
        var (a, jobsA) = Node(w);
        var (b, jobsB) = Node(w);
        using (jobsA) using (jobsB)
        {
            var first = await a.RequestAsync(SupervisorActor, Ct);
            w.Clock.Now = w.Clock.Now.AddMinutes(1);
            Assert.False((await b.RequestAsync(AdminActor, Ct)).Started);   // one minute without a heartbeat: still alive

            w.Clock.Now = w.Clock.Now.AddMinutes(2);                        // three minutes: node A is taken as dead
            var second = await b.RequestAsync(AdminActor, Ct);
            Assert.True(second.Started);
            await using var ctx = w.Db.CreateDbContext();
            var dead = await ctx.RecomputeRuns.AsNoTracking().SingleAsync(r => r.Id == first.Status.RunId, Ct);
            Assert.Equal((RecomputeRunState.Failed, (int?)null, RecomputeCoordinator.StaleError), (dead.State, dead.Slot, dead.Error));

            // A's job, should it run late after all, finds its run given up and writes nothing.
            Assert.Null(await a.ExecuteAsync("督查甲", first.Status.RunId, Ct));
            Assert.Empty(await SnapshotAsync(w));
        }
    }

    [Fact]
    public async Task KilledMidRecompute_TheNextRunConvergesToTheRowsOfACleanRun()
    {
        await using var clean = await HandBuiltAsync();
        await clean.Recomputer.RecomputeAsync(null, Ct);
        var expected = await SnapshotAsync(clean);

        await using var w = await HandBuiltAsync();
        var now = w.Clock.GetUtcNow().UtcDateTime;
        // Node A was recomputing: its run holds the slot, W43 and W44 are written, and W45 was half written when the
        // process was killed (its transaction never committed).
        await using (var ctx = w.Db.CreateDbContext())
        {
            ctx.RecomputeRuns.Add(new RecomputeRun
            {
                Slot = RecomputeRun.ActiveSlot, State = RecomputeRunState.Running, RequestedBy = "督查甲", RequestedAtUtc = now,
                StartedAtUtc = now, HeartbeatUtc = now, Attempt = 1, Done = 2, Total = 4, CurrentWeek = "2026-W45",
            });
            await ctx.SaveChangesAsync(Ct);
        }
        Assert.True(await w.Recomputer.RecomputeWeekAsync(new IsoWeek(2026, 43), now, Ct));
        Assert.True(await w.Recomputer.RecomputeWeekAsync(new IsoWeek(2026, 44), now, Ct));
        await using (var killed = w.Db.CreateDbContext())
        {
            var tx = await killed.Database.BeginTransactionAsync(Ct);
            killed.WeeklyUnitStatistics.Add(new WeeklyUnitStatistic { WeekYear = 2026, WeekNumber = 45, WeekMonday = W45.Monday, UnitId = w.A, NewPetitions = 99, AsOfUtc = now });
            await killed.SaveChangesAsync(Ct);
            // Killed: the connection goes away without a commit.
        }
        Assert.DoesNotContain(await SnapshotAsync(w), r => r.StartsWith("2026-W45", StringComparison.Ordinal));

        var (b, jobsB) = Node(w);
        using (jobsB)
        {
            Assert.False((await b.RequestAsync(AdminActor, Ct)).Started);   // A's heartbeat is fresh
            w.Clock.Now = w.Clock.Now.AddMinutes(3);
            var next = await b.RequestAsync(AdminActor, Ct);
            Assert.True(next.Started);
            await b.ExecuteAsync("管理员", next.Status.RunId, Ct);
        }

        Assert.Equal(expected, await SnapshotAsync(w));
        Assert.Equal(RecomputeState.Succeeded, (await b.CurrentAsync(Ct)).State);
    }

    [Fact]
    public async Task WeeklyJobFiredOnTwoNodesAtOnce_WritesOneSetOfRowsAndOneAuditEntry()
    {
        await using var w = await HandBuiltAsync();
        var (a, jobsA) = Node(w);
        var (b, jobsB) = Node(w);
        using (jobsA) using (jobsB)
        {
            var results = await Task.WhenAll(
                a.ExecuteAsync(RecomputeCoordinator.ScheduledBy, null, Ct), b.ExecuteAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
            Assert.Single(results, r => r is not null);
            // Fired again later the same week (a node that was down catching up): nothing more.
            Assert.Null(await a.ExecuteAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
        }

        var rows = await SnapshotAsync(w);
        Assert.Equal(16, rows.Count);                                   // W43 … W46 × (3 units + all)
        Assert.Equal(rows.Count, rows.Distinct().Count());
        await using var ctx = w.Db.CreateDbContext();
        var audit = Assert.Single(await ctx.AuditEntries.AsNoTracking().Where(e => e.Action == "Recompute").ToListAsync(Ct));
        Assert.Equal((RecomputeCoordinator.ScheduledBy, "重新计算周统计：2026-W43、2026-W44、2026-W45、2026-W46"), (audit.Actor, audit.Detail));
        Assert.Equal(1, await ctx.RecomputeRuns.CountAsync(Ct));
    }

    [Fact]
    public async Task FailedWeeklyRun_IsTakenBackByTheRetry()
    {
        await using var w = await HandBuiltAsync();
        var (a, jobsA) = Node(w);
        using (jobsA)
        {
            await using (var ctx = w.Db.CreateDbContext())
                await ctx.Database.ExecuteSqlRawAsync("ALTER TABLE \"WeeklyUnitStatistics\" RENAME TO \"Moved\"", Ct);
            await Assert.ThrowsAnyAsync<Exception>(() => a.ExecuteAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
            Assert.Equal(RecomputeState.Failed, (await a.CurrentAsync(Ct)).State);

            await using (var ctx = w.Db.CreateDbContext())
                await ctx.Database.ExecuteSqlRawAsync("ALTER TABLE \"Moved\" RENAME TO \"WeeklyUnitStatistics\"", Ct);
            Assert.NotNull(await a.ExecuteAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
            var done = await a.CurrentAsync(Ct);
            Assert.Equal((RecomputeState.Succeeded, 2), (done.State, done.Attempt));
            Assert.Equal(16, (await SnapshotAsync(w)).Count);
        }
    }
}

public sealed class RecomputeRunPostgresTests : RecomputeRunTests, IRunsOnPostgres;
