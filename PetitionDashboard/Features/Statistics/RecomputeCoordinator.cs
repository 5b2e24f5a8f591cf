using Hangfire;
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
}

/// <summary>
/// One recompute at a time per application: a second request while one is queued or running gets the running one back.
/// Progress is published through <see cref="Changed"/> (the page subscribes after its first render and unsubscribes on
/// dispose, as eShop's OrderStatusNotificationService). The work runs through Hangfire when it is configured (so it is
/// retried and visible on the jobs dashboard), else on the thread pool.
/// </summary>
public sealed class RecomputeCoordinator(
    StatisticsRecomputer recomputer, IServiceProvider services, TimeProvider clock, ILogger<RecomputeCoordinator> log)
{
    public const string ScheduledBy = "定时任务";

    private readonly Lock _gate = new();
    private RecomputeStatus _status = RecomputeStatus.Idle;
    private long _nextRunId;

    public event Action<RecomputeStatus>? Changed;

    public RecomputeStatus Current
    {
        get { lock (_gate) return _status; }
    }

    /// <summary>
    /// Starts a recompute, or returns the one in progress (Started = false) without starting another. A singleton, so the
    /// caller hands over its scope's guard (the page's user, or the system user at start-up).
    /// </summary>
    public (RecomputeStatus Status, bool Started) Request(AccessGuard guard)
    {
        guard.Ensure(Policies.CanRecomputeStatistics);
        // Shown as "… 发起" on the statistics page: the person's name, not the login.
        var requestedBy = guard.ActorName;
        RecomputeStatus queued;
        lock (_gate)
        {
            if (_status.InProgress) return (_status, false);
            queued = _status = new RecomputeStatus(++_nextRunId, RecomputeState.Queued, requestedBy, clock.GetUtcNow().UtcDateTime,
                null, null, null, 0);
        }
        Notify(queued);
        var jobs = services.GetService<IBackgroundJobClient>();
        if (jobs is not null)
            jobs.Enqueue<WeeklyStatisticsJob>(j => j.RunAsync(requestedBy, CancellationToken.None));
        else
            _ = Task.Run(async () =>
            {
                try
                {
                    await using var system = SystemScope.Begin(services);
                    await ExecuteAsync(requestedBy, CancellationToken.None);
                }
                catch (Exception e) { log.LogError(e, "统计重新计算失败"); }
            });
        return (queued, true);
    }

    /// <summary>
    /// Runs the recompute (called by the job). If another run is already executing, returns without running a second
    /// one. A failure is recorded for the page and rethrown so that Hangfire retries it and lists it as failed.
    /// </summary>
    public async Task<RecomputeResult?> ExecuteAsync(string requestedBy, CancellationToken ct)
    {
        RecomputeStatus running;
        lock (_gate)
        {
            if (_status.State == RecomputeState.Running) return null;
            running = _status = _status.State == RecomputeState.Queued
                ? _status with { State = RecomputeState.Running, Attempt = _status.Attempt + 1 }
                : new RecomputeStatus(++_nextRunId, RecomputeState.Running, requestedBy, clock.GetUtcNow().UtcDateTime,
                    null, null, null, _status.State == RecomputeState.Failed && _status.RequestedBy == requestedBy ? _status.Attempt + 1 : 1);
        }
        Notify(running);
        try
        {
            var progress = new SynchronousProgress(p => Update(s => s with { Progress = p }));
            var result = await recomputer.RecomputeAsync(progress, ct);
            Update(s => s with { State = RecomputeState.Succeeded, Result = result, Error = null });
            log.LogInformation("统计重新计算完成：{Weeks} 周，用时 {Elapsed}", result.Recomputed.Count, result.Elapsed);
            return result;
        }
        catch (Exception e)
        {
            Update(s => s with { State = RecomputeState.Failed, Error = e is ActionRefusedException ? e.Message : "系统内部错误，详情已写入日志；后台任务会自动重试" });
            log.LogError(e, "统计重新计算失败（第 {Attempt} 次）", running.Attempt);
            throw;
        }
    }

    private void Update(Func<RecomputeStatus, RecomputeStatus> change)
    {
        RecomputeStatus next;
        lock (_gate) next = _status = change(_status);
        Notify(next);
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
