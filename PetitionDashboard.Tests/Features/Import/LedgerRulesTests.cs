using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Ledger rules that had no test (issue 17): the header aliases not covered elsewhere, the order of 受理 / 答复 / 办结 in
/// a row, and the 简易办理 reply deadline of an imported row — each with literal expected values.
/// </summary>
public class LedgerRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The 8 aliases of Import:HeaderAliases that TitleRows_HeaderAliases_AndUnknownColumns_AreHandled does not use.</summary>
    [Theory]
    [InlineData("姓名", C.Petitioners, "赵六")]
    [InlineData("证件号码", C.IdNumbers, "361102198001011236")]
    [InlineData("手机号码", C.Phones, "13900009999")]
    [InlineData("信访人数", C.PeopleCount, "3")]
    [InlineData("概况", C.Demand, "反映噪声扰民")]
    [InlineData("主要诉求", C.Demand, "要求赔偿损失")]
    [InlineData("办结时间", C.ClosedOn, "2026-11-20")]
    [InlineData("关联件编号", C.OriginalCaseNumber, "XF-1")]
    public async Task HeaderAlias_IsReadAsItsColumn(string alias, string column, string value)
    {
        await using var w = await ImportWorld.CreateAsync();
        var headers = C.All.Select(h => h == column ? alias : h).ToArray();
        var ledger = new LedgerFile().Headers(headers)
            .Row("XF-1", (C.AcceptedOn, "2026-11-03"), (C.RepliedOn, "2026-11-10"), (C.ReplyResult, "支持"),
                (alias, FirstRowValue(column)))
            .Row("XF-2", (alias, value), (C.AcceptedOn, "2026-11-03"), (C.RepliedOn, "2026-11-10"), (C.ReplyResult, "支持"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Empty(result.UnknownColumns);
        await using var db = await w.Db.CreateDbContextAsync(Ct);
        var p = await db.Petitions.Include(x => x.Petitioners).ThenInclude(x => x.Petitioner).SingleAsync(x => x.CaseNumber == "XF-2", Ct);
        var person = p.Petitioners.Single().Petitioner;
        switch (column)
        {
            case C.Petitioners: Assert.Equal("赵六", person.Name); break;
            case C.IdNumbers: Assert.Equal("361102198001011236", TestPersonalData.Protector.Reveal(person.IdNumber)); break;
            case C.Phones: Assert.Equal("13900009999", TestPersonalData.Protector.Reveal(person.Phone)); break;
            case C.PeopleCount: Assert.Equal(3, p.PeopleCount); break;
            case C.Demand: Assert.Equal(value, p.Demand); break;
            case C.ClosedOn: Assert.Equal((PetitionState.Closed, new DateOnly(2026, 11, 20)), (p.State, p.FinishedOn)); break;
            case C.OriginalCaseNumber:
                var first = await db.Petitions.SingleAsync(x => x.CaseNumber == "XF-1", Ct);
                Assert.Equal(first.ThreadId, p.ThreadId);
                break;
            default: Assert.Fail($"no check for {column}"); break;
        }
    }

    /// <summary>The first row's value under the aliased header: what <see cref="LedgerFile.Row"/> puts in a required column.</summary>
    private static object? FirstRowValue(string column) => column switch
    {
        C.Petitioners => "张三",
        C.PeopleCount => 1,
        C.Demand => "要求解决小区路灯损坏问题",
        _ => null,
    };

    [Theory]
    // 答复 before 受理.
    [InlineData("2026-11-10", "2026-11-05", null, C.RepliedOn, "答复日期 2026-11-05 早于受理日期 2026-11-10")]
    // 办结 before 答复.
    [InlineData("2026-11-03", "2026-11-10", "2026-11-06", C.ClosedOn, "办结日期 2026-11-06 早于答复日期 2026-11-10")]
    // 答复 without 受理, 办结 without 答复.
    [InlineData(null, "2026-11-10", null, C.RepliedOn, "有答复日期时须填写受理日期（先受理、后答复）")]
    [InlineData("2026-11-03", null, "2026-11-20", C.ClosedOn, "有办结日期时须填写答复日期（答复后才能办结）")]
    public async Task StepsOutOfOrder_AreRefused_NamingTheColumn_AndNothingIsWritten(
        string? accepted, string? replied, string? closed, string column, string reason)
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile().Row("XF-1", (C.AcceptedOn, accepted), (C.RepliedOn, replied), (C.ClosedOn, closed),
            (C.ReplyResult, replied is null ? null : "支持"));

        var result = await w.ImportAsync(ledger);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Row == 2 && e.Column == column && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
    }

    [Fact]
    public async Task SimpleProcedure_Imported_IsDueTenWorkingDaysAfterAcceptance()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-S", (C.ReceivedOn, "2026-10-30"), (C.AcceptedOn, "2026-11-02"), (C.SimpleProcedure, "是"))
            .Row("XF-N", (C.ReceivedOn, "2026-10-08"), (C.AcceptedOn, "2026-10-09"), (C.SimpleProcedure, "否"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        await using var db = await w.Db.CreateDbContextAsync(Ct);
        var due = await db.Petitions.OrderBy(p => p.CaseNumber).Select(p => new { p.CaseNumber, p.SimpleProcedure, p.CurrentDueDate }).ToListAsync(Ct);
        // 简易办理: accepted Mon 2026-11-02 + 10 working days (no holiday in November 2026):
        // 11-03…11-06 (4), 11-09…11-13 (9), Mon 11-16 (10) → 2026-11-16.
        // Not simple: accepted Fri 2026-10-09 + 60 calendar days: 10-31 is +22, 11-30 is +52, Tue 12-08 is +60 → 2026-12-08.
        Assert.Equal(("XF-N", false, (DateOnly?)new DateOnly(2026, 12, 8)), (due[0].CaseNumber, due[0].SimpleProcedure, due[0].CurrentDueDate));
        Assert.Equal(("XF-S", true, (DateOnly?)new DateOnly(2026, 11, 16)), (due[1].CaseNumber, due[1].SimpleProcedure, due[1].CurrentDueDate));
    }
}
