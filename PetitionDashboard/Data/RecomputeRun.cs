namespace PetitionDashboard.Data;

public enum RecomputeRunState { Queued, Running, Completed, Failed }

/// <summary>
/// One recompute of the weekly statistics, kept in the database so every node shows the same status and progress.
/// <see cref="Slot"/> is <see cref="ActiveSlot"/> while the run is queued or running and null afterwards; a unique index
/// on it lets at most one run hold the slot in the whole cluster (two clicks on two nodes start one run).
/// </summary>
public class RecomputeRun
{
    /// <summary>The only value <see cref="Slot"/> takes while a run is in progress.</summary>
    public const int ActiveSlot = 1;

    public long Id { get; set; }
    public int? Slot { get; set; }

    /// <summary>
    /// For a scheduled run, the ISO week it fired in ("2026-W48"), unique: the weekly job fired by two nodes (each with its
    /// own job storage, or triggered twice) runs once that week. Null for a run someone asked for.
    /// </summary>
    public string? Occurrence { get; set; }
    public RecomputeRunState State { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }

    /// <summary>Written by the node running it every few seconds; a stale heartbeat means the node died and frees the slot.</summary>
    public DateTime HeartbeatUtc { get; set; }

    public int Attempt { get; set; }
    public int Done { get; set; }
    public int Total { get; set; }

    /// <summary>The week being computed now ("2026-W46").</summary>
    public string? CurrentWeek { get; set; }

    /// <summary>Weeks recomputed (comma-separated ISO weeks), filled when the run completes.</summary>
    public string? Weeks { get; set; }

    /// <summary>Weeks left alone because they are published.</summary>
    public string? SkippedWeeks { get; set; }

    public long? ElapsedMilliseconds { get; set; }

    /// <summary>What a user reads about a failure (zh-CN); the exception itself goes only to the log.</summary>
    public string? Error { get; set; }
}
