using System.Reflection;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Tests.Features.Account;

namespace PetitionDashboard.Tests.Features.Audit;

/// <summary>Every audit entry reads in Chinese with names (issue 17 defect 7): actions, entities, fields, values.</summary>
public class AuditVocabularyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool HasChinese(string? text) => text is not null && text.Any(c => c > 0x7F);

    [Fact]
    public async Task EveryAuditedEntityFieldAndEnumValue_HasAChineseLabel()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await using var db = await s.Contexts.CreateDbContextAsync(Ct);
        var missing = new List<string>();
        foreach (var type in AuditInterceptor.AuditedTypes)
        {
            var entity = AuditVocabulary.EntityName(type);
            if (!HasChinese(AuditVocabulary.Entity(entity))) missing.Add($"entity {entity}");
            var model = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model");
            foreach (var property in model.GetProperties())
            {
                if (!HasChinese(AuditVocabulary.Field(entity, property.Name))) missing.Add($"field {entity}.{property.Name}");
                var enumType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (enumType.IsEnum)
                    foreach (var value in Enum.GetValues(enumType))
                        if (!HasChinese(AuditInterceptor.Format(value))) missing.Add($"value {enumType.Name}.{value}");
            }
        }
        // Rows written by code rather than by the interceptor.
        if (!HasChinese(AuditVocabulary.Entity(nameof(WeeklyUnitStatistic)))) missing.Add("entity WeeklyUnitStatistic");
        if (!HasChinese(AuditVocabulary.Field(nameof(WeeklyUnitStatistic), nameof(WeeklyUnitStatistic.Published)))) missing.Add("field Published");
        if (!HasChinese(AuditVocabulary.Entity(AuditVocabulary.LedgerEntity))) missing.Add("entity Ledger");
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryAction_IsOfferedByTheFilter_AndHasAChineseName()
    {
        var declared = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains(AuditActions.Publish, declared);
        Assert.Equal(declared.Order(), AuditActions.All.Order());
        Assert.All(AuditActions.All, a => Assert.True(HasChinese(AuditVocabulary.Action(a)), a));
        Assert.Equal("发布", AuditVocabulary.Action(AuditActions.Publish));
    }

    [Fact]
    public async Task AssignmentRows_NameTheLeader_CarryTheCaseNumber_AndReadInChinese()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (petitionId, petitionerId) = await s.AddPetitionAsync("LC-2026-000321", "110101199003071234", "13812345678");
        int assignmentId, requestId;
        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            var petition = await db.Petitions.SingleAsync(p => p.Id == petitionId, Ct);
            var leaders = new[] { new Leader { Name = "王建国", Title = "副市长" }, new Leader { Name = "李红梅", Title = "副市长" } };
            db.Leaders.AddRange(leaders);
            await db.SaveChangesAsync(Ct);
            var assignment = new LeaderAssignment
            {
                ThreadId = petition.ThreadId, LeaderId = leaders[0].Id, LeadUnitId = petition.UnitId, ResponsiblePerson = "赵六",
                Plan = "约谈", AssignedOn = new DateOnly(2026, 11, 20), DueOn = new DateOnly(2026, 12, 20),
            };
            db.LeaderAssignments.Add(assignment);
            await db.SaveChangesAsync(Ct);
            assignmentId = assignment.Id;
        }

        using (s.ActingAs(AccountTestServices.As(Roles.Leader)))
        {
            await using var db = await s.Contexts.CreateDbContextAsync(Ct);
            db.AssignmentProgress.Add(new AssignmentProgress { AssignmentId = assignmentId, On = new DateOnly(2026, 11, 23), Action = "约谈信访人", Actor = "test-leader" });
            var request = new AssignmentExtensionRequest { AssignmentId = assignmentId, Days = 10, Reason = "需补充材料", RequestedBy = "test-leader", RequestedOn = new DateOnly(2026, 11, 23) };
            db.AssignmentExtensionRequests.Add(request);
            await db.SaveChangesAsync(Ct);
            requestId = request.Id;
        }
        using (s.ActingAs(AccountTestServices.As(Roles.Supervisor)))
        {
            await using var db = await s.Contexts.CreateDbContextAsync(Ct);
            var request = await db.AssignmentExtensionRequests.SingleAsync(r => r.Id == requestId, Ct);
            request.Status = ExtensionRequestStatus.Approved;
            var assignment = await db.LeaderAssignments.SingleAsync(a => a.Id == assignmentId, Ct);
            assignment.LeaderId = await db.Leaders.Where(l => l.Name == "李红梅").Select(l => l.Id).SingleAsync(Ct);
            await db.SaveChangesAsync(Ct);
        }

        var rows = (await s.AuditQuery(AccountTestServices.As(Roles.AuditAdmin)).SearchAsync(new AuditFilter(), 0, 200, Ct)).Rows;
        var progress = Assert.Single(rows, r => r.Entity == nameof(AssignmentProgress));
        Assert.Equal(("包案进展", "LC-2026-000321", "王建国包案 进展：约谈信访人"), (progress.EntityText, progress.CaseNumber, progress.Detail));
        var created = Assert.Single(rows, r => r.Entity == nameof(AssignmentExtensionRequest) && r.Action == AuditActions.Create);
        Assert.Equal(("LC-2026-000321", "王建国包案 延期申请 10 日"), (created.CaseNumber, created.Detail));
        var decided = Assert.Single(rows, r => r.Entity == nameof(AssignmentExtensionRequest) && r.Action == AuditActions.Update);
        Assert.Equal(("包案延期申请", "审批状态", "待审批", "已批准", "LC-2026-000321"),
            (decided.EntityText, decided.FieldText, decided.OldText, decided.NewText, decided.CaseNumber));
        var leader = Assert.Single(rows, r => r.Entity == nameof(LeaderAssignment) && r.Field == nameof(LeaderAssignment.LeaderId));
        Assert.Equal(("包案领导", "王建国", "李红梅"), (leader.FieldText, leader.OldText, leader.NewText));
        var assigned = Assert.Single(rows, r => r.Entity == nameof(LeaderAssignment) && r.Action == AuditActions.Create);
        Assert.Equal("包案领导 王建国，期限 2026-12-20", assigned.Detail);
        // The petitioner by name, masked: the trail is read by administrators, who read no personal data.
        var link = Assert.Single(rows, r => r.Entity == nameof(PetitionPetitioner));
        Assert.Equal("信访人 王** ↔ 信访件 LC-2026-000321", link.Detail);
        Assert.DoesNotContain(rows, r => (r.Detail ?? "").Contains($"#{petitionerId}") || (r.Detail ?? "").Contains("王某某"));
        // Every row the page shows has a Chinese action, entity and field.
        Assert.All(rows, r => Assert.True(HasChinese(r.ActionText) && HasChinese(r.EntityText) && (r.Field is null || HasChinese(r.FieldText)),
            $"{r.Action} {r.Entity} {r.Field}"));
    }

    [Fact]
    public void RowsWrittenBeforeTheTranslation_ReadInChinese()
    {
        var row = new AuditRow(1, DateTime.UtcNow, "supervisor", "Publish", nameof(WeeklyUnitStatistic), "2026-W46", "Published", "false", "true", null, null);
        Assert.Equal(("发布", "周统计", "已发布", "否", "是"), (row.ActionText, row.EntityText, row.FieldText, row.OldText, row.NewText));
        var request = row with { Action = "Update", Entity = nameof(AssignmentExtensionRequest), Field = "DecidedOn", OldValue = "Pending", NewValue = "Approved" };
        Assert.Equal(("审批日期", "待审批", "已批准"), (request.FieldText, request.OldText, request.NewText));
    }
}
