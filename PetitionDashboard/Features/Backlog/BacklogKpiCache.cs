using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The KPI cards and aging buckets, computed once per node for all viewers and kept until the data change (the change
/// counter moved) or the day turns. Each open costs one single-row read of the counter, so a viewer never sees figures
/// older than the last committed write, and fifty leaders opening the page share one computation.
/// </summary>
public sealed class BacklogKpiCache(IChangeFeed feed)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _entry;

    private sealed record Entry(long Version, DateOnly Today, BacklogKpis Kpis);

    /// <param name="knownVersion">The counter as a change notice gave it: every circuit of the node picks up the new
    /// figures without reading the counter again.</param>
    public async Task<BacklogKpis> GetAsync(DateOnly today, Func<CancellationToken, Task<BacklogKpis>> compute, CancellationToken ct,
        long? knownVersion = null)
    {
        var version = knownVersion ?? await feed.RefreshAsync(ct);
        if (Current(version, today, knownVersion is not null) is { } hit) return hit;
        // One computation at a time: the viewers who arrive meanwhile wait for it instead of starting their own.
        await _gate.WaitAsync(ct);
        try
        {
            if (Current(version, today, knownVersion is not null) is { } computed) return computed;
            // Read before computing: a write landing during the computation moves the counter past this version, so
            // the next open recomputes rather than keeping figures that might miss it.
            var kpis = await compute(ct);
            _entry = new Entry(version, today, kpis);
            return kpis;
        }
        finally
        {
            _gate.Release();
        }
    }

    // A notice's version may already be overtaken by a newer open: figures at least that recent will do.
    private BacklogKpis? Current(long version, DateOnly today, bool atLeast) =>
        _entry is { } e && version >= 0 && e.Today == today && (atLeast ? e.Version >= version : e.Version == version) ? e.Kpis : null;
}
