namespace PetitionDashboard.Domain;

/// <summary>信访形式.</summary>
public enum PetitionForm { Letter = 1, Visit = 2, Online = 3, Phone = 4, Fax = 5, LeaderMailbox = 6 }

/// <summary>信访目的.</summary>
public enum PetitionPurpose { Request = 1, Appeal = 2, Accusation = 3, Suggestion = 4, Other = 5 }

/// <summary>The lifecycle states of docs/rules.md §4.</summary>
public enum PetitionState
{
    Registered = 1, Dispatched = 2, Accepted = 3, InHandling = 4, Replied = 5, UnderReview = 6, Reviewed = 7,
    UnderRecheck = 8, Closed = 9, Terminated = 10, NotAccepted = 11, NotReaccepted = 12, Filed = 13, RoutedToLegal = 14,
}

/// <summary>
/// A reply carries a result (docs/rules.md §4): the app's reply form requires one of the first three. A ledger reply
/// without one is imported as <see cref="Unspecified"/> (未注明), so the gap is visible rather than silently empty.
/// </summary>
public enum ReplyResult { Supported = 1, Explained = 2, NotSupported = 3, Unspecified = 4 }

public enum Evaluation { Satisfied = 1, BasicallySatisfied = 2, Dissatisfied = 3 }

/// <summary>督办 levels of §5, ordered so that a higher value is a stronger level.</summary>
public enum SupervisionLevel { None = 0, Urge = 1, Supervise = 2, Listed = 3 }

public enum DeadlineStatus { Normal = 1, DueSoon = 2, Overdue = 3, OnTime = 4, Late = 5 }

public enum UnitKind { County = 1, CityDepartment = 2, Township = 3 }

public enum LimitKind { CalendarDays = 1, WorkingDays = 2 }

public enum AssignmentStatus { Active = 1, Resolved = 2, Relapsed = 3 }

public enum PetitionEventKind
{
    Transition = 1, Extension = 2, Evaluation = 3, SupervisionChanged = 4, DeadlineRecomputed = 5,
    RepeatLinked = 6, RepeatUnlinked = 7, AssignmentChanged = 8, Reminder = 9,
    /// <summary>A 延期 asked for by a duty officer, waiting for a Supervisor (docs/rules.md §3).</summary>
    ExtensionRequested = 10,
    ExtensionRefused = 11,
    /// <summary>外部编号 (the national 信访件编号) set or changed.</summary>
    ExternalNumberChanged = 12,
    /// <summary>A 领导批示 written on the petition (or its thread, from this case), docs/rules.md §12.</summary>
    Instruction = 13,
    /// <summary>A unit's 反馈 to a 批示.</summary>
    InstructionResponse = 14,
    /// <summary>Received or handled at a Leader's reception (领导接访, docs/rules.md §11).</summary>
    LeaderReception = 15,
}

/// <summary>The one place where domain words get their zh-CN names.</summary>
public static class DomainText
{
    public static string ToChinese(this PetitionForm form) => form switch
    {
        PetitionForm.Letter => "来信",
        PetitionForm.Visit => "来访",
        PetitionForm.Online => "网上信访",
        PetitionForm.Phone => "电话",
        PetitionForm.Fax => "传真",
        PetitionForm.LeaderMailbox => "领导信箱",
        _ => form.ToString(),
    };

    public static string ToChinese(this PetitionPurpose purpose) => purpose switch
    {
        PetitionPurpose.Request => "求决",
        PetitionPurpose.Appeal => "申诉",
        PetitionPurpose.Accusation => "揭发控告",
        PetitionPurpose.Suggestion => "意见建议",
        PetitionPurpose.Other => "其他",
        _ => purpose.ToString(),
    };

