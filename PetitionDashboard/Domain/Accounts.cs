using Microsoft.AspNetCore.Identity;

namespace PetitionDashboard.Domain;

/// <summary>The four roles of docs/rules.md §10.</summary>
public static class Roles
{
    public const string Leader = "Leader";
    public const string Supervisor = "Supervisor";
    public const string DutyOfficer = "DutyOfficer";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Leader, Supervisor, DutyOfficer, Admin];

    public static string ToChinese(string role) => role switch
    {
        Leader => "局领导",
        Supervisor => "督查",
        DutyOfficer => "值班登记",
        Admin => "系统管理员",
        _ => role,
    };
}

/// <summary>A person who signs in. A Leader user is linked to the <see cref="Domain.Leader"/> record it stands for.</summary>
public class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public int? LeaderId { get; set; }
    public bool Disabled { get; set; }
}

/// <summary>One audit-trail row: who, when, what (docs/rules.md §10).</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    /// <summary>e.g. Update, SignIn, SignInFailed, Reveal, Export.</summary>
    public required string Action { get; set; }
    public string? Entity { get; set; }
    public string? EntityKey { get; set; }
    public string? Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    /// <summary>Case number when the row concerns a petition, for the audit page's case filter.</summary>
    public string? CaseNumber { get; set; }
    public string? Detail { get; set; }

    /// <summary>The one way to build a row: every free text is clipped to its column (<see cref="FieldLengths"/>).</summary>
    public static AuditEntry Create(
        DateTime atUtc, string actor, string action, string? entity = null, string? entityKey = null, string? caseNumber = null,
        string? field = null, string? oldValue = null, string? newValue = null, string? detail = null) => new()
    {
        AtUtc = atUtc,
        Actor = FieldLengths.Clip(actor, FieldLengths.Actor),
        Action = action,
        Entity = entity,
        EntityKey = FieldLengths.Clip(entityKey, FieldLengths.AuditKey),
        CaseNumber = FieldLengths.Clip(caseNumber, FieldLengths.CaseNumber),
        Field = field,
        OldValue = FieldLengths.Clip(oldValue, FieldLengths.AuditValue),
        NewValue = FieldLengths.Clip(newValue, FieldLengths.AuditValue),
        Detail = FieldLengths.Clip(detail, FieldLengths.AuditDetail),
    };
}
