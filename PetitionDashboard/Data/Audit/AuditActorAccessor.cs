namespace PetitionDashboard.Data.Audit;

/// <summary>
/// Who is acting in the current async flow, for the audit interceptor (a singleton that cannot see scoped services).
/// Set per HTTP request and per circuit activity; nothing set means the system itself (jobs, start-up, command line).
/// </summary>
public sealed class AuditActorAccessor
{
    public const string SystemActor = "系统";

    private static readonly AsyncLocal<Func<string?>?> Current = new();

    public string Actor
    {
        get
        {
            var name = Current.Value?.Invoke();
            return string.IsNullOrWhiteSpace(name) ? SystemActor : name;
        }
    }

    public IDisposable Use(Func<string?> actor)
    {
        var previous = Current.Value;
        Current.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(Func<string?>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>
/// Turns the audit interceptor off for the current async flow: only for bulk loading of generated demo data
/// into an empty database, which is not a change anybody made.
/// </summary>
public static class AuditSuppression
{
    private static readonly AsyncLocal<bool> Suppressed = new();

    public static bool IsSuppressed => Suppressed.Value;

    public static IDisposable Begin()
    {
        var previous = Suppressed.Value;
        Suppressed.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Suppressed.Value = previous;
    }
}
