namespace PetitionDashboard.Domain;

/// <summary>集中交办 batch: many 包案 handed down at once; its threads are backlog threads (docs/rules.md §1).</summary>
public class AssignmentBatch
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Business date (Shanghai) of the hand-down.</summary>
    public DateOnly CreatedOn { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public required string CreatedBy { get; set; }
}

public enum ExtensionRequestStatus { Pending = 1, Approved = 2, Rejected = 3 }

/// <summary>A leader's request to extend a 包案 deadline (at most <c>AssignmentMaxExtensionDays</c> in total), and its decision.</summary>
public class AssignmentExtensionRequest
{
    public int Id { get; set; }
    public int AssignmentId { get; set; }
    public int Days { get; set; }
    public required string Reason { get; set; }
    public required string RequestedBy { get; set; }
    public DateOnly RequestedOn { get; set; }
    public ExtensionRequestStatus Status { get; set; } = ExtensionRequestStatus.Pending;
    public string? DecidedBy { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? DecisionNote { get; set; }
}

public static class AssignmentText
{
    public static string ToChinese(this ExtensionRequestStatus status) => status switch
    {
        ExtensionRequestStatus.Pending => "待审批",
        ExtensionRequestStatus.Approved => "已批准",
        ExtensionRequestStatus.Rejected => "未批准",
        _ => status.ToString(),
    };
}
