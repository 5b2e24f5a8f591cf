using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Cases.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Cases;

/// <summary>The case page rendered with bUnit over a real SQLite database.</summary>
public sealed class CasePageTests : ComponentTestContext, IAsyncLifetime
{
    // Friday 20 February 2026: the first petition's deadline ran through the Spring Festival.
    private static readonly DateOnly Today = new(2026, 2, 20);
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = new TestData(Today);
        var first = data.Petition("XF-20260210-01").ReceivedOn(new(2026, 2, 10))
            .By("张三", "110101199003071234", "13812345678").Demand("反映小区电梯长期停运，要求物业限期修复");
        data.Petition("XF-20260218-07").RepeatOf(first).ReceivedOn(new(2026, 2, 18)).By("张三", "110101199003071234", "13812345678");
        data.Assign(first, data.Leader("李秀英", "副市长")).AssignedOn(new(2026, 2, 12)).Responsible("刘洋")
            .Progress(new DateOnly(2026, 2, 13), "包案领导约谈信访人");
        data.Petition("XF-20261220-01").ReceivedOn(new(2026, 12, 20));   // its deadline runs into 2027, which has no calendar
        await data.SaveAsync(_db, Xunit.TestContext.Current.CancellationToken);
        Services.AddSingleton(data.Deadlines);
        Services.AddSingleton<TimeProvider>(data.Clock());
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(_ => _db);
        this.SignIn(Roles.Leader);
        Services.AddScoped<CaseService>();
        Services.AddOptions();
        Services.AddScoped<CaseHandlingService>();
        Services.AddScoped<PetitionDashboard.Features.Instructions.InstructionService>(); // the 领导批示 panel
        Services.AddScoped<PetitionDashboard.Features.Risk.RiskService>(); // the 初转重风险 panel
        Services.AddScoped<PetitionDashboard.Features.Cases.CaseReceptionsQuery>(); // the 领导接访 panel
    }

    [Fact]
    public void HandlingPanel_ForALeader_NamesTheStepsTheLifecycleAllows_ButOffersNoForm()
    {
        var cut = RenderCase("XF-20260210-01");

        var panel = cut.Find("#case-handling");
        Assert.Contains("当前可办理环节：转送、交办、受理、不予受理、不再受理、存档备查、导入法定途径（由值班登记人员按责任单位报送情况记录）", panel.TextContent);
        Assert.Empty(cut.FindAll("#step-choices"));
        Assert.Empty(cut.FindAll("#external-number-edit"));
    }

    [Fact]
    public async Task RiskPanel_ShowsTheScore_ItsReasons_AndTheModel_OrSaysWhyThereIsNone()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        Assert.Contains("尚未训练初转重风险模型", RenderCase("XF-20261220-01").Find("#case-risk").TextContent);

        await using (var db = _db.CreateDbContext())
        {
            var model = new RiskModel
            {
                TrainedBy = "测试", Deployed = true, TrainedAtUtc = new DateTime(2026, 11, 29, 19, 0, 0, DateTimeKind.Utc),
                CutoffOn = new(2026, 5, 4), EvaluatedToOn = new(2026, 8, 31), TrainSamples = 41_000, EvalSamples = 11_000,
                Auc = 0.71, BaselineAuc = 0.66, TopTenPrecision = 0.24, BaselineTopTenPrecision = 0.21, HighThreshold = 0.13,
            };
            db.RiskModels.Add(model);
            await db.SaveChangesAsync(ct);
            var id = await db.Petitions.Where(p => p.CaseNumber == "XF-20261220-01").Select(p => p.Id).SingleAsync(ct);
            db.RiskScores.Add(new RiskScore
            {
                PetitionId = id, Score = 0.31, High = true, ModelId = model.Id, ScoredAtUtc = model.TrainedAtUtc,
                Reasons = "首次办理：尚未作出，已超期 6 天（+9.5 个百分点）\n信访人此前信访事项：1 件（+4.0 个百分点）",
            });
            await db.SaveChangesAsync(ct);
        }

        var panel = RenderCase("XF-20261220-01").Find("#case-risk");
        Assert.Equal("31%", panel.QuerySelector("#case-risk-score")!.TextContent.Trim());
        Assert.Contains("高风险初件", panel.TextContent);
        Assert.Equal(2, panel.QuerySelectorAll("#case-risk-reasons li").Length);
        Assert.Contains("首次办理：尚未作出，已超期 6 天（+9.5 个百分点）", panel.TextContent);
        Assert.Contains("AUC 0.710（基线 0.660）", panel.TextContent);
        Assert.Contains("截止日 2026-05-04", panel.TextContent);
        // A repeat is not scored, and says why.
        Assert.Contains("重件不评分", RenderCase("XF-20260218-07").Find("#case-risk").TextContent);
    }

    private IRenderedComponent<CasePage> RenderCase(string caseNumber)
    {
        RenderPopoverProvider();
        // The page as its circuit renders it (reads for itself; the prerender's carry is the browser tests' part).
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var cut = Render<CasePage>(p => p.Add(x => x.CaseNumber, caseNumber));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")));
        return cut;
    }

    [Fact]
    public void PetitionerIdAndPhone_AreShownMasked_Never_InFull()
    {
        var cut = RenderCase("XF-20260210-01");

        Assert.Equal("110101********1234", cut.Find("[data-testid=id-number]").TextContent.Trim());
        Assert.Equal("138****5678", cut.Find("[data-testid=phone]").TextContent.Trim());
        Assert.DoesNotContain("110101199003071234", cut.Markup);
        Assert.DoesNotContain("13812345678", cut.Markup);
    }

    [Fact]
    public void Deadline_ExplainsItself_WithTheHolidayItCrossed()
    {
        var cut = RenderCase("XF-20260210-01");

        var box = cut.Find("#case-deadline").TextContent;
        Assert.Contains("自 2026-02-10 次日起算 15日，届满日 2026-02-25", box);
        Assert.Contains("春节假期 2026-02-15 至 2026-02-23（9 天）", box);
        Assert.Contains("2026-02-14 调休上班", box);
        Assert.Contains("2026-02-25，剩 5 天", box);
        Assert.Empty(cut.FindAll(".missing-calendar"));
    }

    [Fact]
    public void Deadline_IntoAYearWithoutACalendar_WarnsThatTheYearIsMissing()
    {
        var cut = RenderCase("XF-20261220-01");

        Assert.Contains("2027 年节假日安排尚未录入", cut.Find(".missing-calendar").TextContent);
        // A leader reads the case; raising the 督办 level is the supervisors' action.
        Assert.Empty(cut.FindAll("#raise-supervision"));
    }

    [Fact]
    public void Thread_LinksEachOtherPetitionToItsCasePage_AndShowsTheAssignment()
    {
        var cut = RenderCase("XF-20260218-07");

        var links = cut.FindAll(".case-thread a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("XF-20260210-01", "/cases/XF-20260210-01")], links);
        Assert.Contains("重件（本件）", cut.Find(".case-thread").TextContent);
        var assignment = cut.Find(".case-assignment").TextContent;
        Assert.Contains("李秀英", assignment);
        Assert.Contains("副市长", assignment);
        Assert.Contains("在办", assignment);
        Assert.Contains("2026-05-13", assignment);      // 12 Feb + 90 days
        Assert.Contains("包案领导约谈信访人", assignment);
    }

    [Fact]
    public void Timeline_ShowsTheRegistration()
    {
        var cut = RenderCase("XF-20260210-01");
        Assert.Contains("2026-02-10", cut.Find("#case-timeline").TextContent);
        Assert.Contains("登记", cut.Find("#case-timeline").TextContent);
    }

    [Fact]
    public void UnknownCase_SaysSo()
    {
        var cut = RenderCase("XF-404");
        Assert.Contains("未找到信访编号为“XF-404”的信访件", cut.Find("#case-not-found").TextContent);
    }
}
