namespace PetitionDashboard.Infrastructure.Progress;

/// <summary>
/// Reports on the caller's thread. System.Progress posts to the SynchronizationContext captured at construction, which a
/// background export or import and a command line do not have; the pages marshal to their renderer themselves.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
