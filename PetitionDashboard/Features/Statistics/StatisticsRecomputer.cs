using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

public sealed record RecomputeProgress(int Done, int Total, IsoWeek? Current);

public sealed record RecomputeResult(
    DateTime AsOfUtc, IReadOnlyList<IsoWeek> Recomputed, IReadOnlyList<IsoWeek> SkippedPublished, TimeSpan Elapsed);

/// <summary>
/// The work of the weekly job, callable from the job, the "recompute now" button and a command line alike.
/// Recomputes the last Statistics:RecomputeWeeks full weeks that are not published, and fills once any older week
/// (up to Statistics:HistoryWeeks back) that has never been computed. Each week is replaced in one transaction
/// (delete its unpublished rows, insert the new ones), so running it twice or after a crash leaves the same rows.
/// </summary>
public sealed class StatisticsRecomputer(
    IDbContextFactory<AppDbContext> dbs, WeeklyStatisticsCalculator calculator, IOptions<StatisticsOptions> options,
    TimeProvider clock)
{
    /// <summary>The last full week before today (Shanghai): the newest week the job computes.</summary>
    public IsoWeek LastFullWeek() => IsoWeek.Of(clock.Today()).Previous;

    public async Task<IReadOnlyList<IsoWeek>> WeeksToRecomputeAsync(CancellationToken ct = default)
    {
        var last = LastFullWeek();
        var recent = Enumerable.Range(0, Math.Max(options.Value.RecomputeWeeks, 0))
            .Select(i => IsoWeek.Of(last.Monday.AddDays(-7 * i))).ToList();
        var history = Enumerable.Range(0, Math.Max(options.Value.HistoryWeeks, 0))
            .Select(i => IsoWeek.Of(last.Monday.AddDays(-7 * i))).ToList();
        var oldest = history.Concat(recent).Min(w => w.Monday);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var stored = await db.WeeklyUnitStatistics.Where(s => s.UnitId == null && s.WeekMonday >= oldest)
            .Select(s => new { s.WeekMonday, s.Published }).ToListAsync(ct);
        var published = stored.Where(s => s.Published).Select(s => s.WeekMonday).ToHashSet();
        var computed = stored.Select(s => s.WeekMonday).ToHashSet();
        // Nothing before the first petition: an empty history is not worth 52 rows of zeros per unit.
        var firstReceived = await db.Petitions.MinAsync(p => (DateOnly?)p.ReceivedOn, ct);

        return recent.Where(w => !published.Contains(w.Monday))
            .Concat(history.Where(w => !computed.Contains(w.Monday) && firstReceived is { } f && w.Sunday >= f))
            .Distinct().OrderBy(w => w.Monday).ToList();
    }

    public async Task<RecomputeResult> RecomputeAsync(IProgress<RecomputeProgress>? progress = null, CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        var asOf = clock.GetUtcNow().UtcDateTime;
        var weeks = await WeeksToRecomputeAsync(ct);
        var done = new List<IsoWeek>();
        var skipped = new List<IsoWeek>();
        progress?.Report(new RecomputeProgress(0, weeks.Count, weeks.FirstOrDefault()));
        for (var i = 0; i < weeks.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new RecomputeProgress(i, weeks.Count, weeks[i]));
            if (await RecomputeWeekAsync(weeks[i], asOf, ct)) done.Add(weeks[i]);
            else skipped.Add(weeks[i]);
        }
        progress?.Report(new RecomputeProgress(weeks.Count, weeks.Count, null));
        return new RecomputeResult(asOf, done, skipped, clock.GetElapsedTime(started));
    }

    /// <summary>Replaces one week's rows; false (nothing written) when the week is published.</summary>
    public async Task<bool> RecomputeWeekAsync(IsoWeek week, DateTime asOfUtc, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var rows = await calculator.ComputeAsync(db, week, asOfUtc, ct);

        // The published check and the replacement share one transaction, so a publish can never be overwritten.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var monday = week.Monday;
        if (await db.WeeklyUnitStatistics.AnyAsync(s => s.WeekMonday == monday && s.Published, ct)) return false;
        await db.WeeklyUnitStatistics.Where(s => s.WeekMonday == monday && !s.Published).ExecuteDeleteAsync(ct);
        db.WeeklyUnitStatistics.AddRange(rows);
        await db.SaveChangesAsync(ct);
        // A publish that slipped in after the first check (READ COMMITTED on a server database) wins: undo this week.
        if (await db.WeeklyUnitStatistics.AnyAsync(s => s.WeekMonday == monday && s.Published, ct))
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        await tx.CommitAsync(ct);
        return true;
    }
}
