using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Tests.Features.Repeats;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

namespace PetitionDashboard.Tests.Features.Registration;

public class RegistrationServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewMatter_GetsTheDaysNextCaseNumber_ItsFirstEvent_ItsDeadline_AndAThreadOfItsOwn()
    {
        await using var w = await CreateAsync();
        var a = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 20)));
        var b = await w.RegisterNewAsync(w.Draft(name: "李四", id: IdLi, demand: "村里修路占用我家耕地，未给补偿"));

        Assert.Equal("LC2026112300001", a.CaseNumber); // numbered by the registration day, not the received day
        Assert.Equal("LC2026112300002", b.CaseNumber);
        var p = await w.PetitionAsync(a.PetitionId);
        Assert.Equal(PetitionState.Registered, p.State);
        Assert.False(p.IsRepeat);
        Assert.Equal("张三", p.PetitionerNames);
        // Received Fri 2026-11-20 + 15 days = Sat 2026-12-05 → next working day Mon 2026-12-07.
        Assert.Equal(new DateOnly(2026, 12, 7), p.CurrentDueDate);
        Assert.Equal(TestRules.Deadlines().FirstDecision(p.ReceivedOn).Due, a.FirstDecisionDue);
        var e = Assert.Single(p.Events);
        Assert.Equal((PetitionEventKind.Transition, (PetitionState?)PetitionState.Registered, "值班员甲"), (e.Kind, e.ToState, e.Actor));
        var t = await w.ThreadAsync(a.ThreadId);
        Assert.Equal((a.PetitionId, 1, p.ReceivedOn, p.ReceivedOn), (t.FirstPetitionId, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn));
        Assert.NotEqual(a.ThreadId, b.ThreadId);
    }

    [Fact]
    public async Task Repeat_JoinsTheEarlierThread_CountsAndDatesFollow_AndTheLinkIsAnEvent()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-50)));
        var repeat = await w.RegisterRepeatAsync(w.Draft(demand: "要求补发、拖欠的工钱。", id: "11010519491231002x"), first);

        Assert.True(repeat.IsRepeat);
        Assert.Equal(first.ThreadId, repeat.ThreadId);
        var t = await w.ThreadAsync(first.ThreadId);
        Assert.Equal((first.PetitionId, 2, Today.AddDays(-50), Today), (t.FirstPetitionId, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn));
        var p = await w.PetitionAsync(repeat.PetitionId);
        var link = Assert.Single(p.Events, e => e.Kind == PetitionEventKind.RepeatLinked);
        Assert.Equal($"并入信访事项链 #{first.ThreadId}（首件 {first.CaseNumber}）", link.Detail);
        Assert.Equal($"登记时确认为 {first.CaseNumber} 的重复件（诉求相似度 50%）", link.Note);
        // The person was upserted by identity key, not duplicated.
        await using var ctx = w.Db.CreateDbContext();
        Assert.Equal(1, await ctx.Petitioners.CountAsync(Ct));
    }

    [Fact]
    public async Task SameMatterCandidates_WithoutADecision_AreRefused_AndNothingIsWritten()
    {
        await using var w = await CreateAsync();
        await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-5)));

        var draft = w.Draft(phone: "13800138000");
        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => w.Registration.RegisterAsync(draft, Ct));
        Assert.Equal(["重复件判定：发现 1 条疑似重复的信访事项链，请确认“重复件”或“新事项”"], ex.Problems);
        await using var ctx = w.Db.CreateDbContext();
        Assert.Equal(1, await ctx.Petitions.CountAsync(Ct));
        Assert.Null(await ctx.Petitioners.Select(p => p.Phone).SingleAsync(Ct)); // the upsert did not run
    }

    [Fact]
    public async Task NewMatterDespiteCandidates_IsKept_SoReScanDoesNotProposeIt()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(receivedOn: Today.AddDays(-5)));
        var second = await w.RegisterNewAsync(w.Draft());

        Assert.False(second.IsRepeat);
        Assert.NotEqual(first.ThreadId, second.ThreadId);
        Assert.Empty(await w.Detection.RescanAsync(second.PetitionId, Ct));
        Assert.Empty(await w.Detection.RescanRangeAsync(Today.AddDays(-30), Today, ct: Ct));
        var p = await w.PetitionAsync(second.PetitionId);
        Assert.Contains(p.Events, e => e.Kind == PetitionEventKind.RepeatUnlinked && e.Detail!.Contains($"#{first.ThreadId}"));
    }

    [Fact]
    public async Task HandLinkBelowTheThreshold_NeedsAReason()
    {
        await using var w = await CreateAsync();
        var first = await w.RegisterNewAsync(w.Draft(demand: "单位未依法缴纳社会保险", receivedOn: Today.AddDays(-5)));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => w.RegisterRepeatAsync(w.Draft(), first));
        Assert.StartsWith("关联理由：", Assert.Single(ex.Problems));

        var linked = await w.RegisterRepeatAsync(w.Draft(), first, reason: "信访人当面说明是同一用工纠纷");
        Assert.True(linked.IsRepeat);
        var p = await w.PetitionAsync(linked.PetitionId);
        Assert.Equal($"登记时人工认定为 {first.CaseNumber} 的重复件：信访人当面说明是同一用工纠纷",
            Assert.Single(p.Events, e => e.Kind == PetitionEventKind.RepeatLinked).Note);
    }

    [Fact]
    public async Task ALocalityOutsideTheCodeTable_AndALetterPhone_AreRefused_AsTheImportRefusesThem()
    {
        await using var w = await CreateAsync();
        var phone = await Assert.ThrowsAsync<ActionRefusedException>(() => w.RegisterNewAsync(w.Draft(phone: "abc")));
        Assert.Equal(["信访人联系电话：应为7至20位数字"], phone.Problems);
        var locality = await Assert.ThrowsAsync<ActionRefusedException>(() => w.RegisterNewAsync(w.Draft(locality: "火星")));
        Assert.Equal(["问题属地：“火星”不是已登记的县（市、区），应为：东乡区 / 临川区"], locality.Problems);
        await using var ctx = w.Db.CreateDbContext();
        Assert.Equal(0, await ctx.Petitions.CountAsync(Ct));
    }

    [Fact]
    public async Task FieldRules_AreAllReported_InChinese_NamingFieldAndRule()
    {
        await using var w = await CreateAsync();
        var draft = w.Draft(id: "110105194912310021", demand: "  ");
        draft.PeopleCount = 0;
        draft.Form = null;
        draft.Petitioners.Add(new PetitionerDraft("", "1101051949123", "12"));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => w.RegisterNewAsync(draft));
        Assert.Equal(
        [
            "信访人1身份证号：校验位不正确",
            "信访人2姓名：必填",
            "信访人2身份证号：应为18位（末位可为X）",
            "信访人2联系电话：应为7至20位数字",
            "信访形式：必选",
            "人数：必须为不小于1的整数",
            "诉求摘要：必填",
        ], ex.Problems);
        await using var ctx = w.Db.CreateDbContext();
        Assert.Equal(0, await ctx.Petitions.CountAsync(Ct));
        Assert.Equal(0, await ctx.Petitioners.CountAsync(Ct));
    }

    [Theory]
    [InlineData("11010519491231002X", null)]
    [InlineData("11010519491231002x", null)] // lower-case x is accepted
    [InlineData("110105194912310021", "校验位不正确")]
    [InlineData("110105194902300020", "出生日期无效")] // check digit right, Feb 30
    [InlineData("1101051949123100AX", "前17位应为数字")]
    [InlineData("110105491231002", "应为18位（末位可为X）")]
    [InlineData("", null)]
    public void IdNumberMessages(string id, string? expected) => Assert.Equal(expected, RegistrationService.IdNumberError(id));

    [Fact]
    public async Task PeopleCount_CannotBeBelowTheNumberOfPetitioners_AndReceivedOnNotInTheFuture()
    {
        await using var w = await CreateAsync();
        var draft = w.Draft(receivedOn: Today.AddDays(1));
        draft.Petitioners.Add(new PetitionerDraft("李四", IdLi, null));
        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => w.RegisterNewAsync(draft));
        Assert.Equal(["人数：不能少于所填信访人数（2人）", "收到日期：不能晚于今天（2026-11-23）"], ex.Problems);
    }

    [Fact]
    public async Task ConcurrentRegistrations_GetDistinctConsecutiveNumbers()
    {
        await using var w = await CreateAsync();
        var ids = new[] { IdZhang, IdLi, IdWang, IdZhao, IdSun, IdZhou };
        var results = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => w.RegisterNewAsync(w.Draft(name: $"信访人{i}", id: id)), Ct)));

        Assert.Equal(
            Enumerable.Range(1, ids.Length).Select(n => $"LC20261123{n:00000}"),
            results.Select(r => r.CaseNumber).Order());
    }

    [Fact]
    public async Task ExistingNumbersOfAnotherFormat_DoNotDisturbTheSequence()
    {
        await using var w = await CreateAsync();
        await using (var ctx = w.Db.CreateDbContext())
        {
            // A demo or imported number of the same day in another format, sorting above ours.
            ctx.Petitions.Add(TestData.PetitionRow("LC20261123-9999999", Today, unitId: w.UnitId, locality: Locality,
                category: RepeatWorld.Category, demand: "其他", petitionerNames: "某"));
            await ctx.SaveChangesAsync(Ct);
        }
        Assert.Equal("LC2026112300001", (await w.RegisterNewAsync(w.Draft())).CaseNumber);
    }

    [Fact]
    public void CandidateProbe_UsesEveryIdentifiablePetitioner()
    {
        var draft = new RegistrationDraft
        {
            Petitioners = [new("张三", "11010519491231002x", null), new("王芳", null, "139 1234 5678"), new("无名", null, null)],
        };
        Assert.Equal(["ID:11010519491231002X", "NP:王芳|13912345678"], draft.Probe().IdentityKeys);
    }
}
