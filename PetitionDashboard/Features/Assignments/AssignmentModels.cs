using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Assignments;

/// <summary>What the duty officer fills in; the same plan applies to every case of a 集中交办 batch.</summary>
public sealed class AssignmentPlan
{
    public int? LeaderId { get; set; }
    /// <summary>牵头单位; in a batch, empty means "each case's own responsible unit".</summary>
    public int? LeadUnitId { get; set; }
    public IReadOnlyCollection<int> CoUnitIds { get; set; } = [];
    public string? ResponsiblePerson { get; set; }
    public string? StabilityPerson { get; set; }
    public string? Plan { get; set; }
}

/// <summary>One leader with the load the assign dialog and the workload page show.</summary>
public sealed record LeaderWorkload(
    int LeaderId, string Name, string Title, int Active, int Relapsed, int Overdue, int Resolved, int Total, double? AverageDaysToResolve)
{
    /// <summary>包案化解率: resolved ÷ all 包案 of the leader; null (shown as —) without any.</summary>
    public double? ResolutionRate => Total == 0 ? null : (double)Resolved / Total;

    public string Label => $"{Name}（{Title}）";
}

public sealed record UnitOption(int Id, string Name, UnitKind Kind);

/// <summary>Why a case number cannot be assigned; null when it can.</summary>
public sealed record CaseCheckLine(string CaseNumber, string? Problem, int? ThreadId, int? UnitId, string? Summary, string? HeldBy)
{
    public bool Ok => Problem is null;
}

/// <summary>The result of checking a list of case numbers before anything is written.</summary>
public sealed record CaseCheck(IReadOnlyList<CaseCheckLine> Lines, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<CaseCheckLine> Problems => [.. Lines.Where(l => !l.Ok)];

    /// <summary>The problems as a refusal lists them: “信访编号：why”.</summary>
    public IReadOnlyList<string> ProblemTexts => [.. Problems.Select(p => $"{p.CaseNumber}：{p.Problem}")];

    public bool AllOk => Lines.Count > 0 && Lines.All(l => l.Ok);
}

/// <summary>What the assign dialog needs to open: the checked cases, the leaders with their load, the units, the default deadline.</summary>
public sealed record AssignPreparation(
    CaseCheck Check, IReadOnlyList<LeaderWorkload> Leaders, IReadOnlyList<UnitOption> Units, Deadline Deadline, DateOnly Today);

public sealed record AssignOutcome(IReadOnlyList<int> AssignmentIds, int? BatchId, string Message);


/// <summary>One row of a leader's list (我的包案) or of a click-through from the workload page.</summary>
public sealed record AssignmentRow(
    int Id, int Version, string CaseNumber, string PetitionerNames, string Locality, string Category, string Demand,
    string LeadUnit, string ResponsiblePerson, DateOnly AssignedOn, DateOnly DueOn, int ExtensionDays,
    AssignmentStatus Status, DateOnly? ResolvedOn, DeadlineStatus DeadlineStatus, int DaysLeft,
    string? LastProgress, DateOnly? LastProgressOn, bool ExtensionPending, string? BatchName)
{
    /// <summary>反弹 first, then overdue, due soon, normal, then the resolved ones.</summary>
    public int Urgency => Status switch
    {
        AssignmentStatus.Relapsed => 0,
        AssignmentStatus.Active => DeadlineStatus switch { DeadlineStatus.Overdue => 1, DeadlineStatus.DueSoon => 2, _ => 3 },
        _ => 4,
    };
}

public sealed record ProgressLine(DateOnly On, string Action, string Actor);

public sealed record ExtensionLine(
    int Id, int Days, string Reason, string RequestedBy, DateOnly RequestedOn, ExtensionRequestStatus Status,
    string? DecidedBy, DateOnly? DecidedOn, string? DecisionNote);

public sealed record HistoryLine(DateTime AtUtc, DateOnly On, string Actor, string? Detail, string? Note, string CaseNumber);

/// <summary>A 包案 with everything the leader's page shows: plan, deadline explained, progress, extensions, history.</summary>
public sealed record AssignmentDetail(
    AssignmentRow Row, int LeaderId, string LeaderName, string LeaderTitle, string? CoUnits, string? StabilityPerson, string Plan,
    string? ResolutionResult, Deadline Deadline, IReadOnlyList<ProgressLine> Progress, IReadOnlyList<ExtensionLine> Extensions,
    IReadOnlyList<HistoryLine> History, int ExtensionDaysLeft);

/// <summary>The 包案 of a case's thread, for the case page.</summary>
public sealed record CaseAssignmentView(
    int Id, string LeaderName, string LeaderTitle, string LeadUnit, string ResponsiblePerson, DateOnly AssignedOn, DateOnly DueOn,
    AssignmentStatus Status, DeadlineStatus DeadlineStatus, string? LastProgress, DateOnly? LastProgressOn);

public sealed record BatchRow(int Id, string Name, DateOnly CreatedOn, string CreatedBy, int Cases, int Resolved, int Open);

public sealed record PendingExtensionRow(
    int RequestId, int AssignmentId, string CaseNumber, string LeaderName, string LeaderTitle, DateOnly DueOn, int AlreadyExtended,
    int Days, string Reason, string RequestedBy, DateOnly RequestedOn);
