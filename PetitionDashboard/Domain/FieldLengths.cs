using System.Diagnostics.CodeAnalysis;

namespace PetitionDashboard.Domain;

/// <summary>
/// Lengths of the free-text columns that code fills from longer text (audit rows, history events). The entity
/// configuration declares the columns with these numbers, so a clipped text always fits.
/// </summary>
public static class FieldLengths
{
    /// <summary>Who did it: a display name or a system actor.</summary>
    public const int Actor = 100;
    public const int CaseNumber = 40;
    public const int AuditAction = 40;
    public const int AuditEntity = 60;
    public const int AuditKey = 60;
    public const int AuditField = 60;
    public const int AuditValue = 2000;
    public const int AuditDetail = 1000;
    public const int EventDetail = 500;
    public const int EventNote = 1000;

    // What people type into the 包案 forms: the page's counter, the service's check and the column agree.
    /// <summary>A person's name: 责任人, 稳控责任人, an account's 姓名.</summary>
    public const int PersonName = 50;
    public const int AssignmentPlan = 2000;
    public const int AssignmentProgress = 1000;
    public const int ResolutionResult = 1000;
    public const int ExtensionReason = 500;
    public const int DecisionNote = 500;

    // What registration and the ledger import accept for a petition.
    public const int PetitionDemand = 2000;
    /// <summary>All petitioners' names joined with 、.</summary>
    public const int PetitionerNames = 500;
    public const int PetitionerAddress = 200;
    public const int PetitionerPhone = 30;
    public const int UnitName = 100;
    public const int BatchName = 100;

    // What people paste into the other text boxes (search boxes, notes, lists): no column, but a bound so a paste
    // gets a message instead of a round trip of any size.
    public const int SearchText = 100;
    public const int Reason = 500;
    public const int CaseNumberList = 20_000;
    public const int LoginName = 50;

    /// <summary>
    /// The one wording of "too long", naming the field ("诉求摘要：不能超过2000字"), or null when the text fits. Forms show
    /// it under the box as the user types or pastes; services refuse with it.
    /// </summary>
    public static string? TooLong(string field, string? text, int max) =>
        text is not null && text.Trim().Length > max ? $"{field}：不能超过{max}字" : null;

    /// <summary>The text cut to <paramref name="max"/> characters, ending in "…" when something was cut.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
