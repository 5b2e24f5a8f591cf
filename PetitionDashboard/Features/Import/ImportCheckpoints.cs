namespace PetitionDashboard.Features.Import;

/// <summary>
/// What an import leaves to do after its result: on SQLite the WAL checkpoint of what it committed (issue 12 goal 8: ≈ 0.25 s
/// of a warm 50,000-row upload was the commit's automatic checkpoint copying ≈ 90 MB into the database file before the page
/// could show the result). One at a time, in order, on a thread of the pool; a failure is logged and forgotten — the next
/// commit's automatic checkpoint does what this one could not. The <c>import</c> command waits for it before its process
/// ends (<see cref="WhenDoneAsync"/>), so an imported file never stays behind in its WAL.
/// </summary>
public sealed class ImportCheckpoints(ILogger<ImportCheckpoints> log)
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> after what was handed over before it, off the caller's thread.</summary>
    public void Run(Func<Task> work)
    {
        lock (_gate)
        {
            var before = _last;
            _last = Task.Run(async () =>
            {
                await before; // never faults: see below
                try
                {
                    await work();
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "导入后的 WAL 检查点未完成，留给下一次提交");
                }
            });
        }
    }

    /// <summary>Completes when everything handed over so far is done.</summary>
    public Task WhenDoneAsync()
    {
        lock (_gate) return _last;
    }
}
