namespace PetitionDashboard.Infrastructure.Excel;

/// <summary>
/// The first rows of a stream read ahead (to size columns before the sheet is laid out), then the whole stream —
/// the head and the rest — enumerated exactly once.
/// </summary>
public sealed class ReadAhead<T> : IAsyncDisposable
{
    private readonly IAsyncEnumerator<T> _rest;
    private readonly bool _more;
    private bool _started;

    private ReadAhead(IReadOnlyList<T> head, IAsyncEnumerator<T> rest, bool more)
    {
        Head = head;
        _rest = rest;
        _more = more;
    }

    public IReadOnlyList<T> Head { get; }

    internal static async Task<ReadAhead<T>> StartAsync(IAsyncEnumerable<T> source, int count, CancellationToken ct)
    {
        var e = source.GetAsyncEnumerator(ct);
        var head = new List<T>();
        var more = true;
        while (head.Count < count && (more = await e.MoveNextAsync())) head.Add(e.Current);
        return new ReadAhead<T>(head, e, more && head.Count == count);
    }

    public async IAsyncEnumerable<T> All([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        if (_started) throw new InvalidOperationException("ReadAhead 只能枚举一次");
        _started = true;
        foreach (var item in Head) yield return item;
        if (!_more) yield break;
        while (await _rest.MoveNextAsync())
        {
            ct.ThrowIfCancellationRequested();
            yield return _rest.Current;
        }
    }

    public ValueTask DisposeAsync() => _rest.DisposeAsync();
}

public static class ReadAhead
{
    public static Task<ReadAhead<T>> StartAsync<T>(IAsyncEnumerable<T> source, int count, CancellationToken ct) =>
        ReadAhead<T>.StartAsync(source, count, ct);
}
