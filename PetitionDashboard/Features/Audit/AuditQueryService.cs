using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Audit;

/// <summary>Filter of the audit page; dates are Shanghai business dates, both ends included.</summary>
public sealed record AuditFilter(string? Person = null, string? CaseNumber = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

public sealed record AuditRow(long Id, DateTime AtUtc, string Actor, string Action, string? Entity, string? EntityKey, string? Field,
    string? OldValue, string? NewValue, string? CaseNumber, string? Detail)
{
    public string ActionText => AuditActions.ToChinese(Action);
    public string EntityText => AuditText.Entity(Entity);
    public string FieldText => AuditText.Field(Field);
    /// <summary>Local (Shanghai) time for display.</summary>
    public DateTime AtLocal => AtUtc.Add(BusinessTime.Offset);
}

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>Reads the audit trail for the audit page (Supervisor, Admin), filtered and paged in SQL.</summary>
public sealed class AuditQueryService(IDbContextFactory<AppDbContext> contexts, AccessGuard guard)
{
    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanReadAudit);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        // The actor is a user name: matched case-insensitively on every provider ("contains" alone is case-sensitive on
        // SQLite and PostgreSQL, not on SQL Server).
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var person = filter.Person.Trim().ToUpperInvariant();
            q = q.Where(a => a.Actor.ToUpper().Contains(person));
        }
        if (!string.IsNullOrWhiteSpace(filter.CaseNumber)) q = q.Where(a => a.CaseNumber == filter.CaseNumber.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(a => a.Action == filter.Action);
        if (filter.From is { } from) { var start = BusinessTime.StartOfDayUtc(from); q = q.Where(a => a.AtUtc >= start); }
        if (filter.To is { } to) { var end = BusinessTime.StartOfDayUtc(to.AddDays(1)); q = q.Where(a => a.AtUtc < end); }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(a => new AuditRow(a.Id, a.AtUtc, a.Actor, a.Action, a.Entity, a.EntityKey, a.Field, a.OldValue, a.NewValue, a.CaseNumber, a.Detail))
            .ToListAsync(ct);
        return new AuditPage(rows.Select(MaskPersonalData).ToList(), total);
    }

    /// <summary>The audit page never shows full personal numbers: a full view must go through the audited reveal.</summary>
    private static AuditRow MaskPersonalData(AuditRow row) => row switch
    {
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.IdNumber) } =>
            row with { OldValue = PersonalData.MaskIdNumber(row.OldValue), NewValue = PersonalData.MaskIdNumber(row.NewValue) },
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.Phone) } =>
            row with { OldValue = PersonalData.MaskPhone(row.OldValue), NewValue = PersonalData.MaskPhone(row.NewValue) },
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.IdentityKey) } =>
            row with { OldValue = row.OldValue is null ? null : "（已隐藏）", NewValue = row.NewValue is null ? null : "（已隐藏）" },
        _ => row,
    };
}

/// <summary>Chinese names of audited entities and fields.</summary>
public static class AuditText
{
    public static string Entity(string? entity) => entity switch
    {
        null => "",
        nameof(Petition) => "信访件",
        nameof(Petitioner) => "信访人",
        nameof(PetitionPetitioner) => "信访人关联",
        nameof(PetitionThread) => "信访事项链",
        nameof(LeaderAssignment) => "领导包案",
        nameof(LeaderInstruction) => "领导批示",
        nameof(InstructionUnit) => "批示反馈",
        nameof(GeneratedDocument) => "通报/督办单生成",
        nameof(SupervisionNotice) => "督办单",
        nameof(AppUser) => "用户",
        "UserRole" => "用户角色",
        _ => entity,
    };

    private static readonly Dictionary<string, string> Fields = new()
    {
        [nameof(Petition.CaseNumber)] = "信访编号", [nameof(Petition.Form)] = "信访形式", [nameof(Petition.Purpose)] = "信访目的",
        [nameof(Petition.PeopleCount)] = "人数", [nameof(Petition.Locality)] = "问题属地", [nameof(Petition.Category)] = "内容分类",
        [nameof(Petition.Demand)] = "诉求摘要", [nameof(Petition.UnitId)] = "责任单位", [nameof(Petition.PetitionerNames)] = "信访人",
        [nameof(Petition.ReceivedOn)] = "登记日期", [nameof(Petition.DispatchedOn)] = "转送/交办日期", [nameof(Petition.FirstDecisionOn)] = "首次处理日期",
        [nameof(Petition.AcceptedOn)] = "受理日期", [nameof(Petition.SimpleProcedure)] = "简易办理", [nameof(Petition.ExtensionDays)] = "延期天数",
        [nameof(Petition.ExtensionReason)] = "延期理由", [nameof(Petition.ExtensionApprover)] = "延期批准人", [nameof(Petition.RepliedOn)] = "答复日期",
        [nameof(Petition.ReplyResult)] = "答复结果", [nameof(Petition.Evaluation)] = "评价", [nameof(Petition.EvaluatedOn)] = "评价日期",
        [nameof(Petition.FinishedOn)] = "办结日期", [nameof(Petition.State)] = "状态", [nameof(Petition.CurrentDueDate)] = "当前期限",
        [nameof(Petition.Supervision)] = "督办级别", [nameof(Petition.SupervisionRaisedByHand)] = "人工提级", [nameof(Petition.RemindersSent)] = "催办次数",
        [nameof(Petition.ThreadId)] = "信访事项链", [nameof(Petition.IsRepeat)] = "重件",
        [nameof(Petitioner.Name)] = "姓名", [nameof(Petitioner.IdNumber)] = "身份证号", [nameof(Petitioner.Phone)] = "联系电话",
        [nameof(Petitioner.Address)] = "地址", [nameof(Petitioner.IdentityKey)] = "身份识别键",
        [nameof(PetitionThread.FirstPetitionId)] = "初件", [nameof(PetitionThread.PetitionCount)] = "件数", [nameof(PetitionThread.BacklogBatchId)] = "交办批次",
        [nameof(LeaderAssignment.LeaderId)] = "包案领导", [nameof(LeaderAssignment.LeadUnitId)] = "牵头单位", [nameof(LeaderAssignment.CoUnits)] = "协办单位",
        [nameof(LeaderAssignment.ResponsiblePerson)] = "责任人", [nameof(LeaderAssignment.StabilityPerson)] = "稳控责任人", [nameof(LeaderAssignment.Plan)] = "化解方案",
        [nameof(LeaderAssignment.DueOn)] = "包案期限", [nameof(LeaderAssignment.Status)] = "包案状态", [nameof(LeaderAssignment.ResolvedOn)] = "化解日期",
        [nameof(LeaderAssignment.ResolutionResult)] = "化解结果",
        [nameof(LeaderInstruction.Text)] = "批示内容", [nameof(LeaderInstruction.Important)] = "重要",
        [nameof(InstructionUnit.RespondedOn)] = "反馈日期", [nameof(InstructionUnit.ResponseText)] = "反馈内容", [nameof(InstructionUnit.AttachmentName)] = "附件名称",
        [nameof(AppUser.DisplayName)] = "姓名", [nameof(AppUser.Disabled)] = "已停用", [nameof(AppUser.UserName)] = "用户名",
        [nameof(AppUser.PasswordHash)] = "密码", [nameof(AppUser.LockoutEnd)] = "锁定至", [nameof(AppUser.Email)] = "邮箱",
        [nameof(AppUser.PhoneNumber)] = "电话",
    };

    public static string Field(string? field) => field is null ? "" : Fields.GetValueOrDefault(field, field);
}
