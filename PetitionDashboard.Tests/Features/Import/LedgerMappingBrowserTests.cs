using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Browser;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// In Chromium against the app on 127.0.0.1: a duty officer imports a ledger whose 来源方式 header the format does not know —
/// the page shows it with its sample values, the officer maps it to 信访形式, sees the first rows as they will be read, saves
/// the mapping as 省信访信息系统导出 and imports; a second ledger with the same headers is then imported through that profile
/// without the page asking. Screenshot: artifacts/screenshots/import-mapping-step.png (1440 px).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LedgerMappingBrowserTests(BrowserFixture fixture)
{
    private static string[] Headers => [.. C.All.Select(h => h == C.Form ? "来源方式" : h)];

    private static LedgerFile Ledger(params string[] caseNumbers)
    {
        var file = new LedgerFile().Headers(Headers).Titles("省信访信息系统导出 信访件台账");
        foreach (var n in caseNumbers)
            file.Row(n, ("来源方式", "来访"), (C.ReceivedOn, "2026.11.20"), (C.Unit, "映射测试区"), (C.Locality, "映射测试区"));
        return file;
    }

    [Fact]
    public async Task AnUnknownHeader_IsMappedOnThePage_SavedAsAProfile_AndUsedAgainWithoutAsking()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        await using (var db = await host.Database.CreateDbContextAsync(ct))
        {
            db.Units.Add(new Unit { Name = "映射测试区", Kind = UnitKind.County });
            await db.SaveChangesAsync(ct);
        }
        var first = Ledger("MAP-001", "MAP-002").Save(Path.Combine(Artifacts.Root, "ledger-mapping-first.xlsx"));
        var second = Ledger("MAP-003").Save(Path.Combine(Artifacts.Root, "ledger-mapping-second.xlsx"));

        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        await page.GotoAsync("/import");
        await BrowserFixture.WaitForCircuitAsync(page, "#alias-table");
        await page.SetInputFilesAsync("#ledger-file", first);

        var step = page.Locator("#mapping-step");
        await step.WaitForAsync(new() { Timeout = 60000 });
        var header = page.Locator("#mapping-table tbody tr");
        await Assertions.Expect(header).ToHaveCountAsync(1);
        await Assertions.Expect(header.Locator("td").Nth(0)).ToHaveTextAsync("来源方式");
        await Assertions.Expect(header.Locator("td").Nth(1)).ToHaveTextAsync("来访；来访");
        await Assertions.Expect(page.Locator("#mapping-problems")).ToContainTextAsync("缺少必填列：信访形式");
        await Assertions.Expect(page.Locator("#mapping-preview thead")).Not.ToContainTextAsync("信访形式");

        await page.Locator("#map-0").SelectOptionAsync(C.Form);
        await Assertions.Expect(page.Locator("#mapping-preview thead")).ToContainTextAsync("信访形式");
        await Assertions.Expect(page.Locator("#mapping-problems")).ToHaveCountAsync(0);
        var firstRow = page.Locator("#mapping-preview tbody tr").First.Locator("td");
        await Assertions.Expect(firstRow.Nth(0)).ToHaveTextAsync("3");          // the title row above the header
        await Assertions.Expect(firstRow.Nth(2)).ToHaveTextAsync("2026-11-20"); // 登记日期 as read from 2026.11.20
        await Assertions.Expect(firstRow.Nth(3)).ToHaveTextAsync("来访");
        await page.Locator("#mapping-step input[type=text]").FillAsync("省信访信息系统导出");
        await Assertions.Expect(page.Locator("#map-import")).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "import-mapping-step");
        await page.Locator("#map-import").ClickAsync();

        await page.Locator("#import-done").WaitForAsync(new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("新增 2 件");
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("按列对应方案“省信访信息系统导出”读取");
        await Assertions.Expect(page.Locator("#profile-list")).ToHaveTextAsync("省信访信息系统导出");

        // The same header set again: the saved profile reads it, nothing is asked.
        await page.SetInputFilesAsync("#ledger-file", second);
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("新增 1 件", new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("按列对应方案“省信访信息系统导出”读取");
        await Assertions.Expect(step).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "import-mapping-reused");

        await using (var db = await host.Database.CreateDbContextAsync(ct))
        {
            var forms = await db.Petitions.Where(p => p.CaseNumber.StartsWith("MAP-")).OrderBy(p => p.CaseNumber).Select(p => p.Form).ToListAsync(ct);
            Assert.Equal([PetitionForm.Visit, PetitionForm.Visit, PetitionForm.Visit], forms);
            var profile = await db.LedgerProfiles.SingleAsync(ct);
            Assert.Equal("省信访信息系统导出", profile.Name);
            Assert.Contains("\"来源方式\":\"信访形式\"", profile.Mapping);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Entity == nameof(LedgerProfile) && a.Action == "Create", ct));
        }
        await page.Context.CloseAsync();
    }
}
