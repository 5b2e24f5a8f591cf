using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Assignments.Components;
using PetitionDashboard.Features.Assignments.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Assignments;

public sealed class AssignmentComponentTests : ComponentTestContext, IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 21);
    private readonly TestClock _clock = TestClock.AtShanghai(2026, 3, 21);
    private readonly TestAssignmentUser _user = new(TestAssignmentUser.Officer());
    private TestDatabase _db = null!;
    private AssignmentSeed _seed = null!;
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public AssignmentComponentTests()
    {
        Services.AddLogging();
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(TestRules.Deadlines());
        Services.AddSingleton<ICurrentUser>(_user);
        Services.AddScoped<AccessGuard>();
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(_ => _db);
        Services.AddScoped<AssignmentService>();
        // The 包案 list reads its first page in the prerender and carries it (RendererInfo): these tests drive the circuit.
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _seed = await AssignmentSeed.CreateAsync(_db, Ct);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    private Task<string[]> Thread(PetitionState state = PetitionState.InHandling) => _seed.ThreadAsync(_db, Today.AddDays(-40), state, ct: Ct);

    private IRenderedComponent<MudPopoverProvider> _popover = null!;

    private async Task<IRenderedComponent<MudDialogProvider>> OpenDialogAsync(params string[] caseNumbers)
    {
        var provider = RenderDialogProvider();
        _popover = RenderPopoverProvider();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<AssignDialog>("领导包案",
            new DialogParameters<AssignDialog> { { x => x.CaseNumbers, caseNumbers } }));
        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("#assign-deadline")));
        return provider;
    }

    private static void OpenLeaderList(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("#assign-leader").ParentElement!.QuerySelector(".mud-input-control-input-container, .mud-select-input, .mud-input")!.MouseDown();

    private async Task ChooseLeaderAsync(IRenderedComponent<MudDialogProvider> provider, string label)
    {
        OpenLeaderList(provider);
        _popover.WaitForAssertion(() => Assert.Contains(label, _popover.Markup));
        var item = _popover.FindAll(".mud-list-item").First(o => o.TextContent.Contains(label, StringComparison.Ordinal));
        await _popover.InvokeAsync(() => item.Click());
        provider.WaitForAssertion(() => Assert.Equal(label, provider.Find("#assign-leader").GetAttribute("value")));
    }

    private async Task<int> AssignAsync(string caseNumber)
    {
        var previous = _user.Current;
        _user.Current = TestAssignmentUser.Officer();
        var id = (await Services.GetRequiredService<AssignmentService>().AssignAsync(caseNumber, _seed.Plan(), Ct)).AssignmentIds.Single();
        _user.Current = previous;
        return id;
    }

    [Fact]
    public async Task AssignDialog_ShowsTheDeadlineWithItsExplanation_AndEachLeadersLoad()
    {
        await AssignAsync((await Thread())[0]);
        var number = (await Thread())[0];

        var provider = await OpenDialogAsync(number);

        var deadline = provider.Find("#assign-deadline").TextContent;
        Assert.Contains("化解期限：2026-06-22", deadline);
        Assert.Contains("领导包案化解：自 2026-03-21 次日起算 90日", deadline);
        Assert.Contains("2026-06-19", deadline); // the 端午 holiday moved the last day
        Assert.Contains("端午节", deadline);
        // The leader list opens with each leader's load.
        OpenLeaderList(provider);
        _popover.WaitForAssertion(() => Assert.Contains("李四（信访局副局长）", _popover.Markup));
        var options = _popover.FindAll(".mud-list-item").Select(o => o.TextContent).ToList();
        Assert.Contains(options, o => o.Contains("张三（副市长）", StringComparison.Ordinal) && o.Contains("在办 1", StringComparison.Ordinal) && o.Contains("超期 0", StringComparison.Ordinal));
        Assert.Contains(options, o => o.Contains("李四（信访局副局长）", StringComparison.Ordinal) && o.Contains("在办 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AssignDialog_SubmittedEmpty_NamesTheMissingFields_AndAssignsNothing()
    {
        var number = (await Thread())[0];
        var provider = await OpenDialogAsync(number);

        await provider.InvokeAsync(() => provider.Find("#assign-submit").Click());

        provider.WaitForAssertion(() => Assert.Contains("包案领导：必选", provider.Find("#assign-errors").TextContent));
        var errors = provider.Find("#assign-errors").TextContent;
        Assert.Contains("责任人：必填", errors);
        Assert.Contains("化解方案：必填", errors);
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.LeaderAssignments.CountAsync(Ct));
    }

    [Fact]
    public async Task AssignDialog_Filled_AssignsTheCase_WithTheCasesUnitLeadingByDefault_AndCloses()
    {
        var number = (await Thread())[0];
        var provider = await OpenDialogAsync(number);

        await ChooseLeaderAsync(provider, "李四（信访局副局长）");
        provider.Find("#assign-responsible").Change("赵六");
        provider.Find("#assign-stability").Change("社区书记钱七");
        provider.Find("#assign-plan").Change("约谈开发商，督促限期交房");
        await provider.InvokeAsync(() => provider.Find("#assign-submit").Click());

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll(".mud-dialog")));
        await using var db = _db.CreateDbContext();
        var a = await db.LeaderAssignments.SingleAsync(Ct);
        Assert.Equal((_seed.Li, _seed.County, "赵六", "社区书记钱七"), (a.LeaderId, a.LeadUnitId, a.ResponsiblePerson, a.StabilityPerson));
        Assert.Equal(new DateOnly(2026, 6, 22), a.DueOn);
    }

    [Fact]
    public async Task AssignDialog_ForABatchWithBadNumbers_ListsThem_AndCannotBeSubmitted()
    {
        var good = (await Thread())[0];
        var closed = (await Thread(PetitionState.Closed))[0];

        var provider = await OpenDialogAsync(good, closed, "LC-NO-SUCH");

        var problems = provider.Find("#assign-problems").TextContent;
        Assert.Contains(closed, problems);
        Assert.Contains("已办结", problems);
        Assert.Contains("信访编号不存在", problems);
        Assert.DoesNotContain(good, problems);
        Assert.Contains("本批未做任何包案", provider.Find("#assign-refusal").TextContent);
        Assert.True(provider.Find("#assign-submit").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AssignDialog_WhenAnotherOfficerAssignedFirst_SaysWhoHoldsTheCase()
    {
        var number = (await Thread())[0];
        var provider = await OpenDialogAsync(number);
        await AssignAsync(number); // officer A, while B's dialog is open
        var plan = _seed.Plan(_seed.Li);
        provider.Find("#assign-responsible").Change(plan.ResponsiblePerson);
        provider.Find("#assign-plan").Change(plan.Plan);
        await ChooseLeaderAsync(provider, "李四（信访局副局长）");

        await provider.InvokeAsync(() => provider.Find("#assign-submit").Click());

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("#assign-refusal")));
        Assert.Equal("该信访事项已由 张三（副市长）包案，请刷新后查看", provider.Find("#assign-refusal").TextContent);
        await using var db = _db.CreateDbContext();
        Assert.Equal(_seed.Zhang, (await db.LeaderAssignments.SingleAsync(Ct)).LeaderId);
        Assert.Contains("已包案：由 张三（副市长）于 2026-03-21", provider.Find("#assign-problems").TextContent);
    }

    [Fact]
    public async Task MyAssignments_ShowsRelapsedCasesFirstAndProminently_AndRecordsProgress()
    {
        var active = await AssignAsync((await Thread())[0]);
        var relapsedCase = (await Thread())[0];
        var relapsed = await AssignAsync(relapsedCase);
        await using (var db = _db.CreateDbContext())
        {
            // Resolved, then reopened by a repeat — the way the product records a relapse.
            var a = await db.LeaderAssignments.SingleAsync(x => x.Id == relapsed, Ct);
            AssignmentLifecycle.Resolve(a, "息诉罢访", a.AssignedOn, "张三", []);
            AssignmentLifecycle.Relapse(a, a.AssignedOn.AddDays(1));
            await db.SaveChangesAsync(Ct);
        }
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");
        RenderPopoverProvider();

        var cut = Render<MyAssignmentsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#assignment-list tbody tr.mud-table-row").Count));
        Assert.Contains("有 1 件包案反弹", cut.Find("#relapsed-alert").TextContent);
        var rows = cut.FindAll("#assignment-list tbody tr.mud-table-row");
        Assert.Contains(relapsedCase, rows[0].TextContent);
        Assert.Contains("反弹", rows[0].QuerySelector(".assignment-status")!.TextContent);
        Assert.Contains("background-color", rows[0].GetAttribute("style"));

        await cut.InvokeAsync(() => rows[1].QuerySelector("td")!.Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#progress-text")));
        cut.Find("#progress-text").Change("约访信访人，开发商承诺6月底前交房");
        await cut.InvokeAsync(() => cut.Find("#progress-add").Click());

        cut.WaitForAssertion(() => Assert.Contains("约访信访人，开发商承诺6月底前交房", cut.Find("#progress-table").TextContent));
        Assert.Contains("张三", cut.Find("#progress-table").TextContent);
        Assert.Contains("新增包案进展", cut.Find("#history-table").TextContent);
        await using var check = _db.CreateDbContext();
        Assert.Equal(2, await check.AssignmentProgress.CountAsync(p => p.AssignmentId == active, Ct));
    }

    [Fact]
    public async Task MyAssignments_ExtensionOverTheLimit_IsRefusedWithTheRuleNamed()
    {
        var id = await AssignAsync((await Thread())[0]);
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");
        RenderPopoverProvider();
        var cut = Render<MyAssignmentsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#assignment-list tbody tr.mud-table-row")));
        await cut.InvokeAsync(() => cut.Find("#assignment-list tbody tr.mud-table-row td").Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#extension-days")));

        cut.Find("#extension-days").Change("31");
        cut.Find("#extension-reason").Change("需等待法院判决");
        await cut.InvokeAsync(() => cut.Find("#extension-submit").Click());

        cut.WaitForAssertion(() => Assert.Contains("延期天数：须为1至30之间的整数", cut.Find("#extension-form").TextContent));
        // A second invalid value is refused beside the field again (issue 17, defect 10: it showed nothing).
        cut.Find("#extension-days").Change("0");
        await cut.InvokeAsync(() => cut.Find("#extension-submit").Click());
        cut.WaitForAssertion(() => Assert.Contains("延期天数：须为1至30之间的整数", cut.Find("#extension-form").TextContent));
        Assert.Empty(cut.FindAll("#detail-error"));
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.AssignmentExtensionRequests.CountAsync(Ct));
        Assert.Equal(new DateOnly(2026, 6, 22), (await db.LeaderAssignments.SingleAsync(a => a.Id == id, Ct)).DueOn);
    }

    [Fact]
    public async Task MyAssignments_MarkResolved_AsksFirst_AndCancelLeavesTheAssignmentInForce()
    {
        var id = await AssignAsync((await Thread())[0]);
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");
        RenderPopoverProvider();
        var dialogs = RenderDialogProvider();
        var cut = Render<MyAssignmentsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#assignment-list tbody tr.mud-table-row")));
        await cut.InvokeAsync(() => cut.Find("#assignment-list tbody tr.mud-table-row td").Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#resolve-result")));
        cut.Find("#resolve-result").Change("已落实安置，信访人签署息诉罢访承诺书");

        await cut.InvokeAsync(() => cut.Find("#resolve-submit").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("确认该包案已息诉罢访（已化解）？", dialogs.Markup));
        var cancel = dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消");
        await dialogs.InvokeAsync(() => cancel.Click());

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("确认该包案已息诉罢访", dialogs.Markup));
        await using var db = _db.CreateDbContext();
        Assert.Null((await db.LeaderAssignments.SingleAsync(a => a.Id == id, Ct)).ResolvedOn);
    }

    [Fact]
    public async Task MyAssignments_ForAUserWithoutALeader_SaysSo()
    {
        _user.Current = FixedCurrentUser.For("小刘", [Roles.Leader]);

        var cut = Render<MyAssignmentsPage>();

        cut.WaitForAssertion(() => Assert.Contains("未关联包案领导", cut.Find("#no-leader").TextContent));
    }
}
