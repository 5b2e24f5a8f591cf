using System.Net;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Audit;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// 审计管理员 "reads and exports the audit trail" (issue 13, 等保 security audit): the export is a POST with the antiforgery
/// token that prepares the filtered trail and answers with a GET of the file; it is refused on the server to every role the
/// Policies table does not let export; a Supervisor's file leaves out the administrators' and the system's rows like his page
/// does; personal numbers are masked; the export itself is in the trail. One case per role.
/// </summary>
[Collection(Browser.AppCollection.Name)]
public class AuditExportTests(SecuredAppFactory app)
{
    private const string ClearId = "110101199003071234", ClearPhone = "13812345678";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Identities => new([AnonymousName, .. Roles.All]);

    private const string AnonymousName = "anonymous";

    [Theory]
    [MemberData(nameof(Identities))]
    public async Task TheExport_AnswersEachRoleAsThePolicyTableSays_WithTheRowsThatRoleMayRead(string identity)
    {
        var role = identity == AnonymousName ? null : identity;
        using var client = await app.ClientForAsync(role);
        await SeedRowsAsync();
        var exportsBefore = (await ExportsAsync()).Count;
        var token = SecuredAppFactory.HiddenFields(await client.GetStringAsync(role is null ? "/account/login" : "/account/change-password", Ct))
            ["__RequestVerificationToken"];

        var posted = await client.PostAsync(AuditEndpoints.ExportPath, Form(token, person: null), Ct);

        if (role is null)
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.StartsWith("/account/login", new Uri(new Uri("http://localhost/"), posted.Headers.Location!).AbsolutePath);
            Assert.Equal(exportsBefore, (await ExportsAsync()).Count);
            return;
        }
        if (role is not (Roles.Supervisor or Roles.AuditAdmin))
        {
            Assert.True(posted.StatusCode is HttpStatusCode.Forbidden
                        || (posted.StatusCode == HttpStatusCode.Redirect && posted.Headers.Location!.OriginalString.Contains("/account/access-denied")),
                $"{role}: {(int)posted.StatusCode}");
            Assert.Equal(exportsBefore, (await ExportsAsync()).Count);
            return;
        }

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var location = posted.Headers.Location!.OriginalString;
        Assert.StartsWith(AuditEndpoints.ExportPath + "/", location);
        var recorded = await ExportsAsync();
        Assert.Equal(exportsBefore + 1, recorded.Count);
        Assert.Contains(recorded, e => e.Actor == SecuredAppFactory.UserNameFor(role) && e.Detail!.StartsWith("审计日志"));

        var download = await client.GetAsync(location, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(recorded.Count, (await ExportsAsync()).Count); // the GET wrote nothing
        var cells = await CellsAsync(download);

        // Masked only: the legacy row that stored a number in clear is exported masked, like the page shows it.
        Assert.Contains("110101********1234", cells);
        Assert.Contains("138****5678", cells);
        Assert.DoesNotContain(cells, c => c.Contains(ClearId) || c.Contains(ClearPhone));
        // 三员分立: the administrators' and the system's rows only in the audit administrator's file.
        var administratorsRows = cells.Any(c => c.Contains("（u-systemadmin）") || c.Contains("（u-securityadmin）"));
        var systemRows = cells.Contains(AuditActorAccessor.SystemActor);
        Assert.Equal((role == Roles.AuditAdmin, role == Roles.AuditAdmin), (administratorsRows, systemRows));
        Assert.Contains(cells, c => c.Contains("（u-supervisor）"));

        // The file is this user's alone.
        using var other = await app.ClientForAsync(role == Roles.AuditAdmin ? Roles.Supervisor : Roles.AuditAdmin);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location, Ct)).StatusCode);
    }

    [Fact]
    public async Task TheExport_FollowsThePagesFilter_AndAPostWithoutTheTokenExportsNothing()
    {
        using var auditor = await app.ClientForAsync(Roles.AuditAdmin);
        await SeedRowsAsync();
        var before = (await ExportsAsync()).Count;

        var forged = await auditor.PostAsync(AuditEndpoints.ExportPath, Form(token: null, person: "u-supervisor"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, (await ExportsAsync()).Count);

        var token = SecuredAppFactory.HiddenFields(await auditor.GetStringAsync("/account/change-password", Ct))["__RequestVerificationToken"];
        var posted = await auditor.PostAsync(AuditEndpoints.ExportPath, Form(token, person: "u-supervisor"), Ct);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var cells = await CellsAsync(await auditor.GetAsync(posted.Headers.Location!.OriginalString, Ct));
        Assert.Contains(cells, c => c.Contains("（u-supervisor）"));
        Assert.DoesNotContain(cells, c => c.Contains("（u-auditadmin）") || c.Contains("（u-systemadmin）"));
        Assert.Contains(cells, c => c.Contains("操作人含“u-supervisor”"));
    }

    private static FormUrlEncodedContent Form(string? token, string? person)
    {
        var fields = new Dictionary<string, string> { ["person"] = person ?? "", ["caseNumber"] = "", ["action"] = "", ["from"] = "", ["to"] = "" };
        if (token is not null) fields["__RequestVerificationToken"] = token;
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>Rows of every kind of actor (sign-ins of every role happen as the tests sign in): an administrator's, the
    /// system's, and a Supervisor's legacy row that stored a number in clear.</summary>
    private async Task SeedRowsAsync()
    {
        foreach (var role in new[] { Roles.SystemAdmin, Roles.SecurityAdmin, Roles.Supervisor }) (await app.ClientForAsync(role)).Dispose();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActions.Recompute, detail: "测试：系统的记录", ct: Ct);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        if (await db.AuditEntries.AnyAsync(a => a.Detail == "测试：旧记录", Ct)) return;
        db.AuditEntries.Add(AuditEntry.Create(DateTime.UtcNow, SecuredAppFactory.UserNameFor(Roles.Supervisor), AuditActions.Update, nameof(Petitioner),
            "1", field: nameof(Petitioner.IdNumber), oldValue: null, newValue: ClearId, detail: "测试：旧记录"));
        db.AuditEntries.Add(AuditEntry.Create(DateTime.UtcNow, SecuredAppFactory.UserNameFor(Roles.Supervisor), AuditActions.Update, nameof(Petitioner),
            "1", field: nameof(Petitioner.Phone), oldValue: null, newValue: ClearPhone, detail: "测试：旧记录"));
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<AuditEntry>> ExportsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.Export && a.Detail!.StartsWith("审计日志")).ToListAsync(Ct);
    }

    private static async Task<List<string>> CellsAsync(HttpResponseMessage download)
    {
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var stream = new MemoryStream(await download.Content.ReadAsByteArrayAsync(Ct));
        using var wb = new XLWorkbook(stream);
        var sheet = wb.Worksheet(AuditTrailWorkbook.SheetName);
        return sheet.CellsUsed().Select(c => c.GetFormattedString()).ToList();
    }
}
