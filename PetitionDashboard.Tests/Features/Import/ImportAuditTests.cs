using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Every import is audited (issue 13 item 10): the rows a file adds stand under its one "Import" entry, and every change it
/// makes to a row that already existed — the thread a repeat joins, a resolved 包案 that relapses, the 包案's progress — has
/// its own entries, written in the import's transaction.
/// </summary>
public class ImportAuditTests
{
    private const string Id1 = "361102198001011236";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARepeatOfAResolved包案_AuditsTheThreadTheRelapseAndTheProgress_OfTheRowsThatExisted()
    {
        await using var w = await ImportWorld.CreateAsync(audited: true);
        Assert.True((await w.ImportAsync(new LedgerFile()
            .Row("OLD-1", (C.ReceivedOn, "2026-03-01"), (C.IdNumbers, Id1), (C.Demand, "要求解决小区路灯损坏问题")))).Succeeded);
        int threadId, assignmentId;
        await using (var db = await w.Db.CreateDbContextAsync(Ct))
        {
            var old = await db.Petitions.SingleAsync(Ct);
            threadId = old.ThreadId;
            var assignment = new LeaderAssignment
            {
                ThreadId = old.ThreadId, Leader = new Leader { Name = "李明", Title = "副市长" }, LeadUnitId = old.UnitId,
                ResponsiblePerson = "王科长", Plan = "约谈", AssignedOn = new DateOnly(2026, 3, 5), DueOn = new DateOnly(2026, 6, 3),
            };
            AssignmentLifecycle.Resolve(assignment, "息诉罢访", new DateOnly(2026, 5, 20), "督查", []);
            db.LeaderAssignments.Add(assignment);
            await db.SaveChangesAsync(Ct);
            assignmentId = assignment.Id;
            db.AuditEntries.RemoveRange(db.AuditEntries);
            await db.SaveChangesAsync(Ct);
        }

        // Same person, same matter, later: detection puts it on OLD-1's thread, whose resolved 包案 relapses.
        var result = await w.ImportAsync(new LedgerFile()
            .Row("NEW-1", (C.ReceivedOn, "2026-11-01"), (C.IdNumbers, Id1), (C.Demand, "再次要求解决小区路灯损坏问题"))
            .Row("NEW-2", (C.ReceivedOn, "2026-11-02"), (C.Petitioners, "李四"), (C.Phones, "13900002222")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(1, result.Repeats);
        await using var check = await w.Db.CreateDbContextAsync(Ct);
        var rows = await check.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
        var thread = threadId.ToString(CultureInfo.InvariantCulture);
        var assignmentKey = assignmentId.ToString(CultureInfo.InvariantCulture);

        // The rows that existed: the thread's totals, the 包案's relapse, the 包案's new progress line.
        Assert.Contains(rows, a => a is { Entity: nameof(PetitionThread), Action: AuditActions.Update, Field: nameof(PetitionThread.PetitionCount), OldValue: "1", NewValue: "2" }
                                   && a.EntityKey == thread);
        Assert.Contains(rows, a => a is { Entity: nameof(PetitionThread), Field: nameof(PetitionThread.LastReceivedOn), OldValue: "2026-03-01", NewValue: "2026-11-01" }
                                   && a.EntityKey == thread);
        Assert.Contains(rows, a => a is { Entity: nameof(LeaderAssignment), Field: nameof(LeaderAssignment.Status) }
                                   && a.EntityKey == assignmentKey && a.OldValue == AssignmentStatus.Resolved.ToChinese()
                                   && a.NewValue == AssignmentStatus.Relapsed.ToChinese());
        Assert.Contains(rows, a => a is { Entity: nameof(AssignmentProgress), Action: AuditActions.Create } && a.Detail!.Contains("反弹"));
        // The rows the file added are the summary's, not one entry each.
        Assert.Single(rows, a => a.Action == LedgerImportService.AuditAction);
        Assert.DoesNotContain(rows, a => a.Action == AuditActions.Create && a.Entity is nameof(Petition) or nameof(Petitioner) or nameof(PetitionPetitioner));
    }
}
