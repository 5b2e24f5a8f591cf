using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StatisticsBench;

/// <summary>
/// Times every database command the app runs, by the tag the calculator puts on it (TagWith), from execute to reader
/// disposal: wall time and this process's CPU (the recompute runs on one thread and SQLite runs in-process, so the
/// process's CPU over the command is the query's CPU).
/// </summary>
public sealed class CommandTimer : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<DbCommand, (long Ticks, TimeSpan Cpu)> started = new();
    public ConcurrentDictionary<string, (int Count, TimeSpan Wall, TimeSpan Cpu)> ByTag { get; } = new();

    public static TimeSpan Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    public void Reset() => ByTag.Clear();

    private void Start(DbCommand c) => started[c] = (Stopwatch.GetTimestamp(), Cpu());

    private void Stop(DbCommand c)
    {
        if (!started.TryRemove(c, out var s)) return;
        var wall = Stopwatch.GetElapsedTime(s.Ticks);
        var cpu = Cpu() - s.Cpu;
        var tag = Tag(c.CommandText);
        ByTag.AddOrUpdate(tag, (1, wall, cpu), (_, o) => (o.Count + 1, o.Wall + wall, o.Cpu + cpu));
    }

    private static string Tag(string sql)
    {
        var first = sql.TrimStart().Split('\n', 2)[0].Trim();
        if (first.StartsWith("-- ")) return first[3..];
        return "other: " + (first.Length > 40 ? first[..40] : first);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }
}
