using Hangfire;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Statistics;

public enum RecomputeState { Idle, Queued, Running, Succeeded, Failed }

/// <summary>What the page shows about the current (or last) recompute.</summary>
public sealed record RecomputeStatus(
    long RunId, RecomputeState State, string RequestedBy, DateTime? RequestedAtUtc, RecomputeProgress? Progress,
    RecomputeResult? Result, string? Error, int Attempt)
{
    public static readonly RecomputeStatus Idle = new(0, RecomputeState.Idle, "", null, null, null, null, 0);

    public bool InProgress => State is RecomputeState.Queued or RecomputeState.Running;

    /// <summary>What a second click is told while this run holds the slot.</summary>
    public string AlreadyInProgressText =>
        $"已有一次重新计算正在进行（{RequestedBy} 于 {StatisticLinks.AsOfText(RequestedAtUtc ?? default)} 发起），请等待其完成";

    internal static RecomputeStatus Of(RecomputeRun run) => new(
        run.Id,
        run.State switch
        {
            RecomputeRunState.Queued => RecomputeState.Queued,
            RecomputeRunState.Running => RecomputeState.Running,
            RecomputeRunState.Completed => RecomputeState.Succeeded,
            _ => RecomputeState.Failed,
        },
        run.RequestedBy, run.RequestedAtUtc,
        run.State == RecomputeRunState.Running && run.Total > 0
            ? new RecomputeProgress(run.Done, run.Total, IsoWeek.TryParse(run.CurrentWeek, out var w) ? w : null)
            : null,
        run.State == RecomputeRunState.Completed
            ? new RecomputeResult(run.StartedAtUtc ?? run.RequestedAtUtc, Weeks(run.Weeks), Weeks(run.SkippedWeeks),
                TimeSpan.FromMilliseconds(run.ElapsedMilliseconds ?? 0))
            : null,
        run.Error, run.Attempt);

    private static IReadOnlyList<IsoWeek> Weeks(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => IsoWeek.TryParse(t, out var w) ? w : (IsoWeek?)null).OfType<IsoWeek>().ToList();

    internal static string Text(IEnumerable<IsoWeek> weeks) => string.Join(",", weeks);
}

