using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Repeats;

/// <summary>One thread of the ranking as SQL ranked it: its petitions in the period and the latest of them.</summary>
public sealed record RankedThread(int ThreadId, int Times, DateOnly? Last);

/// <summary>One page of the ranking and the number of ranked threads, before the threads' details are read.</summary>
public sealed record RankedPage(IReadOnlyList<RankedThread> Rows, int Total);

/// <summary>
/// The ranking's pages kept per node until the database's change counter moves (<see cref="ChangeCountedCache{TKey,TValue}"/>):
/// every leader who opens /repeats at nine asks for the same first page of the same period, which took ≈ 60 ms of SQLite
/// at 1M. What is kept is only what the counted tables decide — which threads, how often, how recently (Petitions and,
/// through them, the threads' figures; every write of a petition moves the counter) — the threads' details (names, unit,
/// 包案) are read for each open. At most 64 filters × pages are kept (each at most a page of ids).
/// </summary>
public sealed class RepeatRankingCache(IChangeFeed feed)
    : ChangeCountedCache<(RepeatFilter Filter, int Page, int PageSize), RankedPage>(feed, maxEntries: 64)
{
    public Task<RankedPage> GetAsync(RepeatFilter filter, int page, int pageSize, Func<CancellationToken, Task<RankedPage>> read,
        CancellationToken ct) => GetAsync((filter, page, pageSize), read, ct);
}
