using ClosedXML.Excel;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Audit;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// The audit administrator exports the trail from the audit page: 按当前筛选导出 Excel downloads an .xlsx of the rows the page
/// shows (here: his own sign-in among them), and the page stays where it was.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditExportBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheAuditAdministrator_ExportsTheFilteredTrail_FromTheAuditPage()
    {
        var page = await fixture.SignedInPageAsync(Roles.AuditAdmin);
        await page.GotoAsync("/audit");
        var export = await BrowserFixture.WaitForCircuitAsync(page, "#audit-export");
        await page.GetByLabel("操作人").FillAsync(BrowserFixture.UserNameFor(Roles.AuditAdmin));
        // The form carries the page's filter once the box has taken it (after its debounce).
        await Assertions.Expect(page.Locator("#audit-export-form input[name=person]")).ToHaveValueAsync(BrowserFixture.UserNameFor(Roles.AuditAdmin));
        await Assertions.Expect(page.Locator("tr", new() { HasText = "（" + BrowserFixture.UserNameFor(Roles.AuditAdmin) + "）" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "audit-export");

        var download = await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());

        Assert.StartsWith("审计日志-", download.SuggestedFilename);
        var path = Path.Combine(Artifacts.Root, "audit-export.xlsx");
        await download.SaveAsAsync(path);
        using (var wb = new XLWorkbook(path))
        {
            var sheet = wb.Worksheet(AuditTrailWorkbook.SheetName);
            Assert.Equal("时间", sheet.Cell(3, 1).GetString());
            Assert.Contains("操作人含“u-auditadmin”", sheet.Cell(2, 1).GetString());
            var rows = sheet.RowsUsed().Where(r => r.RowNumber() > 3).ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Contains("（u-auditadmin）", r.Cell(2).GetString()));
            Assert.Contains(rows, r => r.Cell(3).GetString() == "登录");
        }
        Assert.EndsWith("/audit", page.Url);
        await page.Context.CloseAsync();
    }
}
