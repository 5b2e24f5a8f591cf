using System.Collections.Concurrent;

namespace PetitionDashboard.Infrastructure.ChangeFeed;

/// <summary>
/// Values computed once per node and kept until the database's change counter moves: every open reads the counter (one
/// single-row query) and gets the kept value when nothing was written since it was computed, so a viewer never sees
/// figures older than the last committed write and fifty leaders opening the same page at nine share one computation.
/// Misses of one key are computed one at a time: the viewers who arrive meanwhile wait for that computation instead of
/// starting their own. Only for what the counted tables (petitions, 包案) decide; a key must name everything else the
/// value depends on (the day, the filter, the page).
/// </summary>
public class ChangeCountedCache<TKey, TValue>(IChangeFeed feed, int maxEntries) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly ConcurrentDictionary<TKey, SemaphoreSlim> _gates = new();

    private sealed record Entry(long Version, TValue Value);

    /// <param name="knownVersion">The counter as a change notice gave it: every circuit of the node picks up the new value
    /// without reading the counter again, and a kept value at least that recent will do (a newer open may have kept one).</param>
    public async Task<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> compute, CancellationToken ct, long? knownVersion = null)
    {
        // Read before computing: a write landing during the computation moves the counter past this version, so the next
        // open computes again rather than keeping a value that might miss it.
        var version = knownVersion ?? await feed.RefreshAsync(ct);
        if (version < 0) return await compute(ct);   // the counter could not be read: nothing to compare a later open with
        var atLeast = knownVersion is not null;
        if (TryKept(key, version, atLeast, out var hit)) return hit;

        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (TryKept(key, version, atLeast, out var computed)) return computed;
            var value = await compute(ct);
            if (_entries.Count >= maxEntries && !_entries.ContainsKey(key))
            {
                // Beyond the bound the node starts over; a gate dropped while held only lets a second computation run.
                _entries.Clear();
                _gates.Clear();
            }
            // A newer value kept meanwhile (an open that read a later counter got the gate first) stays.
            if (!(_entries.TryGetValue(key, out var newer) && newer.Version > version)) _entries[key] = new Entry(version, value);
            return value;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool TryKept(TKey key, long version, bool atLeast, out TValue value)
    {
        if (_entries.TryGetValue(key, out var e) && (atLeast ? e.Version >= version : e.Version == version))
        {
            value = e.Value;
            return true;
        }
        value = default!;
        return false;
    }
}
