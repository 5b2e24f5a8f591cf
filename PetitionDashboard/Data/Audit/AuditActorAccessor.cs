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
/// Turns the audit interceptor off for the current async flow (<see cref="Begin"/>): only for bulk loading of generated
/// demo data into an empty database and the re-encryption of personal data, which are not changes anybody made. An import
/// (<see cref="BeginImport"/>) turns off only the rows it adds itself, which its one summary entry stands for: every change
/// it makes to a row that already existed is still audited field by field.
/// </summary>
public static class AuditSuppression
{
    private enum Mode { None, All, ImportedRows }

    private static readonly AsyncLocal<Mode> Current = new();

    public static bool IsSuppressed => Current.Value == Mode.All;

    /// <summary>True inside <see cref="BeginImport"/>: new petitions, petitioners, their links and new threads go unaudited.</summary>
    public static bool ImportedRowsOnly => Current.Value == Mode.ImportedRows;

    public static IDisposable Begin() => Enter(Mode.All);

    public static IDisposable BeginImport() => Enter(Mode.ImportedRows);

    private static IDisposable Enter(Mode mode)
    {
        var previous = Current.Value;
        Current.Value = mode;
        return new Restore(previous);
    }

    private sealed class Restore(Mode previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
