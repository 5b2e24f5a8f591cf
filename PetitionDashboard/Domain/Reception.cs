using System.ComponentModel.DataAnnotations;

namespace PetitionDashboard.Domain;

/// <summary>Section "Reception": 领导接访 limits (docs/rules.md §11).</summary>
public sealed class ReceptionOptions
{
    public const string Section = "Reception";
    /// <summary>Bookings (walk-ins included) one reception half-day takes.</summary>
    [Range(1, 100)] public int Capacity { get; set; } = 10;
    /// <summary>交办 at a reception: the unit's deadline in calendar days from the reception date (§2 counting).</summary>
    [Range(1, 90)] public int DispatchDays { get; set; } = 15;
}

/// <summary>上午 / 下午.</summary>
public enum HalfDay { Morning = 1, Afternoon = 2 }

/// <summary>The Leader's decision at a reception (docs/rules.md §11).</summary>
public enum ReceptionDecision
{
    /// <summary>当场答复.</summary>
    AnsweredOnSpot = 1,
    /// <summary>交办 a unit with a deadline.</summary>
    Dispatched = 2,
    /// <summary>转为包案: a §3 包案 for the receiving Leader.</summary>
    Assigned = 3,
    /// <summary>不属于信访事项: no petition is registered.</summary>
    NotPetitionMatter = 4,
}

/// <summary>接访日: one half-day on which a Leader receives petitioners at a place.</summary>
public class ReceptionDay
{
    public int Id { get; set; }
    public DateOnly On { get; set; }
    public HalfDay HalfDay { get; set; }
    public required string Place { get; set; }
    public int LeaderId { get; set; }
    public Leader Leader { get; set; } = null!;
    /// <summary>Optional topic: categories or localities, as published ("城乡建设、住房保障与房地产").</summary>
    public string? Topic { get; set; }
    /// <summary>Bookings allowed, fixed at publication from Reception:Capacity.</summary>
    public int Capacity { get; set; }
    public DateTime PublishedAtUtc { get; set; }
    public required string PublishedBy { get; set; }
    public List<ReceptionBooking> Bookings { get; set; } = [];
}

/// <summary>
/// A petitioner booked (or come in on the day) into a reception day with a matter, and the reception record once the
/// Leader has received them: attended, what was asked, time spent, the decision.
/// </summary>
public class ReceptionBooking
{
    public int Id { get; set; }
    public int ReceptionDayId { get; set; }
    public ReceptionDay ReceptionDay { get; set; } = null!;
    public int PetitionerId { get; set; }
    public Petitioner Petitioner { get; set; } = null!;
    /// <summary>人数 received under this booking (the petitioner and those with him).</summary>
    public int PeopleCount { get; set; } = 1;
    /// <summary>The matter: an existing petition (or the latest of a thread); null while it is a new matter.</summary>
    public int? PetitionId { get; set; }
    /// <summary>A new matter, as the booking describes it (registered at the reception through the registration rules).</summary>
    public string? Locality { get; set; }
    public string? Category { get; set; }
    public string? Demand { get; set; }
    public int? UnitId { get; set; }
    /// <summary>当日来访: added on the reception day without a prior booking.</summary>
    public bool WalkIn { get; set; }
    public DateTime BookedAtUtc { get; set; }
    public required string BookedBy { get; set; }

    // The reception record (null until recorded).
    public bool? Attended { get; set; }
    public string? Asked { get; set; }
    public int? MinutesSpent { get; set; }
    public ReceptionDecision? Decision { get; set; }
    /// <summary>交办: the unit and its deadline.</summary>
    public int? DecisionUnitId { get; set; }
    public DateOnly? DecisionDueOn { get; set; }
    /// <summary>转为包案: the 包案 opened.</summary>
    public int? AssignmentId { get; set; }
    public string? RecordedBy { get; set; }
    public DateTime? RecordedAtUtc { get; set; }
    /// <summary>
    /// A record of this booking is being written since then (by one officer, on one node): recording registers the matter,
    /// opens its 交办 or 包案 and then saves the record, each in its own transaction, so a second officer recording the same
    /// booking meanwhile would register the matter twice. Cleared when the record is saved or fails; a claim older than
    /// <c>ReceptionService.StaleClaim</c> (a node that died mid-record) may be taken over.
    /// </summary>
    public DateTime? RecordingSinceUtc { get; set; }
}

/// <summary>下访: a Leader's visit to a locality, with the petitions handled on the spot.</summary>
public class LeaderVisit
{
    public int Id { get; set; }
    public int LeaderId { get; set; }
    public Leader Leader { get; set; } = null!;
    /// <summary>The county / district visited (a 问题属地 name).</summary>
    public required string Locality { get; set; }
    public DateOnly On { get; set; }
    public required string Record { get; set; }
    public DateTime RecordedAtUtc { get; set; }
    public required string RecordedBy { get; set; }
    public List<LeaderVisitPetition> Petitions { get; set; } = [];
}

public class LeaderVisitPetition
{
    public int VisitId { get; set; }
    public int PetitionId { get; set; }
}

/// <summary>The rules of §11 in one place.</summary>
public static class ReceptionRules
{
    public const int MaxPlaceLength = 100;
    public const int MaxTopicLength = 200;
    public const int MaxAskedLength = 1000;
    public const int MaxVisitRecordLength = 1000;

    /// <summary>Published at least the day before: a reception day must be after the publication date.</summary>
    public static string? PublishRefusal(DateOnly on, DateOnly today) =>
        on > today ? null : $"接访日期：须至少提前一天发布（今天 {today:yyyy-MM-dd}，最早可发布 {today.AddDays(1):yyyy-MM-dd} 的接访日）";

    /// <summary>A booking made before the day; a walk-in only on the day itself.</summary>
    public static string? BookingRefusal(DateOnly on, DateOnly today, bool walkIn) =>
        walkIn ? (on == today ? null : $"当日来访：只能在接访当日（{on:yyyy-MM-dd}）添加")
        : on > today ? null : $"预约：{on:yyyy-MM-dd} 的接访已开始或已结束，当日来访请用“当日来访”添加";

    public static string? CapacityRefusal(int booked, int capacity) =>
        booked < capacity ? null : $"接访人数已满：该场次可接待 {capacity} 批，已预约 {booked} 批";

    /// <summary>A 领导接访件 is 化解 in W when it was replied, or finished, on a date in W (the first of the two).</summary>
    public static DateOnly? ResolvedOn(DateOnly? repliedOn, DateOnly? finishedOn) =>
        repliedOn is { } r ? (finishedOn is { } f && f < r ? f : r) : finishedOn;

    public static string ToChinese(this HalfDay h) => h == HalfDay.Morning ? "上午" : "下午";

    public static string ToChinese(this ReceptionDecision d) => d switch
    {
        ReceptionDecision.AnsweredOnSpot => "当场答复",
        ReceptionDecision.Dispatched => "交办",
        ReceptionDecision.Assigned => "转为包案",
        ReceptionDecision.NotPetitionMatter => "不属于信访事项",
        _ => d.ToString(),
    };
}
