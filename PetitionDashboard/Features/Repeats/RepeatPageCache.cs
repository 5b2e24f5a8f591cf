using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Repeats;

/// <summary>A row of a /repeats tab as SQL decided it: a thread, whose details are read for each open.</summary>
public interface IRepeatThreadRow
{
    int ThreadId { get; }
}

/// <summary>One thread of the ranking as SQL ranked it: its petitions in the period and the latest of them.</summary>
public sealed record RankedThread(int ThreadId, int Times, DateOnly? Last) : IRepeatThreadRow;

/// <summary>One 初转重 thread as SQL found it: the day its first repeat was received.</summary>
public sealed record FirstRepeat(int ThreadId, DateOnly Second) : IRepeatThreadRow;

/// <summary>One page of a /repeats tab and the number of its rows, before the threads' details are read.</summary>
public sealed record KeptRepeatPage<TRow>(IReadOnlyList<TRow> Rows, int Total);

/// <summary>
/// A /repeats tab's pages kept per node until the database's change counter moves (<see cref="ChangeCountedCache{TKey,TValue}"/>):
/// every leader who opens /repeats at nine asks for the same first page of the same period — the ranking took ≈ 60 ms of
/// SQLite at 1M, 初转重 ≈ 180 ms. What is kept is only what the counted tables decide — which threads, how often, how
/// recently (Petitions and, through them, the threads' figures; every write of a petition moves the counter) — the
/// threads' details (names, unit, 包案) are read for each open. At most 64 filters × pages per tab are kept (each at most
/// a page of ids).
/// </summary>
public sealed class RepeatPageCache<TRow>(IChangeFeed feed)
    : ChangeCountedCache<(RepeatFilter Filter, int Page, int PageSize), KeptRepeatPage<TRow>>(feed, maxEntries: 64)
{
    public Task<KeptRepeatPage<TRow>> GetAsync(RepeatFilter filter, int page, int pageSize,
        Func<CancellationToken, Task<KeptRepeatPage<TRow>>> read, CancellationToken ct) => GetAsync((filter, page, pageSize), read, ct);
}
