using Microsoft.AspNetCore.Identity;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Audit;

/// <summary>The action names stored in <see cref="AuditEntry.Action"/>; their Chinese names are in <see cref="AuditVocabulary"/>.</summary>
public static class AuditActions
{
    public const string Create = "Create";
    public const string Update = "Update";
    public const string Delete = "Delete";
    public const string SignIn = "SignIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string SignOut = "SignOut";
    public const string PasswordChanged = "PasswordChanged";
    public const string Reveal = "Reveal";
    public const string Export = "Export";
    public const string Import = "Import";
    public const string Publish = "Publish";
    /// <summary>A statistics recompute run completed (one entry per run, whichever node ran it).</summary>
    public const string Recompute = "Recompute";
    /// <summary>A session ended by the server: idle, lifetime, password or role change, disabled, too many sessions.</summary>
    public const string SessionEnded = "SessionEnded";
    /// <summary>A sign-in attempt refused by the rate limit (per address or per user name).</summary>
    public const string SignInThrottled = "SignInThrottled";
    /// <summary>Personal data re-encrypted and re-hashed under the current key (`rotate-keys`).</summary>
    public const string RotateKeys = "RotateKeys";

    /// <summary>Every action any code writes: the audit page's 操作 filter offers exactly these.</summary>
    public static readonly IReadOnlyList<string> All =
        [Create, Update, Delete, SignIn, SignInFailed, LockedOut, SignOut, PasswordChanged, SessionEnded, SignInThrottled, Reveal, Export,
         Import, Publish, Recompute, RotateKeys];
}

/// <summary>
/// The one translation table of the audit trail: the Chinese name of every action, audited entity and field. The trail
/// stores the code names (stable for filters and old rows); every reader goes through here.
/// </summary>
public static class AuditVocabulary
{
    /// <summary>Entity names stored for rows that are not an EF entity of their own.</summary>
    public const string UserRoleEntity = "UserRole";
    public const string LedgerEntity = "Ledger";

    private static readonly Dictionary<string, string> Actions = new()
    {
        [AuditActions.Create] = "新增", [AuditActions.Update] = "修改", [AuditActions.Delete] = "删除",
        [AuditActions.SignIn] = "登录", [AuditActions.SignInFailed] = "登录失败", [AuditActions.LockedOut] = "账户锁定",
        [AuditActions.SignOut] = "退出登录", [AuditActions.PasswordChanged] = "修改密码", [AuditActions.Reveal] = "查看完整个人信息",
        [AuditActions.Export] = "导出", [AuditActions.Import] = "导入", [AuditActions.Publish] = "发布",
        [AuditActions.Recompute] = "重新计算", [AuditActions.SessionEnded] = "会话结束", [AuditActions.SignInThrottled] = "登录限流",
        [AuditActions.RotateKeys] = "个人信息重新加密",
    };

    private static readonly Dictionary<string, string> Entities = new()
    {
        [nameof(Petition)] = "信访件", [nameof(Petitioner)] = "信访人", [nameof(PetitionPetitioner)] = "信访人关联",
        [nameof(PetitionThread)] = "信访事项链", [nameof(RepeatDecision)] = "非重复件认定", [nameof(LeaderAssignment)] = "领导包案",
        [nameof(AssignmentProgress)] = "包案进展", [nameof(AssignmentBatch)] = "集中交办批次",
        [nameof(AssignmentExtensionRequest)] = "包案延期申请", [nameof(AppUser)] = "用户", [UserRoleEntity] = "用户角色",
        [nameof(WeeklyUnitStatistic)] = "周统计", [LedgerEntity] = "信访台账",
        [nameof(LeaderInstruction)] = "领导批示", [nameof(InstructionUnit)] = "批示反馈", [nameof(GeneratedDocument)] = "通报/督办单生成",
        [nameof(SupervisionNotice)] = "督办单", [nameof(LedgerProfile)] = "台账列对应方案",
        [nameof(ReceptionDay)] = "领导接访日", [nameof(ReceptionBooking)] = "接访预约与记录", [nameof(LeaderVisit)] = "领导下访",
        [nameof(LeaderVisitPetition)] = "下访处理信访件",
    };

