using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Issue 14, item 7: a Leader reads on a phone. At 390 px the home page (with its 超期未反馈 card), 我的包案, 我的批示 and the
/// case page do not scroll sideways as a whole — a wide grid scrolls inside its own box or turns into cards. Screenshots at
/// 390 and 1440 px: artifacts/screenshots/phone-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PhoneBrowserTests(BrowserFixture fixture)
{
    private const string NoSidewaysScroll = "() => document.scrollingElement.scrollWidth <= window.innerWidth";

    [Fact]
    public async Task LeadersPages_DoNotScrollSideways_At390Px()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = await AssignmentDemo.SeedAsync(host.Database, clock, ct);
        await SeedInstructionsAsync(host, data, clock.Today(), ct);
        var page = await fixture.SignedInPageAsync(Roles.Leader, host, leaderId: data.Zhang);

        var pages = new (string Name, string Url, string Ready)[]
        {
            ("home", "/", "#overdue-instructions"),
            ("my-assignments", "/assignments/mine", "#assignment-list tbody tr.mud-table-row"),
            ("my-instructions", "/instructions/mine", "#my-instructions .instruction-card"),
            ("case", $"/cases/{data.RelapsedCase}", "#case-instructions .instruction-card"),
        };
        foreach (var (name, url, ready) in pages)
        {
            await page.SetViewportSizeAsync(1440, 900);
            await page.GotoAsync(url);
            await BrowserFixture.WaitForCircuitAsync(page, ready);
            await BrowserFixture.ScreenshotAsync(page, $"phone-{name}-1440");
            await BrowserFixture.PhoneWidthAsync(page);
            await BrowserFixture.ScreenshotAsync(page, $"phone-{name}-390");
            var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
            Assert.True(await page.EvaluateAsync<bool>(NoSidewaysScroll), $"{url} is {widths[0]} px wide in a {widths[1]} px window");
        }
        await page.Context.CloseAsync();
    }

    /// <summary>Two 批示 of 张 on the relapsed case: one 超期未反馈 (the home page's card), one answered late by a long-named unit.</summary>
    private static async Task SeedInstructionsAsync(AppHost host, AssignmentDemo data, DateOnly today, CancellationToken ct)
    {
        await using var db = await host.Database.CreateDbContextAsync(ct);
        var petition = await db.Petitions.SingleAsync(p => p.CaseNumber == data.RelapsedCase, ct);
        var unit = new Unit { Name = "临川市住房和城乡建设局房屋征收与补偿管理办公室", Kind = UnitKind.CityDepartment };
        db.Units.Add(unit);
        db.LeaderInstructions.Add(new LeaderInstruction
        {
            PetitionId = petition.Id, ThreadId = petition.ThreadId, LeaderId = data.Zhang, WrittenBy = "张", Important = true,
            Text = "此事反映多次，请主要负责同志亲自过问，两单位加强协调、避免推诿，限期化解并反馈。",
            WrittenOn = today.AddDays(-30), WrittenAtUtc = BusinessTime.StartOfDayUtc(today.AddDays(-30)).AddHours(10), DueOn = today.AddDays(-10),
            Units = [new InstructionUnit { UnitId = petition.UnitId }],
        });
        db.LeaderInstructions.Add(new LeaderInstruction
        {
            PetitionId = petition.Id, LeaderId = data.Zhang, WrittenBy = "张", Text = "请查明拖延原因，督促尽快办理，反馈整改情况。",
            WrittenOn = today.AddDays(-20), WrittenAtUtc = BusinessTime.StartOfDayUtc(today.AddDays(-20)).AddHours(10), DueOn = today.AddDays(-8),
            Units =
            [
                new InstructionUnit
                {
                    Unit = unit, RespondedOn = today.AddDays(-3), ResponseText = "已召开协调会，明确责任分工，补偿款已于本月足额发放到位。",
                    AttachmentName = "临川市住房和城乡建设局关于落实领导批示情况的报告（第二次）.pdf", RecordedBy = "值班", RecordedAtUtc = DateTime.UtcNow,
                },
            ],
        });
        await db.SaveChangesAsync(ct);
    }
}
