using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>A petition registered here meets the national ledger through its 外部编号 (docs/rules.md §7).</summary>
public sealed class ExternalNumberImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALedgerRowCarryingTheExternalNumber_UpdatesThatPetition_KeepsItsOwnNumber_AndSaysSo()
    {
        await using var w = await ImportWorld.CreateAsync();
        // The petition as registration leaves it: the app's own LC number, the national number as 外部编号.
        Assert.True((await w.ImportAsync(new LedgerFile().Row("TMP-1", (C.ReceivedOn, "2026-09-01")))).Succeeded);
        await using (var db = await w.Db.CreateDbContextAsync(Ct))
        {
            var registered = await db.Petitions.SingleAsync(Ct);
            registered.CaseNumber = "LC202609010001";
            registered.ExternalNumber = "36010020260901007";
            await db.SaveChangesAsync(Ct);
        }

        var result = await w.ImportAsync(new LedgerFile()
            .Row("36010020260901007", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20"), (C.ReplyResult, "支持")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal((0, 1), (result.Added, result.Updated));
        Assert.Equal(["36010020260901007 → LC202609010001"], result.ByExternalNumber);
        Assert.Contains("按外部编号匹配到本系统登记的信访件 1 件（36010020260901007 → LC202609010001），已更新该件，未新增", result.Summary);
        await using var check = await w.Db.CreateDbContextAsync(Ct);
        var p = await check.Petitions.Include(x => x.Events).SingleAsync(Ct);
        Assert.Equal(("LC202609010001", "36010020260901007", PetitionState.Replied), (p.CaseNumber, p.ExternalNumber, p.State));
        Assert.Contains(p.Events, e => e.ToState == PetitionState.Replied && e.On == new DateOnly(2026, 10, 20));
    }
}