    /// <summary>Field names per entity (the same property name can mean different things: a batch's Name is not a person's).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Fields = new()
    {
        [nameof(Petition)] = new()
        {
            [nameof(Petition.Id)] = "编号", [nameof(Petition.CaseNumber)] = "信访编号", [nameof(Petition.ExternalNumber)] = "外部编号",
            [nameof(Petition.Form)] = "信访形式", [nameof(Petition.Purpose)] = "信访目的", [nameof(Petition.PeopleCount)] = "人数",
            [nameof(Petition.Locality)] = "问题属地", [nameof(Petition.Category)] = "内容分类", [nameof(Petition.Demand)] = "诉求摘要",
            [nameof(Petition.UnitId)] = "责任单位", [nameof(Petition.PetitionerNames)] = "信访人", [nameof(Petition.ReceivedOn)] = "登记日期",
            [nameof(Petition.RegisteredAtUtc)] = "录入时间", [nameof(Petition.DispatchedOn)] = "转送/交办日期",
            [nameof(Petition.FirstDecisionOn)] = "首次处理日期", [nameof(Petition.AcceptedOn)] = "受理日期",
            [nameof(Petition.SimpleProcedure)] = "简易办理", [nameof(Petition.ExtensionDays)] = "延期天数",
            [nameof(Petition.ExtensionReason)] = "延期理由", [nameof(Petition.ExtensionApprover)] = "延期批准人",
            [nameof(Petition.PendingExtensionDays)] = "待批延期天数", [nameof(Petition.PendingExtensionReason)] = "待批延期理由",
            [nameof(Petition.PendingExtensionRequestedBy)] = "延期申请人", [nameof(Petition.PendingExtensionRequestedOn)] = "延期申请日期",
            [nameof(Petition.RepliedOn)] = "答复日期", [nameof(Petition.ReplyResult)] = "答复结果", [nameof(Petition.Evaluation)] = "评价",
            [nameof(Petition.EvaluatedOn)] = "评价日期", [nameof(Petition.ReviewAcceptedOn)] = "复查受理日期",
            [nameof(Petition.ReviewDecidedOn)] = "复查意见日期", [nameof(Petition.RecheckAcceptedOn)] = "复核受理日期",
            [nameof(Petition.FinishedOn)] = "办结日期", [nameof(Petition.State)] = "状态", [nameof(Petition.CurrentDueDate)] = "当前期限",
            [nameof(Petition.Supervision)] = "督办级别", [nameof(Petition.SupervisionRaisedByHand)] = "人工提级",
            [nameof(Petition.RemindersSent)] = "催办次数", [nameof(Petition.ThreadId)] = "信访事项链", [nameof(Petition.IsRepeat)] = "重件",
            [nameof(Petition.ThreadChangedOn)] = "信访事项链变更日期", [nameof(Petition.UnitChangedOn)] = "责任单位变更日期",
            [nameof(Petition.Version)] = "版本",
            [nameof(Petition.LeaderReceptionOn)] = "领导接访日期",
        },
        [nameof(Petitioner)] = new()
        {
            [nameof(Petitioner.Id)] = "编号", [nameof(Petitioner.Name)] = "姓名", [nameof(Petitioner.IdNumber)] = "身份证号",
            [nameof(Petitioner.Phone)] = "联系电话", [nameof(Petitioner.Address)] = "地址", [nameof(Petitioner.IdentityKey)] = "身份识别键",
            [nameof(Petitioner.IdentitySource)] = "身份识别来源（加密）", [nameof(Petitioner.IdentityTail)] = "身份识别键尾段（检索用）",
        },
        [nameof(PetitionPetitioner)] = new()
        {
            [nameof(PetitionPetitioner.PetitionId)] = "信访件", [nameof(PetitionPetitioner.PetitionerId)] = "信访人",
        },
        [nameof(PetitionThread)] = new()
        {
            [nameof(PetitionThread.Id)] = "编号", [nameof(PetitionThread.FirstPetitionId)] = "初件", [nameof(PetitionThread.PetitionCount)] = "件数",
            [nameof(PetitionThread.FirstReceivedOn)] = "首次登记日期", [nameof(PetitionThread.LastReceivedOn)] = "最近登记日期",
            [nameof(PetitionThread.BacklogBatchId)] = "交办批次",
        },
        [nameof(RepeatDecision)] = new()
        {
            [nameof(RepeatDecision.Id)] = "编号", [nameof(RepeatDecision.PetitionId)] = "信访件", [nameof(RepeatDecision.ThreadId)] = "信访事项链",
            [nameof(RepeatDecision.AtUtc)] = "认定时间", [nameof(RepeatDecision.Actor)] = "认定人", [nameof(RepeatDecision.Reason)] = "理由",
        },
        [nameof(LeaderAssignment)] = new()
        {
            [nameof(LeaderAssignment.Id)] = "编号", [nameof(LeaderAssignment.ThreadId)] = "信访事项链", [nameof(LeaderAssignment.LeaderId)] = "包案领导",
            [nameof(LeaderAssignment.LeadUnitId)] = "牵头单位", [nameof(LeaderAssignment.CoUnits)] = "协办单位",
            [nameof(LeaderAssignment.ResponsiblePerson)] = "责任人", [nameof(LeaderAssignment.StabilityPerson)] = "稳控责任人",
            [nameof(LeaderAssignment.Plan)] = "化解方案", [nameof(LeaderAssignment.AssignedOn)] = "包案日期", [nameof(LeaderAssignment.DueOn)] = "包案期限",
            [nameof(LeaderAssignment.ExtensionDays)] = "延期天数", [nameof(LeaderAssignment.Status)] = "包案状态",
            [nameof(LeaderAssignment.ResolvedOn)] = "化解日期", [nameof(LeaderAssignment.RelapsedOn)] = "反弹日期",
            [nameof(LeaderAssignment.ResolutionResult)] = "化解结果", [nameof(LeaderAssignment.BatchId)] = "集中交办批次",
            [nameof(LeaderAssignment.Version)] = "版本",
        },
        [nameof(AssignmentProgress)] = new()
        {
            [nameof(AssignmentProgress.Id)] = "编号", [nameof(AssignmentProgress.AssignmentId)] = "领导包案", [nameof(AssignmentProgress.On)] = "日期",
            [nameof(AssignmentProgress.Action)] = "进展", [nameof(AssignmentProgress.Actor)] = "记录人",
        },
        [nameof(AssignmentBatch)] = new()
        {
            [nameof(AssignmentBatch.Id)] = "编号", [nameof(AssignmentBatch.Name)] = "批次名称", [nameof(AssignmentBatch.CreatedOn)] = "交办日期",
            [nameof(AssignmentBatch.CreatedAtUtc)] = "创建时间", [nameof(AssignmentBatch.CreatedBy)] = "创建人",
        },
        [nameof(AssignmentExtensionRequest)] = new()
        {
            [nameof(AssignmentExtensionRequest.Id)] = "编号", [nameof(AssignmentExtensionRequest.AssignmentId)] = "领导包案",
            [nameof(AssignmentExtensionRequest.Days)] = "延期天数", [nameof(AssignmentExtensionRequest.Reason)] = "延期理由",
            [nameof(AssignmentExtensionRequest.RequestedBy)] = "申请人", [nameof(AssignmentExtensionRequest.RequestedOn)] = "申请日期",
            [nameof(AssignmentExtensionRequest.Status)] = "审批状态", [nameof(AssignmentExtensionRequest.DecidedBy)] = "审批人",
            [nameof(AssignmentExtensionRequest.DecidedOn)] = "审批日期", [nameof(AssignmentExtensionRequest.DecisionNote)] = "审批意见",
        },
        [nameof(LeaderInstruction)] = new()
        {
            [nameof(LeaderInstruction.Id)] = "编号", [nameof(LeaderInstruction.PetitionId)] = "信访件", [nameof(LeaderInstruction.ThreadId)] = "信访事项链",
            [nameof(LeaderInstruction.LeaderId)] = "批示领导", [nameof(LeaderInstruction.Text)] = "批示内容", [nameof(LeaderInstruction.WrittenOn)] = "批示日期",
            [nameof(LeaderInstruction.WrittenAtUtc)] = "录入时间", [nameof(LeaderInstruction.WrittenBy)] = "录入人",
            [nameof(LeaderInstruction.DueOn)] = "反馈期限", [nameof(LeaderInstruction.Important)] = "重要",
        },
        [nameof(InstructionUnit)] = new()
        {
            [nameof(InstructionUnit.Id)] = "编号", [nameof(InstructionUnit.InstructionId)] = "领导批示", [nameof(InstructionUnit.UnitId)] = "责任单位",
            [nameof(InstructionUnit.RespondedOn)] = "反馈日期", [nameof(InstructionUnit.ResponseText)] = "反馈内容",
            [nameof(InstructionUnit.AttachmentName)] = "附件名称", [nameof(InstructionUnit.RecordedBy)] = "记录人",
            [nameof(InstructionUnit.RecordedAtUtc)] = "记录时间",
        },
        [nameof(GeneratedDocument)] = new()
        {
            [nameof(GeneratedDocument.Id)] = "编号", [nameof(GeneratedDocument.Kind)] = "类别", [nameof(GeneratedDocument.WeekMonday)] = "周",
            [nameof(GeneratedDocument.GeneratedAtUtc)] = "生成时间", [nameof(GeneratedDocument.GeneratedBy)] = "生成人",
            [nameof(GeneratedDocument.FileId)] = "文件", [nameof(GeneratedDocument.UnitCount)] = "单位数",
            [nameof(GeneratedDocument.RemindersAdded)] = "新增催办",
        },
        [nameof(ReceptionDay)] = new()
        {
            [nameof(ReceptionDay.Id)] = "编号", [nameof(ReceptionDay.On)] = "接访日期", [nameof(ReceptionDay.HalfDay)] = "时段",
            [nameof(ReceptionDay.Place)] = "接访地点", [nameof(ReceptionDay.LeaderId)] = "接访领导", [nameof(ReceptionDay.Topic)] = "接访主题",
            [nameof(ReceptionDay.Capacity)] = "可接待批数", [nameof(ReceptionDay.PublishedAtUtc)] = "发布时间", [nameof(ReceptionDay.PublishedBy)] = "发布人",
        },
        [nameof(ReceptionBooking)] = new()
        {
            [nameof(ReceptionBooking.Id)] = "编号", [nameof(ReceptionBooking.ReceptionDayId)] = "接访日", [nameof(ReceptionBooking.PetitionerId)] = "信访人",
            [nameof(ReceptionBooking.PeopleCount)] = "人数", [nameof(ReceptionBooking.PetitionId)] = "信访件", [nameof(ReceptionBooking.Locality)] = "问题属地",
            [nameof(ReceptionBooking.Category)] = "内容分类", [nameof(ReceptionBooking.Demand)] = "诉求摘要", [nameof(ReceptionBooking.UnitId)] = "责任单位",
            [nameof(ReceptionBooking.WalkIn)] = "当日来访", [nameof(ReceptionBooking.BookedAtUtc)] = "预约时间", [nameof(ReceptionBooking.BookedBy)] = "预约人",
            [nameof(ReceptionBooking.Attended)] = "到场", [nameof(ReceptionBooking.Asked)] = "反映问题", [nameof(ReceptionBooking.MinutesSpent)] = "接谈时长（分钟）",
            [nameof(ReceptionBooking.Decision)] = "领导处理意见", [nameof(ReceptionBooking.DecisionUnitId)] = "交办单位",
            [nameof(ReceptionBooking.DecisionDueOn)] = "交办期限", [nameof(ReceptionBooking.AssignmentId)] = "领导包案",
            [nameof(ReceptionBooking.RecordedBy)] = "记录人", [nameof(ReceptionBooking.RecordedAtUtc)] = "记录时间",
            [nameof(ReceptionBooking.RecordingSinceUtc)] = "正在记录（开始时间）",
        },
        [nameof(LeaderVisit)] = new()
        {
            [nameof(LeaderVisit.Id)] = "编号", [nameof(LeaderVisit.LeaderId)] = "下访领导", [nameof(LeaderVisit.Locality)] = "下访地区",
            [nameof(LeaderVisit.On)] = "下访日期", [nameof(LeaderVisit.Record)] = "下访记录", [nameof(LeaderVisit.RecordedAtUtc)] = "记录时间",
            [nameof(LeaderVisit.RecordedBy)] = "记录人",
        },
        [nameof(LeaderVisitPetition)] = new()
        {
            [nameof(LeaderVisitPetition.VisitId)] = "领导下访", [nameof(LeaderVisitPetition.PetitionId)] = "信访件",
        },
        [nameof(SupervisionNotice)] = new()
        {
            [nameof(SupervisionNotice.Id)] = "编号", [nameof(SupervisionNotice.DocumentId)] = "生成记录", [nameof(SupervisionNotice.UnitId)] = "责任单位",
            [nameof(SupervisionNotice.ResponseDueOn)] = "反馈期限", [nameof(SupervisionNotice.OverdueCount)] = "超期件数",
            [nameof(SupervisionNotice.ListedCount)] = "列出件数", [nameof(SupervisionNotice.AssignmentCount)] = "包案数",
            [nameof(SupervisionNotice.FileId)] = "文件",
        },
        [nameof(LedgerProfile)] = new()
        {
            [nameof(LedgerProfile.Id)] = "编号", [nameof(LedgerProfile.Name)] = "方案名称", [nameof(LedgerProfile.HeaderSet)] = "表头集合",
            [nameof(LedgerProfile.Mapping)] = "列对应", [nameof(LedgerProfile.SavedAtUtc)] = "保存时间", [nameof(LedgerProfile.SavedBy)] = "保存人",
        },
        [nameof(AppUser)] = new()
        {
            [nameof(AppUser.Id)] = "编号", [nameof(AppUser.DisplayName)] = "姓名", [nameof(AppUser.LeaderId)] = "对应包案领导",
            [nameof(AppUser.Disabled)] = "已停用", [nameof(AppUser.UserName)] = "用户名", [nameof(AppUser.NormalizedUserName)] = "用户名（规范化）",
            [nameof(AppUser.Email)] = "邮箱", [nameof(AppUser.NormalizedEmail)] = "邮箱（规范化）", [nameof(AppUser.EmailConfirmed)] = "邮箱已确认",
            [nameof(AppUser.PasswordHash)] = "密码", [nameof(AppUser.MustChangePassword)] = "须修改密码",
            [nameof(AppUser.PasswordChangedAtUtc)] = "密码修改时间", [nameof(AppUser.SecurityStamp)] = "安全标记", [nameof(AppUser.ConcurrencyStamp)] = "并发标记",
            [nameof(AppUser.PhoneNumber)] = "电话", [nameof(AppUser.PhoneNumberConfirmed)] = "电话已确认",
            [nameof(AppUser.TwoFactorEnabled)] = "双因素认证", [nameof(AppUser.LockoutEnd)] = "锁定至",
            [nameof(AppUser.LockoutEnabled)] = "允许锁定", [nameof(AppUser.AccessFailedCount)] = "登录失败次数",
        },
        [UserRoleEntity] = new()
        {
            [nameof(IdentityUserRole<string>.UserId)] = "用户", [nameof(IdentityUserRole<string>.RoleId)] = "角色",
        },
        [nameof(WeeklyUnitStatistic)] = new() { [nameof(WeeklyUnitStatistic.Published)] = "已发布" },
    };

