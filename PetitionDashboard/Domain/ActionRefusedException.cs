namespace PetitionDashboard.Domain;

/// <summary>Why an action was refused: pages show it the same way; endpoints answer 403 for <see cref="NotAllowed"/>.</summary>
public enum RefusalKind
{
    /// <summary>A rule of the domain or of the input (a field, a file, a state) stands in the way.</summary>
    RuleBroken,
    /// <summary>The current user's role does not allow the action (the one policy table).</summary>
    NotAllowed,
    /// <summary>Somebody else changed the data since the page read it; the page reloads before the user retries.</summary>
    ChangedMeanwhile,
}

/// <summary>
/// The one user-facing refusal: "refused, here is why". The message is zh-CN and shown as is; <see cref="Problems"/>
/// lists every problem when there are several (each naming its field, row or case number). Nothing was written.
/// Pages show it through <c>Refusals</c>, endpoints map it to 403/400, the command line to exit code 1.
/// </summary>
public sealed class ActionRefusedException(string message, IReadOnlyList<string>? problems = null, RefusalKind kind = RefusalKind.RuleBroken)
    : Exception(message)
{
    public IReadOnlyList<string> Problems { get; } = problems ?? [];

    public RefusalKind Kind { get; } = kind;

    public static ActionRefusedException NotAllowed(string message) => new(message, null, RefusalKind.NotAllowed);

    public static ActionRefusedException ChangedMeanwhile(string message) => new(message, null, RefusalKind.ChangedMeanwhile);

    /// <summary>Field-level problems (“包案领导：必选”); the message joins them.</summary>
    public static ActionRefusedException Invalid(IReadOnlyList<string> problems) => new(string.Join("；", problems), problems);
}
