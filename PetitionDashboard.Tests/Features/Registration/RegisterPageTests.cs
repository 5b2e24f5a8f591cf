using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Registration.Pages;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Tests.Features.Repeats;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Registration;

/// <summary>The candidate list beside the registration form (bUnit, real services over a temporary database).</summary>
public sealed class RegisterPageTests : ComponentTestContext, IAsyncLifetime
{
    private RepeatWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await CreateAsync();
        Services.AddSingleton<TimeProvider>(_world.Clock);
        Services.AddSingleton(_world.Registration);
        Services.AddSingleton(_world.User);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task CandidateList_ShowsPercentReasonsAndMasksForOtherRoles()
    {
        var first = await _world.RegisterNewAsync(_world.Draft(receivedOn: Today.AddDays(-40)));
        var candidates = await _world.Registration.CandidatesAsync(_world.Draft(demand: "要求补发、拖欠的工钱。"), Xunit.TestContext.Current.CancellationToken);
        RepeatCandidate? chosen = null;

        var cut = Render<RepeatCandidateList>(p => p
            .Add(x => x.Candidates, candidates)
            .Add(x => x.MaskPersonalData, true)
            .Add(x => x.HasIdentity, true)
            .Add(x => x.OnRepeatOf, c => chosen = c));

        var card = cut.Find("[data-testid=candidate]");
        Assert.Equal(first.CaseNumber, card.GetAttribute("data-case"));
        Assert.Equal("相似度 50%", card.QuerySelector("[data-testid=similarity]")!.TextContent.Trim());
        var reasons = card.QuerySelectorAll("ul.reasons li").Select(li => li.TextContent).ToList();
        Assert.Equal(["同一身份证号 110105********002X（张三）", "同一问题属地、同一一级分类（临川区·劳动和社会保障）", "诉求相似度 50%（≥ 50%）"], reasons);
        Assert.DoesNotContain(IdZhang, cut.Markup);

        cut.Find("[data-testid=choose-repeat]").Click();
        Assert.Equal(first.PetitionId, chosen?.PetitionId);
    }

    [Fact]
    public async Task CandidateList_UnmaskedForDutyOfficers_AndBelowThresholdIsAHandLink()
    {
        await _world.RegisterNewAsync(_world.Draft(receivedOn: Today.AddDays(-40)));
        var candidates = await _world.Registration.CandidatesAsync(_world.Draft(demand: "要求补发，拖欠的 工钱啊！"), Xunit.TestContext.Current.CancellationToken);

        var cut = Render<RepeatCandidateList>(p => p.Add(x => x.Candidates, candidates).Add(x => x.MaskPersonalData, false));

        Assert.Contains($"同一身份证号 {IdZhang}（张三）", cut.Markup);
        Assert.Equal("相似度 46%", cut.Find("[data-testid=similarity]").TextContent.Trim());
        Assert.Contains("诉求相似度 46%（低于 50%，仅可人工认定）", cut.Markup);
        Assert.Equal("人工认定为此件的重复件", cut.Find("[data-testid=choose-repeat]").TextContent.Trim());
    }

    [Fact]
    public void CandidateList_WithoutCandidates_SaysWhatItNeeds()
    {
        var cut = Render<RepeatCandidateList>(p => p.Add(x => x.HasIdentity, false));
        Assert.Contains("填写信访人身份证号（或姓名+电话）、问题属地和分类后，自动查找重复件", cut.Find("[data-testid=no-candidates]").TextContent);
    }

    [Fact]
    public async Task RegisterPage_TypingShowsTheCandidate_ChoosingItSavesARepeat()
    {
        var first = await _world.RegisterNewAsync(_world.Draft(receivedOn: Today.AddDays(-40)));
        var auth = AddAuthorization();
        auth.SetAuthorized("duty1").SetRoles(Roles.DutyOfficer);
        var providers = RenderPopoverProvider();

        var cut = Render<RegisterPage>();
        cut.Find("input[data-testid=name]").Input("张三");
        cut.Find("input[data-testid=id-number]").Input("11010519491231002x");
        Pick(cut, providers, "locality", Locality);
        Pick(cut, providers, "category", RepeatWorld.Category);
        cut.Find("textarea[data-testid=demand]").Input("要求补发、拖欠的工钱。");

        cut.WaitForAssertion(() => Assert.Equal(first.CaseNumber, cut.Find("[data-testid=candidate]").GetAttribute("data-case")));
        // Pages show ID numbers masked, even to a duty officer (full numbers only through the audited reveal, §10).
        Assert.Contains("同一身份证号 110105********002X（张三）", cut.Markup);
        Assert.DoesNotContain(IdZhang, cut.Find("[data-testid=repeat-candidates]").TextContent);

        // Saving before deciding is refused, naming the rule.
        Pick(cut, providers, "form", PetitionForm.Visit.ToChinese());
        Pick(cut, providers, "unit", Locality);
        cut.Find("[data-testid=save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("重复件判定：发现 1 条疑似重复的信访事项链", cut.Find("[data-testid=errors]").TextContent));

        cut.Find("[data-testid=choose-repeat]").Click();
        cut.Find("[data-testid=save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("LC2026112300002（重件）", cut.Find("[data-testid=saved]").TextContent.Replace(" ", "")));

        await using var ctx = _world.Db.CreateDbContext();
        var saved = await ctx.Petitions.SingleAsync(p => p.CaseNumber == "LC2026112300002", Xunit.TestContext.Current.CancellationToken);
        Assert.True(saved.IsRepeat);
        Assert.Equal(first.ThreadId, saved.ThreadId);
    }

    /// <summary>Opens a MudSelect by its data-testid and clicks the item with the given text.</summary>
    private static void Pick(IRenderedComponent<RegisterPage> cut, IRenderedComponent<MudPopoverProvider> providers, string testId, string text)
    {
        cut.Find($"input[data-testid={testId}]").Closest("div.mud-input-control")!.MouseDown();
        providers.WaitForAssertion(() => Assert.Contains(providers.FindAll(".mud-list-item"), e => e.TextContent.Trim() == text));
        providers.FindAll(".mud-list-item").First(e => e.TextContent.Trim() == text).Click();
    }
}