/// <summary>
/// One recompute at a time per cluster. The status lives in <see cref="RecomputeRun"/> rows: a run holds the unique slot
/// while queued or running, so a second request on any node gets the running one back; the node running it writes a
/// heartbeat, and a heartbeat older than <see cref="StaleAfter"/> (the node died) frees the slot. Every node reads the
/// status with <see cref="CurrentAsync"/>; <see cref="Changed"/> only tells this node's pages early. The work runs through
/// Hangfire when it is configured (retried, visible on the jobs dashboard), else on the thread pool.
/// </summary>
public sealed class RecomputeCoordinator(
    StatisticsRecomputer recomputer, IDbContextFactory<AppDbContext> dbs, IServiceProvider services, TimeProvider clock,
    ILogger<RecomputeCoordinator> log)
{
    public const string ScheduledBy = "定时任务";

    /// <summary>How often the running node proves it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    /// <summary>A run whose heartbeat is older than this is taken as dead (its node was killed or lost the database).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public const string StaleError = "运行该任务的节点已中断（超过 2 分钟无心跳），已由下一次重新计算接替";
    public const string InternalError = "系统内部错误，详情已写入日志；后台任务会自动重试";

    public event Action<RecomputeStatus>? Changed;

    /// <summary>The newest run, as stored: the one read every page and node makes (a single-row primary-key lookup).</summary>
    public async Task<RecomputeStatus> CurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.RecomputeRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return run is null ? RecomputeStatus.Idle : RecomputeStatus.Of(run);
    }

    /// <summary>
    /// Queues a recompute, or returns the one in progress anywhere in the cluster (Started = false) without starting
    /// another. A singleton, so the caller hands over its scope's guard (the page's user, or the system user at start-up).
    /// </summary>
    public async Task<(RecomputeStatus Status, bool Started)> RequestAsync(AccessGuard guard, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRecomputeStatistics);
        // Shown as "… 发起" on every node: the person's name, not the login.
        var requestedBy = guard.ActorName;
        var now = Now;
        var run = await TryClaimAsync(new RecomputeRun
        {
            State = RecomputeRunState.Queued, RequestedBy = requestedBy, RequestedAtUtc = now, HeartbeatUtc = now,
        }, ct);
        if (run is null) return (await ActiveAsync(ct), false);

        var queued = RecomputeStatus.Of(run);
        Notify(queued);
        var jobs = services.GetService<IBackgroundJobClient>();
        if (jobs is not null)
            jobs.Enqueue<WeeklyStatisticsJob>(j => j.RunAsync(requestedBy, run.Id, CancellationToken.None));
        else
            _ = Task.Run(async () =>
            {
                try
                {
                    await using var system = SystemScope.Begin(services);
                    await ExecuteAsync(requestedBy, run.Id, CancellationToken.None);
                }
                catch (Exception e) { log.LogError(e, "统计重新计算失败"); }
            });
        return (queued, true);
    }

    /// <summary>
    /// Runs a recompute (called by the job). <paramref name="runId"/> is the queued run a click made; without it (the
    /// weekly schedule) a new run claims the slot. Returns null without running when another run holds the slot or this
    /// run was already taken over, so a job fired on two nodes at once writes one set of rows. A failure is recorded for
    /// the page and rethrown so that Hangfire retries it (the retry takes the same run back) and lists it as failed.
    /// </summary>
    public async Task<RecomputeResult?> ExecuteAsync(string requestedBy, long? runId, CancellationToken ct)
    {
        var now = Now;
        long id;
        int attempt;
        if (runId is { } queuedId)
        {
            if (!await TryStartQueuedAsync(queuedId, now, ct)) return null;
            id = queuedId;
            await using var db = await dbs.CreateDbContextAsync(ct);
            attempt = await db.RecomputeRuns.Where(r => r.Id == id).Select(r => r.Attempt).SingleAsync(ct);
        }
        else
        {
            // The weekly schedule: once per week it fires in, however many nodes fire it; a failed one is taken back by
            // Hangfire's retry.
            var occurrence = IsoWeek.Of(clock.Today()).ToString();
            long? failed;
            await using (var db = await dbs.CreateDbContextAsync(ct))
                failed = await db.RecomputeRuns.Where(r => r.Occurrence == occurrence && r.State == RecomputeRunState.Failed)
                    .Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
            if (failed is { } failedId && await TryStartQueuedAsync(failedId, now, ct))
            {
                id = failedId;
                await using var db = await dbs.CreateDbContextAsync(ct);
                attempt = await db.RecomputeRuns.Where(r => r.Id == id).Select(r => r.Attempt).SingleAsync(ct);
            }
            else if (failed is null && await TryClaimAsync(new RecomputeRun
                     {
                         State = RecomputeRunState.Running, RequestedBy = requestedBy, RequestedAtUtc = now, StartedAtUtc = now,
                         HeartbeatUtc = now, Attempt = 1, Occurrence = occurrence,
                     }, ct) is { } run)
            {
                (id, attempt) = (run.Id, 1);
            }
            else
            {
                log.LogInformation("本周（{Week}）的定时统计已运行或正在进行（可能在另一节点），本次不再重复计算", occurrence);
                return null;
            }
        }
        await NotifyAsync(ct);

        using var heartbeat = clock.CreateTimer(_ => _ = BeatAsync(id), null, HeartbeatInterval, HeartbeatInterval);
        try
        {
            var progress = new SynchronousProgress(p => WriteProgress(id, p));
            var result = await recomputer.RecomputeAsync(progress, ct);
            await CompleteAsync(id, requestedBy, result, ct);
            log.LogInformation("统计重新计算完成：{Weeks} 周，用时 {Elapsed}", result.Recomputed.Count, result.Elapsed);
            await NotifyAsync(CancellationToken.None);
            return result;
        }
        catch (Exception e)
        {
            var error = e is ActionRefusedException ? e.Message : InternalError;
            await FinishAsync(id, RecomputeRunState.Failed, error, CancellationToken.None);
            log.LogError(e, "统计重新计算失败（第 {Attempt} 次）", attempt);
            await NotifyAsync(CancellationToken.None);
            throw;
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Frees a slot whose node stopped beating, then inserts <paramref name="run"/> holding the slot; null if taken.</summary>
    private async Task<RecomputeRun?> TryClaimAsync(RecomputeRun run, CancellationToken ct)
    {
        await FreeStaleSlotAsync(ct);
        run.Slot = RecomputeRun.ActiveSlot;
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.RecomputeRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            // The unique slot (or this week's scheduled run) is held by a run of this or another node; anything else is a fault.
            if (await SlotTakenAsync(run.Occurrence, ct)) return null;
            throw;
        }
    }

    /// <summary>A queued run (or a failed one Hangfire retries) becomes running, if the slot is still, or again, its own.</summary>
    private async Task<bool> TryStartQueuedAsync(long id, DateTime now, CancellationToken ct)
    {
        await FreeStaleSlotAsync(ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        try
        {
            return await db.RecomputeRuns
                .Where(r => r.Id == id && (r.State == RecomputeRunState.Queued || r.State == RecomputeRunState.Failed))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.State, RecomputeRunState.Running)
                    .SetProperty(r => r.Slot, RecomputeRun.ActiveSlot)
                    .SetProperty(r => r.StartedAtUtc, now)
                    .SetProperty(r => r.HeartbeatUtc, now)
                    .SetProperty(r => r.FinishedAtUtc, (DateTime?)null)
                    .SetProperty(r => r.Error, (string?)null)
                    .SetProperty(r => r.Attempt, r => r.Attempt + 1), ct) == 1;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // A retry of a failed run while another run holds the slot: that run does the work.
            if (await SlotTakenAsync(null, ct)) return false;
            throw;
        }
    }

    /// <summary>Whether a unique-index violation was the slot (or the week's scheduled run) being taken, not another fault.</summary>
    private async Task<bool> SlotTakenAsync(string? occurrence, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.RecomputeRuns.AnyAsync(r => r.Slot == RecomputeRun.ActiveSlot || (occurrence != null && r.Occurrence == occurrence), ct);
    }

    private async Task FreeStaleSlotAsync(CancellationToken ct)
    {
        var now = Now;
        var cutoff = now - StaleAfter;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var freed = await db.RecomputeRuns.Where(r => r.Slot == RecomputeRun.ActiveSlot && r.HeartbeatUtc < cutoff)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Slot, (int?)null)
                .SetProperty(r => r.State, RecomputeRunState.Failed)
                .SetProperty(r => r.FinishedAtUtc, now)
                .SetProperty(r => r.Error, StaleError), ct);
        if (freed > 0) log.LogWarning("统计重新计算：一次运行超过 {StaleAfter} 无心跳，已释放", StaleAfter);
    }

    private async Task<RecomputeStatus> ActiveAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.RecomputeRuns.AsNoTracking().Where(r => r.Slot == RecomputeRun.ActiveSlot).FirstOrDefaultAsync(ct);
        // The slot was freed between the claim and this read: the newest run is what the user should see.
        return run is null ? await CurrentAsync(ct) : RecomputeStatus.Of(run);
    }

    private void WriteProgress(long id, RecomputeProgress p)
    {
        var now = Now;
        var week = p.Current?.ToString();
        using (var db = dbs.CreateDbContext())
        {
            db.RecomputeRuns.Where(r => r.Id == id).ExecuteUpdate(s => s
                .SetProperty(r => r.Done, p.Done)
                .SetProperty(r => r.Total, p.Total)
                .SetProperty(r => r.CurrentWeek, week)
                .SetProperty(r => r.HeartbeatUtc, now));
        }
        if (Changed is not null) Notify(RecomputeStatusForProgress(id, p));
    }

    private RecomputeStatus RecomputeStatusForProgress(long id, RecomputeProgress p)
    {
        using var db = dbs.CreateDbContext();
        var run = db.RecomputeRuns.AsNoTracking().Single(r => r.Id == id);
        return RecomputeStatus.Of(run) with { Progress = p };
    }

    private async Task BeatAsync(long id)
    {
        try
        {
            var now = Now;
            await using var db = await dbs.CreateDbContextAsync();
            await db.RecomputeRuns.Where(r => r.Id == id && r.State == RecomputeRunState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatUtc, now));
        }
        catch (Exception e) { log.LogWarning(e, "统计重新计算心跳写入失败"); }
    }

    /// <summary>The run's end and its audit entry in one transaction: the trail names each recompute exactly once.</summary>
    private async Task CompleteAsync(long id, string requestedBy, RecomputeResult result, CancellationToken ct)
    {
        var now = Now;
        var weeks = RecomputeStatus.Text(result.Recomputed);
        var skipped = RecomputeStatus.Text(result.SkippedPublished);
        var elapsed = (long)result.Elapsed.TotalMilliseconds;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.RecomputeRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, RecomputeRunState.Completed)
            .SetProperty(r => r.Slot, (int?)null)
            .SetProperty(r => r.FinishedAtUtc, now)
            .SetProperty(r => r.HeartbeatUtc, now)
            .SetProperty(r => r.Done, result.Recomputed.Count + result.SkippedPublished.Count)
            .SetProperty(r => r.CurrentWeek, (string?)null)
            .SetProperty(r => r.Weeks, weeks)
            .SetProperty(r => r.SkippedWeeks, skipped)
            .SetProperty(r => r.ElapsedMilliseconds, elapsed)
            .SetProperty(r => r.Error, (string?)null), ct);
        db.AuditEntries.Add(AuditEntry.Create(now, requestedBy, AuditActions.Recompute, nameof(WeeklyUnitStatistic), id.ToString(),
            detail: result.Recomputed.Count == 0 ? "重新计算周统计：没有需要重新计算的周" : $"重新计算周统计：{string.Join("、", result.Recomputed)}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task FinishAsync(long id, RecomputeRunState state, string error, CancellationToken ct)
    {
        var now = Now;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.RecomputeRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state)
            .SetProperty(r => r.Slot, (int?)null)
            .SetProperty(r => r.FinishedAtUtc, now)
            .SetProperty(r => r.Error, error), ct);
    }

    private async Task NotifyAsync(CancellationToken ct)
    {
        if (Changed is null) return;
        Notify(await CurrentAsync(ct));
    }

    private void Notify(RecomputeStatus status)
    {
        foreach (var handler in Changed?.GetInvocationList() ?? [])
        {
            try { ((Action<RecomputeStatus>)handler)(status); }
            catch (Exception e) { log.LogWarning(e, "统计进度通知失败"); }
        }
    }

    /// <summary>Reports on the worker's thread (Progress&lt;T&gt; would post to a captured context that a job lacks).</summary>
    private sealed class SynchronousProgress(Action<RecomputeProgress> report) : IProgress<RecomputeProgress>
    {
        public void Report(RecomputeProgress value) => report(value);
    }
}
