using System.Collections.Concurrent;
using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Repeats;

/// <summary>One thread of the ranking as SQL ranked it: its petitions in the period and the latest of them.</summary>
public sealed record RankedThread(int ThreadId, int Times, DateOnly? Last);

/// <summary>One page of the ranking and the number of ranked threads, before the threads' details are read.</summary>
public sealed record RankedPage(IReadOnlyList<RankedThread> Rows, int Total);

/// <summary>
/// The ranking's pages kept per node until the database's change counter moves (the KPI cards' rule): every leader who
/// opens /repeats at nine asks for the same first page of the same period, which took ≈ 60 ms of SQLite at 1M. What is
/// kept is only what the counted tables decide — which threads, how often, how recently (Petitions and, through them,
/// the threads' figures; every write of a petition moves the counter) — the threads' details (names, unit, 包案) are read
/// for each open.
/// </summary>
public sealed class RepeatRankingCache(IChangeFeed feed)
{
    /// <summary>Filters × pages kept at once; beyond it the node starts over (each entry is at most a page of ids).</summary>
    private const int MaxEntries = 64;

    private readonly ConcurrentDictionary<(RepeatFilter Filter, int Page, int PageSize), Entry> _entries = new();

    private sealed record Entry(long Version, RankedPage Page);

    public async Task<RankedPage> GetAsync(RepeatFilter filter, int page, int pageSize, Func<CancellationToken, Task<RankedPage>> read,
        CancellationToken ct)
    {
        // Read before the ranking: a write landing meanwhile moves the counter past this version, so the next open reads again.
        var version = await feed.RefreshAsync(ct);
        var key = (filter, page, pageSize);
        if (version >= 0 && _entries.TryGetValue(key, out var kept) && kept.Version == version) return kept.Page;
        var fresh = await read(ct);
        if (version < 0) return fresh;   // the counter could not be read: nothing to compare a later open with
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = new Entry(version, fresh);
        return fresh;
    }
}
