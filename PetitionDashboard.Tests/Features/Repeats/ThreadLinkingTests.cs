using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>Hand link, unlink and relink (docs/rules.md §6): thread figures, events, kept decisions, 包案 follow-up.</summary>
public class ThreadLinkingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The linking service as another duty officer: the events name who linked (the signed-in user).</summary>
    private static ThreadLinkingService Officer(RepeatWorld w, string name) => w.As(FixedCurrentUser.For(name, [Roles.DutyOfficer])).Linking;

    [Fact]
    public async Task Unlink_GivesThePetitionItsOwnThread_RecordsTheReason_AndReScanKeepsTheDecision()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var p2 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), p1);
        var p3 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-10)), p1);

        var result = await Officer(w, "值班员乙").UnlinkAsync(p2.PetitionId, "经核实为另一用工单位的欠薪", Ct);

        var old = await w.ThreadAsync(p1.ThreadId);
        Assert.Equal((p1.PetitionId, 2, Today.AddDays(-60), Today.AddDays(-10)), (old.FirstPetitionId, old.PetitionCount, old.FirstReceivedOn, old.LastReceivedOn));
        var own = await w.ThreadAsync(result.ThreadId);
        Assert.Equal((p2.PetitionId, 1), (own.FirstPetitionId, own.PetitionCount));
        var p = await w.PetitionAsync(p2.PetitionId);
        Assert.False(p.IsRepeat);
        var e = Assert.Single(p.Events, x => x.Kind == PetitionEventKind.RepeatUnlinked);
        Assert.Equal($"移出信访事项链 #{p1.ThreadId}（首件 {p1.CaseNumber}），另立信访事项链 #{own.Id}", e.Detail);
        Assert.Equal(("经核实为另一用工单位的欠薪", "值班员乙"), (e.Note, e.Actor));
        Assert.True((await w.PetitionAsync(p3.PetitionId)).IsRepeat);

        // The automatic match is still there by rule, but the officer's decision is kept.
        Assert.Empty(await w.Detection.RescanAsync(p2.PetitionId, Ct));
        Assert.DoesNotContain(await w.Detection.RescanRangeAsync(Today.AddDays(-90), Today, ct: Ct), x => x.PetitionId == p2.PetitionId);
    }

    [Fact]
    public async Task Relink_ByHand_OverridesTheKeptDecision_AndRestoresTheThread()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var p2 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), p1);
        var unlinked = await Officer(w, "值班员乙").UnlinkAsync(p2.PetitionId, "误判", Ct);

        var relinked = await Officer(w, "值班员丙").LinkAsync(p2.PetitionId, p1.PetitionId, "复核后确认为同一事项", Ct);

        Assert.Equal(p1.ThreadId, relinked.ThreadId);
        var t = await w.ThreadAsync(p1.ThreadId);
        Assert.Equal((2, Today.AddDays(-30)), (t.PetitionCount, t.LastReceivedOn));
        Assert.True((await w.PetitionAsync(p2.PetitionId)).IsRepeat);
        await using var ctx = w.Db.CreateDbContext();
        // The emptied thread stays, empty, as the place a later 移出此链 brings p2 back to (the merge's decision points at it).
        var emptied = await ctx.Threads.SingleAsync(x => x.Id == unlinked.ThreadId, Ct);
        Assert.Equal((0, (int?)null), (emptied.PetitionCount, emptied.FirstPetitionId));
        Assert.True(await ctx.RepeatDecisions.AnyAsync(d => d.PetitionId == p2.PetitionId && d.ThreadId == unlinked.ThreadId, Ct));
        Assert.False(await ctx.RepeatDecisions.AnyAsync(d => d.PetitionId == p2.PetitionId && d.ThreadId == p1.ThreadId, Ct));
        var events = (await w.PetitionAsync(p2.PetitionId)).Events.Where(e => e.Kind is PetitionEventKind.RepeatLinked or PetitionEventKind.RepeatUnlinked)
            .OrderBy(e => e.Id).Select(e => e.Kind).ToList();
        Assert.Equal([PetitionEventKind.RepeatLinked, PetitionEventKind.RepeatUnlinked, PetitionEventKind.RepeatLinked], events);
    }

    [Fact]
    public async Task Relink_FromOneThreadToAnother_MovesOnlyThatPetition_AndBothThreadsStayConsistent()
    {
        await using var w = await CreateAsync();
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-80)));
        var a2 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-40)), a1);
        var b1 = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: Today.AddDays(-70)));

        var moved = await Officer(w, "值班员乙").LinkAsync(a2.PetitionId, b1.PetitionId, "实为征地补偿问题", confirmed: true, Ct); // another person: confirmed

        Assert.Equal($"由信访事项链 #{a1.ThreadId}（首件 {a1.CaseNumber}）改并入信访事项链 #{b1.ThreadId}（首件 {b1.CaseNumber}）", moved.Detail);
        var a = await w.ThreadAsync(a1.ThreadId);
        var b = await w.ThreadAsync(b1.ThreadId);
        Assert.Equal((1, Today.AddDays(-80)), (a.PetitionCount, a.LastReceivedOn));
        Assert.Equal((2, b1.PetitionId, Today.AddDays(-40)), (b.PetitionCount, b.FirstPetitionId, b.LastReceivedOn));
    }

    [Fact]
    public async Task UnlinkingTheFirst_MakesTheNextEarliestTheFirst_WithAnEventOnIt()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var p2 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), p1);
        var p3 = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-10)), p1);

        await Officer(w, "值班员乙").UnlinkAsync(p1.PetitionId, "首件登记的属地有误", Ct);

        var t = await w.ThreadAsync(p1.ThreadId);
        Assert.Equal((p2.PetitionId, 2, Today.AddDays(-30), Today.AddDays(-10)), (t.FirstPetitionId, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn));
        var promoted = await w.PetitionAsync(p2.PetitionId);
        Assert.False(promoted.IsRepeat);
        Assert.Contains(promoted.Events, e => e.Kind == PetitionEventKind.RepeatUnlinked
            && e.Detail == $"重件 → 初件（原首件 {p1.CaseNumber} 已移出，本件成为信访事项链 #{p1.ThreadId} 的首件）");
        Assert.True((await w.PetitionAsync(p3.PetitionId)).IsRepeat);
    }

    [Fact]
    public async Task Refusals_NameTheRule_AndChangeNothing()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var p2 = await w.RegisterRepeatAsync(w.Draft(), p1);

        var same = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").LinkAsync(p2.PetitionId, p1.PetitionId, "再次关联", Ct));
        Assert.Contains("无需再关联", same.Message);
        var noReason = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").UnlinkAsync(p2.PetitionId, " ", Ct));
        Assert.Equal("解除理由：必填", noReason.Message);
        var single = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi));
        var alone = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").UnlinkAsync(single.PetitionId, "误判", Ct));
        Assert.Contains("仅此一件", alone.Message);
        Assert.Equal(2, (await w.ThreadAsync(p1.ThreadId)).PetitionCount);
    }

    [Fact]
    public async Task RepeatOnAThreadWithAnActive包案_GoesToThatLeader()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var assignmentId = await AssignAsync(w, p1.ThreadId, AssignmentStatus.Active);

        var repeat = await w.RegisterRepeatAsync(w.Draft(), p1);

        await using var ctx = w.Db.CreateDbContext();
        var a = await ctx.LeaderAssignments.Include(x => x.Progress).SingleAsync(x => x.Id == assignmentId, Ct);
        Assert.Equal(AssignmentStatus.Active, a.Status);
        var progress = Assert.Single(a.Progress);
        Assert.Equal(($"再访：新增重复件 {repeat.CaseNumber}", Today, "值班员甲"), (progress.Action, progress.On, progress.Actor));
        var e = Assert.Single((await w.PetitionAsync(repeat.PetitionId)).Events, x => x.Kind == PetitionEventKind.AssignmentChanged);
        Assert.Equal("再访原领导包：刘建国（副市长）", e.Detail);
    }

    [Fact]
    public async Task RepeatLinkedByHandOntoAResolved包案_Relapses()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-90)));
        var assignmentId = await AssignAsync(w, p1.ThreadId, AssignmentStatus.Resolved);
        var other = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "单位未依法缴纳社会保险", receivedOn: Today.AddDays(-2)));

        await Officer(w, "值班员乙").LinkAsync(other.PetitionId, p1.PetitionId, "李四与张三为同一欠薪事项的共同信访人", confirmed: true, Ct);

        await using var ctx = w.Db.CreateDbContext();
        var a = await ctx.LeaderAssignments.Include(x => x.Progress).Include(x => x.Resolutions).SingleAsync(x => x.Id == assignmentId, Ct);
        Assert.Equal(AssignmentStatus.Relapsed, a.Status);
        // The resolution date stays and the relapse date is added: 化解 up to yesterday, not from today (docs/rules.md §8).
        Assert.Equal((Today.AddDays(-20), Today), (a.ResolvedOn!.Value, a.RelapsedOn!.Value));
        var resolution = Assert.Single(a.Resolutions);
        Assert.Equal((Today.AddDays(-20), (DateOnly?)Today), (resolution.ResolvedOn, resolution.RelapsedOn));
        Assert.True(AssignmentLifecycle.IsResolvedBy([(resolution.ResolvedOn, resolution.RelapsedOn)], Today.AddDays(-1)));
        Assert.False(AssignmentLifecycle.IsResolvedBy([(resolution.ResolvedOn, resolution.RelapsedOn)], Today));
        Assert.Equal($"反弹：化解后再访，新增重复件 {other.CaseNumber}（已化解 → 反弹）", Assert.Single(a.Progress).Action);
        var e = Assert.Single((await w.PetitionAsync(other.PetitionId)).Events, x => x.Kind == PetitionEventKind.AssignmentChanged);
        Assert.Equal("包案已化解 → 反弹，再访原领导包：刘建国（副市长）", e.Detail);
    }

    [Fact]
    public async Task ThreadWithA包案AndOnePetition_CannotBeEmptiedByALink()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-90)));
        await AssignAsync(w, p1.ThreadId, AssignmentStatus.Active);
        var other = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, receivedOn: Today.AddDays(-100)));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").LinkAsync(p1.PetitionId, other.PetitionId, "合并", Ct));
        Assert.Contains("有领导包案且仅此一件", ex.Message);
        Assert.Equal(1, (await w.ThreadAsync(p1.ThreadId)).PetitionCount);
    }

    [Fact]
    public async Task MergeAcrossPersons_IsRefusedUnlessConfirmed_NamingWhatChanges()
    {
        await using var w = await CreateAsync();
        var zhang = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var li = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: Today.AddDays(-10)));

        var preview = await Officer(w, "值班员乙").PreviewLinkAsync(li.PetitionId, zhang.PetitionId, Ct);
        Assert.True(preview.NeedsConfirmation);
        Assert.Equal(["信访人不同：李四 与本链 张三 无共同信访人"], preview.Differences);
        Assert.Equal($"{zhang.CaseNumber}（{Today.AddDays(-60):yyyy-MM-dd} 收到）仍为信访事项链 #{zhang.ThreadId} 的初件，{li.CaseNumber} 成为重件", preview.FirstAfter);
        Assert.Equal($"原信访事项链 #{li.ThreadId} 将不再有信访事项（保留编号，移出此链可恢复）", preview.FormerAfter);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").LinkAsync(li.PetitionId, zhang.PetitionId, "测试", Ct));
        Assert.Equal($"跨信访人或跨事项并入须先确认：{preview.Describe()}", refused.Message);
        Assert.Equal(li.ThreadId, (await w.PetitionAsync(li.PetitionId)).ThreadId);
        Assert.Equal(1, (await w.ThreadAsync(zhang.ThreadId)).PetitionCount);

        var linked = await Officer(w, "值班员乙").LinkAsync(li.PetitionId, zhang.PetitionId, "共同信访人", confirmed: true, Ct);
        Assert.Equal(zhang.ThreadId, linked.ThreadId);
        Assert.Equal(2, (await w.ThreadAsync(zhang.ThreadId)).PetitionCount);
    }

    [Fact]
    public async Task MergeAcrossMatters_SamePerson_NeedsConfirmation_AnOrdinaryRepeatDoesNot()
    {
        await using var w = await CreateAsync();
        var p1 = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var elsewhere = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-20), locality: OtherLocality));
        var same = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-10)));

        var cross = await Officer(w, "值班员乙").PreviewLinkAsync(elsewhere.PetitionId, p1.PetitionId, Ct);
        Assert.Equal([$"问题属地不同：{OtherLocality} / {Locality}"], cross.Differences);
        await Assert.ThrowsAsync<ActionRefusedException>(() => Officer(w, "值班员乙").LinkAsync(elsewhere.PetitionId, p1.PetitionId, "合并", Ct));

        Assert.False((await Officer(w, "值班员乙").PreviewLinkAsync(same.PetitionId, p1.PetitionId, Ct)).NeedsConfirmation);
        var linked = await Officer(w, "值班员乙").LinkAsync(same.PetitionId, p1.PetitionId, "同一欠薪事项", Ct);
        Assert.Equal(p1.ThreadId, linked.ThreadId);
    }

    [Fact]
    public async Task Merge_TheEarliestReceivedStaysTheFirst_AndUnlinkRestoresThePreviousThread()
    {
        await using var w = await CreateAsync();
        // The thread merged into: first received 60 days ago, a repeat 30 days ago.
        var first = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var repeat = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), first);
        // Another person's thread of two, and a lone case of that person received later than the real first.
        var other = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: Today.AddDays(-20)));
        var lone = await w.RegisterNewAsync(w.Draft(name: "王五", id: IdWang, demand: "单位未依法缴纳社会保险", receivedOn: Today.AddDays(-40),
            category: "城乡建设"));

        var merged = await Officer(w, "值班员乙").LinkAsync(lone.PetitionId, repeat.PetitionId, "测试", confirmed: true, Ct);

        var t = await w.ThreadAsync(first.ThreadId);
        Assert.Equal((3, first.PetitionId, Today.AddDays(-60), Today.AddDays(-30)), (t.PetitionCount, t.FirstPetitionId, t.FirstReceivedOn, t.LastReceivedOn));
        Assert.False((await w.PetitionAsync(first.PetitionId)).IsRepeat); // the real first case is not demoted
        Assert.True((await w.PetitionAsync(lone.PetitionId)).IsRepeat);
        var emptied = await w.ThreadAsync(lone.ThreadId); // kept, so that undo can bring the case back to it
        Assert.Equal((0, (int?)null), (emptied.PetitionCount, emptied.FirstPetitionId));
        Assert.Equal(lone.ThreadId, merged.FormerThreadId);

        var undone = await Officer(w, "值班员丙").UnlinkAsync(lone.PetitionId, "误并", Ct);

        Assert.Equal(lone.ThreadId, undone.ThreadId);
        Assert.Equal($"移出信访事项链 #{first.ThreadId}（首件 {first.CaseNumber}），回到原信访事项链 #{lone.ThreadId}", undone.Detail);
        var back = await w.ThreadAsync(lone.ThreadId);
        Assert.Equal((1, lone.PetitionId, Today.AddDays(-40), Today.AddDays(-40)), (back.PetitionCount, back.FirstPetitionId, back.FirstReceivedOn, back.LastReceivedOn));
        Assert.False((await w.PetitionAsync(lone.PetitionId)).IsRepeat);
        var after = await w.ThreadAsync(first.ThreadId);
        Assert.Equal((2, first.PetitionId, Today.AddDays(-30)), (after.PetitionCount, after.FirstPetitionId, after.LastReceivedOn));
        Assert.Equal(other.ThreadId, (await w.PetitionAsync(other.PetitionId)).ThreadId); // untouched

        // The undo swaps the decisions: not on the thread it left, and nothing left pointing back at its own.
        await using var ctx = w.Db.CreateDbContext();
        Assert.True(await ctx.RepeatDecisions.AnyAsync(d => d.PetitionId == lone.PetitionId && d.ThreadId == first.ThreadId, Ct));
        Assert.False(await ctx.RepeatDecisions.AnyAsync(d => d.PetitionId == lone.PetitionId && d.ThreadId == lone.ThreadId, Ct));
    }

    [Fact]
    public async Task Merge_AnEarlierCase_BecomesTheFirst_AndUnlinkRestoresBothThreads()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-60)));
        var repeat = await w.RegisterRepeatAsync(w.Draft(receivedOn: Today.AddDays(-30)), first);
        var old1 = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: Today.AddDays(-300)));
        var old2 = await w.RegisterRepeatAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿", receivedOn: Today.AddDays(-200)), old1);

        var preview = await Officer(w, "值班员乙").PreviewLinkAsync(old1.PetitionId, first.PetitionId, Ct);
        Assert.StartsWith($"{old1.CaseNumber}（{Today.AddDays(-300):yyyy-MM-dd} 收到）收到最早，将成为信访事项链 #{first.ThreadId} 的初件，原初件 {first.CaseNumber} 改为重件", preview.FirstAfter);
        Assert.Equal($"原信访事项链 #{old1.ThreadId} 失去 {old1.CaseNumber}，余 1 件", preview.FormerAfter);
        await Officer(w, "值班员乙").LinkAsync(old1.PetitionId, first.PetitionId, "测试", confirmed: true, Ct);
        Assert.Equal(old1.PetitionId, (await w.ThreadAsync(first.ThreadId)).FirstPetitionId); // earliest received is the 初件
        Assert.Equal(old2.PetitionId, (await w.ThreadAsync(old1.ThreadId)).FirstPetitionId);

        await Officer(w, "值班员乙").UnlinkAsync(old1.PetitionId, "误并", Ct);

        var t = await w.ThreadAsync(first.ThreadId);
        Assert.Equal((2, first.PetitionId, Today.AddDays(-60)), (t.PetitionCount, t.FirstPetitionId, t.FirstReceivedOn));
        Assert.False((await w.PetitionAsync(first.PetitionId)).IsRepeat);
        var o = await w.ThreadAsync(old1.ThreadId);
        Assert.Equal((2, old1.PetitionId, Today.AddDays(-300), Today.AddDays(-200)), (o.PetitionCount, o.FirstPetitionId, o.FirstReceivedOn, o.LastReceivedOn));
        Assert.False((await w.PetitionAsync(old1.PetitionId)).IsRepeat);
        Assert.True((await w.PetitionAsync(old2.PetitionId)).IsRepeat);
    }

    internal static async Task<int> AssignAsync(RepeatWorld w, int threadId, AssignmentStatus status)
    {
        await using var ctx = w.Db.CreateDbContext();
        var leader = new Leader { Name = "刘建国", Title = "副市长" };
        var assignment = new LeaderAssignment
        {
            ThreadId = threadId, Leader = leader, LeadUnitId = w.UnitId, ResponsiblePerson = "陈主任", Plan = "约访当事人，督促补发工资",
            AssignedOn = Today.AddDays(-50), DueOn = Today.AddDays(40), Status = AssignmentStatus.Active,
        };
        // Resolved the way the product resolves (the dated resolution row included).
        if (status == AssignmentStatus.Resolved) AssignmentLifecycle.Resolve(assignment, "息诉罢访", Today.AddDays(-20), "督查", []);
        else assignment.Status = status;
        ctx.LeaderAssignments.Add(assignment);
        await ctx.SaveChangesAsync(TestContext.Current.CancellationToken);
        return assignment.Id;
    }
}
