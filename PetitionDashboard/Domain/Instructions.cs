using System.ComponentModel.DataAnnotations;

namespace PetitionDashboard.Domain;

/// <summary>Section "Instruction": the default response limit of a 领导批示 (docs/rules.md §12).</summary>
public sealed class InstructionOptions
{
    public const string Section = "Instruction";
    /// <summary>Working days from the day after the 批示 is written (§2 counting).</summary>
    [Range(1, 60)] public int ResponseWorkingDays { get; set; } = 10;
}

/// <summary>领导批示: a Leader's instruction on a petition or on its whole thread, to one or more units (docs/rules.md §12).</summary>
public class LeaderInstruction
{
    public int Id { get; set; }
    /// <summary>The petition it was written on (for a thread 批示: the case it was written from).</summary>
    public int PetitionId { get; set; }
    /// <summary>Set when the 批示 concerns the whole thread, not only <see cref="PetitionId"/>.</summary>
    public int? ThreadId { get; set; }
    public int LeaderId { get; set; }
    public Leader Leader { get; set; } = null!;
    public required string Text { get; set; }
    public DateOnly WrittenOn { get; set; }
    public DateTime WrittenAtUtc { get; set; }
    public required string WrittenBy { get; set; }
    /// <summary>反馈 deadline of every unit.</summary>
    public DateOnly DueOn { get; set; }
    /// <summary>重要.</summary>
    public bool Important { get; set; }
    public List<InstructionUnit> Units { get; set; } = [];
}

/// <summary>One responsible unit of a 批示, and its 反馈 once recorded.</summary>
public class InstructionUnit
{
    public int Id { get; set; }
    public int InstructionId { get; set; }
    public int UnitId { get; set; }
    public Unit Unit { get; set; } = null!;
    public DateOnly? RespondedOn { get; set; }
    public string? ResponseText { get; set; }
    /// <summary>The name of the document the unit sent (the file itself stays in the paper/OA archive).</summary>
    public string? AttachmentName { get; set; }
    public string? RecordedBy { get; set; }
    public DateTime? RecordedAtUtc { get; set; }
}

/// <summary>Where a 批示 stands on a given day.</summary>
public enum InstructionStatus { Waiting = 1, Done = 2, OverdueUnanswered = 3 }

/// <summary>The rules of §12 in one place: deadline, 逾期反馈, done, 超期未反馈.</summary>
public static class InstructionRules
{
    public const int MaxTextLength = 500;
    public const int MaxResponseLength = 1000;
    public const int MaxAttachmentNameLength = 200;

    /// <summary>The default deadline: <paramref name="workingDays"/> working days counted from the day after <paramref name="writtenOn"/>.</summary>
    public static DateOnly DefaultDue(WorkingCalendar calendar, DateOnly writtenOn, int workingDays) =>
        calendar.AddWorkingDays(writtenOn, workingDays);

    /// <summary>逾期反馈: a response recorded after the deadline day.</summary>
    public static bool IsLate(DateOnly due, DateOnly respondedOn) => respondedOn > due;

    /// <summary>超期未反馈 from the day after the deadline while a unit has not responded; done when all have.</summary>
    public static InstructionStatus Status(DateOnly due, DateOnly today, int units, int responded) =>
        responded >= units ? InstructionStatus.Done
        : today > due ? InstructionStatus.OverdueUnanswered
        : InstructionStatus.Waiting;

    public static string ToChinese(this InstructionStatus status) => status switch
    {
        InstructionStatus.Waiting => "待反馈",
        InstructionStatus.Done => "已办结",
        InstructionStatus.OverdueUnanswered => "超期未反馈",
        _ => status.ToString(),
    };
}

/// <summary>
/// The case-timeline texts of a 批示 and of a unit's 反馈, in one place: the events the app stores, the demo data's, and
/// the entries the other cases of a thread show for a thread 批示 all read alike.
/// </summary>
public static class InstructionTimeline
{
    public static string WrittenDetail(bool important, bool onThread, IEnumerable<string> units, DateOnly due) =>
        FieldLengths.Clip($"{(important ? "【重要】" : "")}{(onThread ? "（整个事项链）" : "")}批示单位：{string.Join("、", units)}；反馈期限 {due:yyyy-MM-dd}", FieldLengths.EventDetail)!;

    public static string ResponseDetail(string unit, bool late, string? attachment) =>
        FieldLengths.Clip($"{unit} 反馈{(late ? "（逾期反馈）" : "")}{(attachment is null ? "" : $"，附件：{attachment}")}", FieldLengths.EventDetail)!;

    /// <summary>What a case of the thread adds to those texts when the 批示 was written on another case of its thread.</summary>
    public static string FromThreadCase(string detail, string writtenOnCase) =>
        FieldLengths.Clip($"{detail}（事项链批示，写于 {writtenOnCase}）", FieldLengths.EventDetail)!;
}
