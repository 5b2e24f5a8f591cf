using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Features;
using PetitionDashboard.Tests.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Cluster;

/// <summary>
/// Two app nodes on one PostgreSQL database, as a bureau deploys them behind nginx (docs/deploy.md): what a user does on
/// node A holds on node B. Both hosts share the browser of <see cref="BrowserFixture"/>; a browser keeps cookies per host
/// name, not per port, so a page signed in on A sends the same cookie to B — exactly what the proxy does.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TwoNodeTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodes_OneDatabase_SignInAssignmentAndDownloadCarryOver()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var a = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        await using var b = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        var data = await AssignmentDemo.SeedAsync(database, clock, Ct);

        // Signed in on A: B accepts the same cookie (one key ring in the database, one application name).
        var officer = await fixture.SignedInPageAsync(Roles.DutyOfficer, a, leaderId: data.Zhang);
        await officer.GotoAsync(new Uri(b.BaseUrl, $"assignments?case={data.FreeCase}").ToString());
        Assert.DoesNotContain("/account/login", officer.Url, StringComparison.Ordinal);
        Assert.StartsWith(b.BaseUrl.ToString(), officer.Url, StringComparison.Ordinal);
        await BrowserFixture.WaitForCircuitAsync(officer, "#case-assignment-panel");
        await Assertions.Expect(officer.Locator("#case-assignment-panel")).ToContainTextAsync("未包案");

        // The 包案 is assigned on A …
        await officer.GotoAsync(new Uri(a.BaseUrl, $"assignments?case={data.FreeCase}").ToString());
        await BrowserFixture.WaitForCircuitAsync(officer, "#case-assignment-panel");
        await officer.Locator("[data-testid=assign-button]").ClickAsync();
        await Assertions.Expect(officer.Locator("#assign-deadline")).ToContainTextAsync("化解期限：2026-06-22");
        await officer.Locator("#assign-leader").ClickAsync();
        var option = officer.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "张三（副市长）" });
        await Assertions.Expect(option).ToContainTextAsync("在办 3");
        await option.ClickAsync();
        await Assertions.Expect(officer.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await officer.Locator("#assign-responsible").FillAsync("赵六");
        await officer.Locator("#assign-stability").FillAsync("社区书记钱七");
        await officer.Locator("#assign-plan").FillAsync("约谈开发商，督促限期交房");
        await Assertions.Expect(officer.Locator("#assign-responsible")).ToHaveValueAsync("赵六");
        await officer.Locator("#assign-submit").ClickAsync();
        await Assertions.Expect(officer.Locator(".mud-snackbar")).ToContainTextAsync("已交 张三（副市长）包案");

        // … and the leader, signed in on A, finds it in 我的包案 on B.
        var leader = await fixture.SignedInPageAsync(Roles.Leader, a);
        await leader.GotoAsync(new Uri(b.BaseUrl, "assignments/mine").ToString());
        await BrowserFixture.WaitForCircuitAsync(leader, "#assignment-list tbody tr.mud-table-row");
        await Assertions.Expect(leader.Locator("#assignment-list")).ToContainTextAsync(data.FreeCase);
        await BrowserFixture.ScreenshotAsync(leader, "two-nodes-mine-on-b");

        // A report prepared on A (larger than one chunk) downloads from B, for its owner only.
        var supervisor = await fixture.SignedInPageAsync(Roles.Supervisor, a);
        var week = IsoWeek.Of(new DateOnly(2026, 3, 9));
        var bytes = new byte[PreparedDownloads.ChunkSize * 2 + 12345];
        new Random(11).NextBytes(bytes);
        var downloadsOnA = a.Services.GetRequiredService<PreparedDownloads>();
        var file = downloadsOnA.Reserve(BrowserFixture.UserNameFor(Roles.Supervisor), ReportEndpoints.ReportKind, week.ToString(),
            SupervisionReportExporter.FileName(week));
        await File.WriteAllBytesAsync(file.Path, bytes, Ct);
        await downloadsOnA.PublishAsync(file, Ct);
        Assert.False(File.Exists(file.Path), "the temp file on A is gone once the file is in the database");

        var fromB = await supervisor.APIRequest.GetAsync(new Uri(b.BaseUrl, ReportEndpoints.SupervisionReportUrl(week, file.Id).TrimStart('/')).ToString());
        Assert.Equal((int)HttpStatusCode.OK, fromB.Status);
        Assert.Equal(bytes, await fromB.BodyAsync());
        var byOther = await leader.APIRequest.GetAsync(new Uri(b.BaseUrl, ReportEndpoints.SupervisionReportUrl(week, file.Id).TrimStart('/')).ToString(),
            new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.NotEqual((int)HttpStatusCode.OK, byOther.Status);

        // Closed before the hosts stop, so the lost connections are not console errors of this test.
        foreach (var page in new[] { officer, leader, supervisor }) await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoNodes_RecomputeStartedOnAShowsOnB_WeeklyJobFiredOnBothRunsOnce()
    {
        var clock = TestClock.AtShanghai(2026, 3, 23);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var a = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        await using var b = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        await AssignmentDemo.SeedAsync(database, clock, Ct);
        var onA = a.Services.GetRequiredService<RecomputeCoordinator>();
        var onB = b.Services.GetRequiredService<RecomputeCoordinator>();
        var supervisor = new AccessGuard(FixedCurrentUser.For("督查甲", [Roles.Supervisor]));
        var admin = new AccessGuard(FixedCurrentUser.For("管理员", [Roles.SystemAdmin]));

        // Clicked on A: B shows it queued, and a click on B is told who started it instead of starting another.
        var request = await onA.RequestAsync(supervisor, Ct);
        Assert.True(request.Started);
        Assert.Equal((RecomputeState.Queued, "督查甲"), ((await onB.CurrentAsync(Ct)).State, (await onB.CurrentAsync(Ct)).RequestedBy));
        var second = await onB.RequestAsync(admin, Ct);
        Assert.False(second.Started);
        Assert.Contains("督查甲", second.Status.AlreadyInProgressText, StringComparison.Ordinal);

        // A's job runs it (the hosts run no job server, so the test runs the enqueued job on A): B sees it running, then done.
        var seenOnB = new List<RecomputeState>();
        onA.Changed += s =>
        {
            if (s.State == RecomputeState.Running) seenOnB.Add(onB.CurrentAsync().GetAwaiter().GetResult().State);
        };
        await a.Services.GetRequiredService<WeeklyStatisticsJob>().RunAsync("督查甲", request.Status.RunId, Ct);
        Assert.Contains(RecomputeState.Running, seenOnB);
        var done = await onB.CurrentAsync(Ct);
        Assert.Equal(RecomputeState.Succeeded, done.State);
        Assert.NotEmpty(done.Result!.Recomputed);

        // Monday's job fired on both nodes at once: one run, one set of rows, one audit entry.
        await Task.WhenAll(
            a.Services.GetRequiredService<WeeklyStatisticsJob>().RunAsync(RecomputeCoordinator.ScheduledBy, null, Ct),
            b.Services.GetRequiredService<WeeklyStatisticsJob>().RunAsync(RecomputeCoordinator.ScheduledBy, null, Ct));
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.RecomputeRuns.CountAsync(r => r.RequestedBy == RecomputeCoordinator.ScheduledBy, Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "Recompute" && e.Actor == RecomputeCoordinator.ScheduledBy, Ct));
        var allRowsPerWeek = await db.WeeklyUnitStatistics.Where(s => s.UnitId == null).GroupBy(s => s.WeekMonday)
            .Select(g => g.Count()).ToListAsync(Ct);
        Assert.NotEmpty(allRowsPerWeek);
        Assert.All(allRowsPerWeek, n => Assert.Equal(1, n));
    }

    /// <summary>
    /// Issue 12 goal 6 across nodes: each node reads the database's change counter once per poll, so a petition written
    /// through node A reaches a home page open on node B — its cards in place, its grid behind the bar — without a reload.
    /// </summary>
    [Fact]
    public async Task TwoNodes_APetitionRegisteredOnA_ReachesTheHomePageOnB_CardsAndTheBar()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var a = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        await using var b = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        await AssignmentDemo.SeedAsync(database, clock, Ct);

        var page = await fixture.SignedInPageAsync(Roles.Supervisor, b);
        await page.GotoAsync(b.BaseUrl.ToString());
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-table-body tr a");
        var open = page.Locator("[data-kpi='open'] .kpi-count");
        var before = int.Parse((await open.InnerTextAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var rowsBefore = await page.Locator(".mud-table-body tr a").AllInnerTextsAsync();
        await Assertions.Expect(page.Locator("#live-changes-bar")).ToHaveCountAsync(0);

        // Registered through node A's own data layer (its context factory, its connection to the shared database).
        await using (var ctx = await a.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct))
        {
            var today = new DateOnly(2026, 3, 21);
            var p = TestData.PetitionRow("LC2026-NODE-A", today, PetitionState.Registered,
                unitId: await ctx.Units.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(Ct), petitionerNames: "李娜");
            p.CurrentDueDate = today.AddDays(15);
            ctx.Petitions.Add(p);
            await ctx.SaveChangesAsync(Ct);
        }

        // Node B's next poll: the card counts it, the bar offers it, the rows on screen stay where they were until clicked.
        await Assertions.Expect(open).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid='live-refresh']")).ToHaveTextAsync("有 1 条新变化，点击刷新");
        Assert.Equal(rowsBefore, await page.Locator(".mud-table-body tr a").AllInnerTextsAsync());
        await page.Locator("[data-testid='live-refresh']").ClickAsync();
        await Assertions.Expect(page.Locator("#live-changes-bar")).ToHaveCountAsync(0);

        // Closed before the hosts stop, so the lost connection is not a console error of this test.
        await page.Context.CloseAsync();
    }
}
