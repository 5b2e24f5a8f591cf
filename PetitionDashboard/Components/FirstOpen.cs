namespace PetitionDashboard.Components;

/// <summary>
/// What a page's prerender read, carried to its interactive render in the component's persisted state (.NET 10
/// <c>[PersistentState]</c>), so the circuit shows the same data without asking the database again and the prerendered
/// rows are not replaced by a loading state. <see cref="Key"/> says what was read (a filter, a case number); the data is
/// given once, to the first interactive load, and only if that load asks for the same key: every later load (another
/// filter, a page turn, a reload after an action) reads for itself.
/// </summary>
public sealed class FirstOpen<TKey, TData>(TKey key, TData data) where TData : class
{
    public TKey Key { get; } = key;

    public TData Data { get; } = data;

    // Not persisted (no public property): each side of the prerender/circuit handoff starts untaken.
    private bool _taken;

    /// <summary>The carried data for the first load that asks for <paramref name="key"/>; null for another key and for every later load.</summary>
    public TData? Take(TKey key)
    {
        if (_taken) return null;
        _taken = true;
        return EqualityComparer<TKey>.Default.Equals(Key, key) ? Data : null;
    }
}