    public static string ToChinese(this PetitionState state) => state switch
    {
        PetitionState.Registered => "登记",
        PetitionState.Dispatched => "转送/交办",
        PetitionState.Accepted => "受理",
        PetitionState.InHandling => "办理中",
        PetitionState.Replied => "已答复",
        PetitionState.UnderReview => "复查中",
        PetitionState.Reviewed => "已复查",
        PetitionState.UnderRecheck => "复核中",
        PetitionState.Closed => "办结",
        PetitionState.Terminated => "终结",
        PetitionState.NotAccepted => "不予受理",
        PetitionState.NotReaccepted => "不再受理",
        PetitionState.Filed => "存档备查",
        PetitionState.RoutedToLegal => "导入法定途径",
        _ => state.ToString(),
    };

    public static string ToChinese(this ReplyResult result) => result switch
    {
        ReplyResult.Supported => "支持",
        ReplyResult.Explained => "解释说明",
        ReplyResult.NotSupported => "不予支持",
        ReplyResult.Unspecified => "未注明",
        _ => result.ToString(),
    };

    public static string ToChinese(this Evaluation evaluation) => evaluation switch
    {
        Evaluation.Satisfied => "满意",
        Evaluation.BasicallySatisfied => "基本满意",
        Evaluation.Dissatisfied => "不满意",
        _ => evaluation.ToString(),
    };

    public static string ToChinese(this SupervisionLevel level) => level switch
    {
        SupervisionLevel.None => "无",
        SupervisionLevel.Urge => "催办",
        SupervisionLevel.Supervise => "督办",
        SupervisionLevel.Listed => "挂牌督办",
        _ => level.ToString(),
    };

    public static string ToChinese(this DeadlineStatus status) => status switch
    {
        DeadlineStatus.Normal => "正常",
        DeadlineStatus.DueSoon => "临期",
        DeadlineStatus.Overdue => "超期",
        DeadlineStatus.OnTime => "按期",
        DeadlineStatus.Late => "逾期",
        _ => status.ToString(),
    };

    public static string ToChinese(this UnitKind kind) => kind switch
    {
        UnitKind.County => "县区",
        UnitKind.CityDepartment => "市直部门",
        UnitKind.Township => "乡镇街道",
        _ => kind.ToString(),
    };

    public static string ToChinese(this LimitKind kind) => kind switch
    {
        LimitKind.CalendarDays => "日",
        LimitKind.WorkingDays => "个工作日",
        _ => kind.ToString(),
    };

    public static string ToChinese(this AssignmentStatus status) => status switch
    {
        AssignmentStatus.Active => "在办",
        AssignmentStatus.Resolved => "已化解",
        AssignmentStatus.Relapsed => "反弹",
        _ => status.ToString(),
    };

    public static string ToChinese(this PetitionEventKind kind) => kind switch
    {
        PetitionEventKind.Transition => "状态变更",
        PetitionEventKind.Extension => "延期",
        PetitionEventKind.Evaluation => "评价",
        PetitionEventKind.SupervisionChanged => "督办等级",
        PetitionEventKind.DeadlineRecomputed => "期限重算",
        PetitionEventKind.RepeatLinked => "关联重复件",
        PetitionEventKind.RepeatUnlinked => "解除重复关联",
        PetitionEventKind.AssignmentChanged => "领导包案",
        PetitionEventKind.Reminder => "催办提醒",
        PetitionEventKind.ExtensionRequested => "延期申请",
        PetitionEventKind.ExtensionRefused => "延期未批准",
        PetitionEventKind.ExternalNumberChanged => "外部编号",
        PetitionEventKind.Instruction => "领导批示",
        PetitionEventKind.LeaderReception => "领导接访",
        PetitionEventKind.InstructionResponse => "批示反馈",
        _ => kind.ToString(),
    };

    /// <summary>The 一级 content categories of docs/rules.md §7 (seeded into the editable code table).</summary>
    public static readonly IReadOnlyList<string> Categories =
    [
        "农村农业", "自然资源", "城乡建设", "住房保障与房地产", "劳动和社会保障", "卫生健康", "教育", "文体旅游", "民政与应急",
        "政法", "经济管理", "市场监管", "交通运输", "商贸", "科技与信息产业", "生态环境", "党务政务", "组织人事", "纪检监察",
        "军队事务", "其他",
    ];
}
