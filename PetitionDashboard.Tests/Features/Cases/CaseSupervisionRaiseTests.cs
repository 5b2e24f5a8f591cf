using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Cases.Pages;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Cases;

/// <summary>A supervisor raises the 督办 level of an open case by hand from the case page (docs/rules.md §5).</summary>
public sealed class CaseSupervisionRaiseTests : ComponentTestContext, IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = new TestData(new DateOnly(2026, 3, 2));
        data.Petition("XF-RAISE-1").ReceivedOn(new(2026, 2, 26));
        await data.SaveAsync(_db, Xunit.TestContext.Current.CancellationToken);
        Services.AddSingleton(data.Deadlines);
        Services.AddSingleton<TimeProvider>(data.Clock());
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(_ => _db);
        Services.AddLogging();
        this.SignIn(Roles.Supervisor);
        Services.AddScoped<CaseService>().AddScoped<SupervisionService>().AddScoped<SupervisionDailyJob>();
        Services.AddOptions();
        Services.AddScoped<CaseHandlingService>();
        Services.AddScoped<PetitionDashboard.Features.Instructions.InstructionService>(); // the 领导批示 panel
        Services.AddScoped<PetitionDashboard.Features.Risk.RiskService>(); // the 初转重风险 panel
        Services.AddScoped<PetitionDashboard.Features.Cases.CaseReceptionsQuery>(); // the 领导接访 panel
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Supervisor_RaisesTheLevelWithAReason_AndTheTimelineShowsIt()
    {
        RenderPopoverProvider();
        // The page as its circuit renders it (reads for itself; the prerender's carry is the browser tests' part).
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var cut = Render<CasePage>(p => p.Add(x => x.CaseNumber, "XF-RAISE-1"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#raise-supervision")));

        cut.Find("#raise-note").Change("群众多次来电，提级督办");
        await cut.Find("#raise-submit").ClickAsync(new());

        // The first level above the current one is offered by default: 无 → 催办.
        cut.WaitForAssertion(() => Assert.Contains("催办（人工提升）", cut.Markup), TimeSpan.FromSeconds(5));
        Assert.Contains("无 → 催办", cut.Markup);
        await using var ctx = _db.CreateDbContext();
        var p = await ctx.Petitions.SingleAsync(x => x.CaseNumber == "XF-RAISE-1", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal((SupervisionLevel.Urge, true), (p.Supervision, p.SupervisionRaisedByHand));
    }
}