    public static string Action(string action) => Actions.GetValueOrDefault(action, action);

    public static string Entity(string? entity) => entity is null ? "" : Entities.GetValueOrDefault(entity, entity);

    /// <summary>A field's name on its entity; rows written before fields were qualified fall back to any entity's name.</summary>
    public static string Field(string? entity, string? field)
    {
        if (field is null) return "";
        if (entity is not null && Fields.TryGetValue(entity, out var own) && own.TryGetValue(field, out var name)) return name;
        foreach (var table in Fields.Values)
            if (table.TryGetValue(field, out var any)) return any;
        return field;
    }

    /// <summary>The entity name the trail stores for an entity type (an Identity join row is "UserRole").</summary>
    public static string EntityName(Type clrType) => clrType == typeof(IdentityUserRole<string>) ? UserRoleEntity : clrType.Name;

    /// <summary>A stored value written before values were translated ("Pending", "true"), as a person reads it.</summary>
    public static string? StoredValue(string? value) => value switch
    {
        "true" or "True" => "是",
        "false" or "False" => "否",
        nameof(ExtensionRequestStatus.Pending) => ExtensionRequestStatus.Pending.ToChinese(),
        nameof(ExtensionRequestStatus.Approved) => ExtensionRequestStatus.Approved.ToChinese(),
        nameof(ExtensionRequestStatus.Rejected) => ExtensionRequestStatus.Rejected.ToChinese(),
        _ => value,
    };
}
