using ClosedXML.Excel;
using PetitionDashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

public class LedgerImportTests
{
    private const string Id1 = "361102198001011236";
    private const string Id2 = "361102199003154569";

    [Fact]
    public async Task Import_GoodLedger_StateFromDates_EventsByImportActor_DeadlinesFromCalculator()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-11-02"))
            .Row("XF-2", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.Petitioners, "李四、王五"),
                (C.IdNumbers, $"{Id1}、{Id2}"), (C.Phones, "13900001111、13900002222"), (C.PeopleCount, 2), (C.ExtensionDays, 10))
            .Row("XF-3", (C.ReceivedOn, "2026-06-01"), (C.AcceptedOn, "2026-06-05"), (C.RepliedOn, "2026-07-20"), (C.ClosedOn, "2026-08-25"),
                (C.ReplyResult, "支持"), (C.Evaluation, "满意"), (C.Purpose, "求决"), (C.SimpleProcedure, "否"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal((3, 3, 0, 0), (result.Added, result.Rows, result.Updated, result.Unchanged));
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ps = await db.Petitions.Include(p => p.Events).Include(p => p.Petitioners).ThenInclude(x => x.Petitioner)
            .OrderBy(p => p.CaseNumber).ToListAsync(TestContext.Current.CancellationToken);
        var deadlines = TestRules.Deadlines();

        Assert.Equal(PetitionState.Registered, ps[0].State);
        Assert.Equal(deadlines.FirstDecision(new DateOnly(2026, 11, 2)).Due, ps[0].CurrentDueDate);

        Assert.Equal(PetitionState.InHandling, ps[1].State);
        Assert.Equal(new DateOnly(2026, 9, 10), ps[1].FirstDecisionOn); // §7: for an imported row the first decision is 受理日期
        Assert.Equal(deadlines.Reply(new DateOnly(2026, 9, 10), 10, false).Due, ps[1].CurrentDueDate);
        Assert.Equal(["李四", "王五"], ps[1].Petitioners.Select(x => x.Petitioner.Name).Order());
        // Stored encrypted; the number it holds is the ledger's.
        Assert.Equal(Id2, TestPersonalData.Protector.Reveal(ps[1].Petitioners.Single(x => x.Petitioner.Name == "王五").Petitioner.IdNumber));

        Assert.Equal(PetitionState.Closed, ps[2].State);
        Assert.Equal((ReplyResult.Supported, Evaluation.Satisfied), (ps[2].ReplyResult!.Value, ps[2].Evaluation!.Value));
        Assert.Equal(new DateOnly(2026, 8, 25), ps[2].FinishedOn);
        Assert.Null(ps[2].CurrentDueDate);
        var transitions = ps[2].Events.Where(e => e.Kind == PetitionEventKind.Transition).OrderBy(e => e.Id).Select(e => e.ToState).ToList();
        Assert.Equal([PetitionState.Registered, PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.Closed], transitions);
        Assert.All(ps.SelectMany(p => p.Events), e => Assert.Equal("值班员甲（台账导入）", e.Actor));

        // One audit entry for the file instead of one per inserted field.
        var audit = await db.AuditEntries.ToListAsync(TestContext.Current.CancellationToken);
        var entry = Assert.Single(audit);
        Assert.Equal("Import", entry.Action);
        Assert.Contains("台账.xlsx", entry.Detail);
        Assert.Contains("新增 3 件", entry.Detail);
    }

    [Fact]
    public async Task Reimport_SameFile_ChangesNothing()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-1")
            .Row("XF-2", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-01"), (C.Evaluation, "不满意"))
            .Row("XF-3", (C.ReceivedOn, "2026-11-05"), (C.OriginalCaseNumber, "XF-1"));
        Assert.True((await w.ImportAsync(ledger)).Succeeded);
        var before = await w.CountsAsync();
        var snapshotBefore = await AppDbContextSnapshot.TakeAsync(w.Db);

        var again = await w.ImportAsync(ledger);

        Assert.True(again.Succeeded);
        Assert.Equal((0, 0, 3), (again.Added, again.Updated, again.Unchanged));
        Assert.Equal(before, await w.CountsAsync());
        Assert.Equal(snapshotBefore.Text, (await AppDbContextSnapshot.TakeAsync(w.Db)).Text);
    }

    [Fact]
    public async Task Reimport_WithLaterSteps_AdvancesThePetitionWithEvents()
    {
        await using var w = await ImportWorld.CreateAsync();
        Assert.True((await w.ImportAsync(new LedgerFile().Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10")))).Succeeded);

        var later = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20"), (C.ReplyResult, "解释说明")));

        Assert.True(later.Succeeded, string.Join("\n", later.Errors.Select(e => e.Message)));
        Assert.Equal(1, later.Updated);
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var p = await db.Petitions.Include(x => x.Events).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(PetitionState.Replied, p.State);
        Assert.Equal(ReplyResult.Explained, p.ReplyResult);
        Assert.Contains(p.Events, e => e.ToState == PetitionState.Replied && e.On == new DateOnly(2026, 10, 20));
        Assert.Contains(await db.AuditEntries.ToListAsync(TestContext.Current.CancellationToken),
            a => a.Action == "Import" && a.Detail!.Contains("更新 1 件"));
    }

    [Fact]
    public async Task AReplyWithoutAResult_IsImportedAs未注明_NamedInTheSummary_AndNeverOverwritesAKnownResult()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var first = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20"))
            .Row("XF-2", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20"), (C.ReplyResult, "支持")));

        Assert.True(first.Succeeded, string.Join("\n", first.Errors.Select(e => e.Message)));
        Assert.Equal(["XF-1"], first.UnspecifiedReplies);
        Assert.Contains("1 件有答复日期而未填答复结果，已标注为“未注明”（XF-1），请补填", first.Summary);
        await using (var db = await w.Db.CreateDbContextAsync(ct))
        {
            var results = await db.Petitions.OrderBy(p => p.CaseNumber).Select(p => p.ReplyResult).ToListAsync(ct);
            Assert.Equal([ReplyResult.Unspecified, ReplyResult.Supported], results);
        }
        Assert.Equal("未注明", ReplyResult.Unspecified.ToChinese());

        // The same ledger again with XF-2's result left blank: its 支持 stays, and nothing counts as changed.
        var again = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20"))
            .Row("XF-2", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10"), (C.RepliedOn, "2026-10-20")));
        Assert.True(again.Succeeded);
        Assert.Equal((0, 2), (again.Updated, again.Unchanged));
        await using (var db = await w.Db.CreateDbContextAsync(ct))
            Assert.Equal(ReplyResult.Supported, await db.Petitions.Where(p => p.CaseNumber == "XF-2").Select(p => p.ReplyResult).SingleAsync(ct));
    }

    [Fact]
    public async Task Reimport_ContradictingARecordedStep_IsRefused_AndNothingChanges()
    {
        await using var w = await ImportWorld.CreateAsync();
        Assert.True((await w.ImportAsync(new LedgerFile().Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-10")))).Succeeded);
        var before = await AppDbContextSnapshot.TakeAsync(w.Db);

        var result = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-09-01"), (C.AcceptedOn, "2026-09-12"))
            .Row("XF-9"));

        Assert.False(result.Succeeded);
        var e = Assert.Single(result.Errors);
        Assert.Equal((2, C.AcceptedOn), (e.Row, e.Column));
        Assert.Contains("系统中已记录受理日期 2026-09-10", e.Reason);
        Assert.Equal(before.ToString(), (await AppDbContextSnapshot.TakeAsync(w.Db)).ToString());
    }

    [Fact]
    public async Task OriginalCaseNumber_LinksRepeats_ToTheThreadOfARowInTheFile_OrOfAStoredPetition()
    {
        await using var w = await ImportWorld.CreateAsync();
        Assert.True((await w.ImportAsync(new LedgerFile().Row("OLD-1", (C.ReceivedOn, "2026-03-01")))).Succeeded);

        var result = await w.ImportAsync(new LedgerFile()
            // The repeat comes first in the file: originals are written before their repeats whatever the order.
            .Row("NEW-2", (C.ReceivedOn, "2026-10-09"), (C.OriginalCaseNumber, "NEW-1"))
            .Row("NEW-1", (C.ReceivedOn, "2026-10-01"), (C.Petitioners, "王五"), (C.Phones, "13700001111"))
            .Row("NEW-3", (C.ReceivedOn, "2026-11-01"), (C.OriginalCaseNumber, "OLD-1"))
            .Row("NEW-4", (C.ReceivedOn, "2026-11-02"), (C.OriginalCaseNumber, "NEW-2")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(3, result.Repeats);
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ps = await db.Petitions.Include(p => p.Thread).Include(p => p.Events).ToDictionaryAsync(p => p.CaseNumber, TestContext.Current.CancellationToken);
        Assert.False(ps["NEW-1"].IsRepeat);
        Assert.True(ps["NEW-2"].IsRepeat);
        Assert.True(ps["NEW-4"].IsRepeat);
        Assert.Equal(ps["NEW-1"].ThreadId, ps["NEW-2"].ThreadId);
        Assert.Equal(ps["NEW-1"].ThreadId, ps["NEW-4"].ThreadId);
        Assert.Equal(ps["OLD-1"].ThreadId, ps["NEW-3"].ThreadId);
        var thread = ps["NEW-1"].Thread;
        Assert.Equal((3, ps["NEW-1"].Id, new DateOnly(2026, 11, 2)), (thread.PetitionCount, thread.FirstPetitionId!.Value, thread.LastReceivedOn));
        Assert.Equal(2, ps["OLD-1"].Thread.PetitionCount);
        Assert.Contains(ps["NEW-3"].Events, e => e.Kind == PetitionEventKind.RepeatLinked && e.Detail!.Contains("OLD-1"));
    }

    [Fact]
    public async Task RowsWithoutOriginal_GoThroughRepeatDetection_AgainstStoredPetitionsAndEarlierRowsOfTheFile()
    {
        await using var w = await ImportWorld.CreateAsync();
        Assert.True((await w.ImportAsync(new LedgerFile()
            .Row("OLD-1", (C.ReceivedOn, "2026-03-01"), (C.IdNumbers, Id1), (C.Demand, "要求解决小区路灯损坏问题")))).Succeeded);

        var result = await w.ImportAsync(new LedgerFile()
            // Same person (ID), same 问题属地 and category, similar demand: a repeat of OLD-1.
            .Row("NEW-1", (C.ReceivedOn, "2026-11-01"), (C.IdNumbers, Id1), (C.Demand, "再次要求解决小区路灯损坏问题"))
            // Same person as the next row only: NEW-3 repeats NEW-2, an earlier row of the same file and batch.
            .Row("NEW-2", (C.ReceivedOn, "2026-10-01"), (C.Petitioners, "李四"), (C.IdNumbers, Id2), (C.Demand, "反映企业拖欠工资三个月"))
            .Row("NEW-3", (C.ReceivedOn, "2026-10-20"), (C.Petitioners, "李四"), (C.IdNumbers, Id2), (C.Demand, "反映企业拖欠工资三个月未解决"))
            // Same person, different matter: a first petition.
            .Row("NEW-4", (C.ReceivedOn, "2026-11-03"), (C.IdNumbers, Id1), (C.Category, "教育"), (C.Demand, "反映学校乱收费")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(2, result.Repeats);
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ps = await db.Petitions.Include(p => p.Events).ToDictionaryAsync(p => p.CaseNumber, TestContext.Current.CancellationToken);
        Assert.Equal((true, ps["OLD-1"].ThreadId), (ps["NEW-1"].IsRepeat, ps["NEW-1"].ThreadId));
        Assert.Equal((true, ps["NEW-2"].ThreadId), (ps["NEW-3"].IsRepeat, ps["NEW-3"].ThreadId));
        Assert.False(ps["NEW-4"].IsRepeat);
        Assert.NotEqual(ps["OLD-1"].ThreadId, ps["NEW-4"].ThreadId);
        Assert.Contains(ps["NEW-1"].Events, e => e.Kind == PetitionEventKind.RepeatLinked && e.Note!.Contains("重复信访自动识别"));
        // The same person is one petitioner, not one per row.
        Assert.Equal(2, await db.Petitioners.CountAsync(x => x.IdNumber != null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ARepeatOnAThreadWithA包案_GoesToTheSameLeader()
    {
        await using var w = await ImportWorld.CreateAsync();
        Assert.True((await w.ImportAsync(new LedgerFile().Row("OLD-1", (C.ReceivedOn, "2026-03-01")))).Succeeded);
        await using (var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var old = await db.Petitions.SingleAsync(TestContext.Current.CancellationToken);
            var leader = new Leader { Name = "李明", Title = "副市长" };
            db.LeaderAssignments.Add(new LeaderAssignment
            {
                ThreadId = old.ThreadId, Leader = leader, LeadUnitId = old.UnitId, ResponsiblePerson = "王科长", Plan = "约谈",
                AssignedOn = new DateOnly(2026, 3, 5), DueOn = new DateOnly(2026, 6, 3),
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.True((await w.ImportAsync(new LedgerFile().Row("NEW-1", (C.ReceivedOn, "2026-11-01"), (C.OriginalCaseNumber, "OLD-1")))).Succeeded);

        await using var check = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var repeat = await check.Petitions.Include(p => p.Events).SingleAsync(p => p.CaseNumber == "NEW-1", TestContext.Current.CancellationToken);
        Assert.Contains(repeat.Events, e => e.Kind == PetitionEventKind.AssignmentChanged && e.Detail!.Contains("再访原领导包：李明"));
        Assert.Contains(await check.AssignmentProgress.ToListAsync(TestContext.Current.CancellationToken), x => x.Action.Contains("NEW-1"));
    }

    /// <summary>One bad row per rule of §7: the file is refused, nothing is written (not even the good rows), the row and reason are named.</summary>
    [Theory]
    [InlineData(C.CaseNumber, "", "必填，不能为空")]
    [InlineData(C.CaseNumber, "XF-GOOD", "信访编号与第 2 行重复")]
    [InlineData(C.ReceivedOn, "2026-13-01", "无法识别的日期“2026-13-01”")]
    [InlineData(C.ReceivedOn, "2026-12-01", "晚于今天")]
    [InlineData(C.ReceivedOn, "", "必填，不能为空")]
    [InlineData(C.Form, "上访", "“上访”不是有效的信访形式")]
    [InlineData(C.Petitioners, "", "必填，不能为空")]
    [InlineData(C.Petitioners, "张三、、李四", "不能有空的姓名")]
    [InlineData(C.IdNumbers, "361102198001011235", "GB 11643")]
    [InlineData(C.IdNumbers, "361102198001011236、361102199003154569", "须一人一个")]
    [InlineData(C.IdNumbers, "11010519491231002X", "在第 2 行属于“张三”，与本行姓名“李四”不一致")]
    [InlineData(C.Phones, "1、2、3", "须只填一个，或一人一个")]
    [InlineData(C.PeopleCount, "0", "不小于 1")]
    [InlineData(C.PeopleCount, "三人", "“三人”不是整数")]
    [InlineData(C.Locality, "", "必填，不能为空")]
    [InlineData(C.Locality, "火星", "“火星”不是已登记的县（市、区），应为：城关区")]
    [InlineData(C.Phones, "abc", "联系电话“abc”无效：应为7至20位数字")]
    [InlineData(C.Phones, "138-0013-800a", "应为7至20位数字")]
    [InlineData(C.Petitioners, "张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三张三", "不能超过50字")]
    [InlineData(C.Category, "其它事项", "不是内容分类代码表中的一级分类")]
    [InlineData(C.Purpose, "投诉", "不是有效的信访目的")]
    [InlineData(C.Demand, "", "必填，不能为空")]
    [InlineData(C.Unit, "不存在的局", "不是系统中的单位")]
    [InlineData(C.AcceptedOn, "2026-10-01", "受理日期 2026-10-01 早于登记日期 2026-11-02")]
    [InlineData(C.RepliedOn, "2026-11-03", "有答复日期时须填写受理日期")]
    [InlineData(C.ClosedOn, "2026-11-03", "有办结日期时须填写答复日期")]
    [InlineData(C.ReplyResult, "同意", "不是有效的答复结果")]
    [InlineData(C.Evaluation, "满意", "只有已答复的信访件才能评价")]
    [InlineData(C.SimpleProcedure, "Y", "应为：是 / 否")]
    [InlineData(C.ExtensionDays, "31", "延期天数须在 0 至 30 之间")]
    [InlineData(C.OriginalCaseNumber, "XF-NOWHERE", "在系统和本台账中都不存在")]
    [InlineData(C.OriginalCaseNumber, "XF-BAD", "原信访编号不能是本件自己的编号")]
    public async Task BadRow_RefusesTheWholeFile_NamingRowColumnAndRule(string column, string value, string reason)
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-GOOD", (C.IdNumbers, "11010519491231002X"))
            .Row("XF-BAD", column == C.IdNumbers ? [(C.Petitioners, "李四"), (column, value)] : [(column, value)])
            .Row("XF-GOOD-2");

        var result = await w.ImportAsync(ledger);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Row);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith($"第 3 行 {column}：", error.Message);
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.AuditEntries.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EveryBadRow_IsListed_NotJustTheFirst()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-13-01"), (C.Form, "上访"))
            .Row("XF-2")
            .Row("XF-3", (C.PeopleCount, "0"));

        var result = await w.ImportAsync(ledger);

        Assert.Equal(["第 2 行 登记日期", "第 2 行 信访形式", "第 4 行 人数"],
            result.Errors.Select(e => e.Message[..e.Message.IndexOf('：')]));
        Assert.Contains("涉及 2 行", result.Summary);
    }

    [Fact]
    public async Task TitleRows_HeaderAliases_AndUnknownColumns_AreHandled()
    {
        await using var w = await ImportWorld.CreateAsync();
        var headers = LedgerColumns.All.Select(h => h switch
        {
            C.CaseNumber => "信访件编号", C.Petitioners => "信访人姓名", C.Demand => "反映内容", C.Unit => "承办单位", _ => h,
        }).Append("备注").ToArray();
        var ledger = new LedgerFile().Titles("临川市信访局信访事项台账", "导出时间：2026-11-20").Headers(headers)
            .Row("XF-1", ("信访件编号", "XF-1"), ("信访人姓名", "赵六"), ("反映内容", "反映噪声扰民"), ("承办单位", "城关区"), ("备注", "无"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(3, result.HeaderRowNumber);
        Assert.Equal(["备注"], result.UnknownColumns);
        Assert.Contains("未识别的列已忽略：备注", result.Summary);
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var p = await db.Petitions.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("XF-1", "赵六", "反映噪声扰民"), (p.CaseNumber, p.PetitionerNames, p.Demand));
    }

    [Fact]
    public async Task MissingRequiredColumn_AndNoHeader_AreFileErrors()
    {
        await using var w = await ImportWorld.CreateAsync();
        var missing = await w.ImportAsync(new LedgerFile().Headers([.. LedgerColumns.All.Where(c => c != C.Locality && c != C.Category)]).Row("XF-1"));
        Assert.Equal("第 1 行 表头：缺少必填列：问题属地、内容分类", Assert.Single(missing.Errors).Message);

        var none = await w.ImportAsync(new LedgerFile().Headers("编号", "姓名").Row("XF-1"));
        Assert.Contains("找不到表头", Assert.Single(none.Errors).Reason);
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
    }

    public static TheoryData<object, DateOnly> DateCells => new()
    {
        { "2026-11-02", new DateOnly(2026, 11, 2) },
        { "2026/11/2", new DateOnly(2026, 11, 2) },
        { "2026.11.2", new DateOnly(2026, 11, 2) },
        { "2026年11月2日", new DateOnly(2026, 11, 2) },
        { "20261102", new DateOnly(2026, 11, 2) },
        { "2026-11-02 14:30", new DateOnly(2026, 11, 2) },
        { "2026/11/2 8:05:09", new DateOnly(2026, 11, 2) },
        { "2026年11月2日 14:30", new DateOnly(2026, 11, 2) },
        { 20261102, new DateOnly(2026, 11, 2) },
        { new DateTime(2026, 11, 2), new DateOnly(2026, 11, 2) },
        { new DateTime(2026, 11, 2, 16, 45, 0), new DateOnly(2026, 11, 2) },
    };

    [Theory]
    [MemberData(nameof(DateCells))]
    public async Task Dates_InEveryListedFormat_AreRead(object cell, DateOnly expected)
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile().Row("XF-1", (C.ReceivedOn, cell)));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(expected, (await db.Petitions.SingleAsync(TestContext.Current.CancellationToken)).ReceivedOn);
    }

    [Fact]
    public async Task CellsStartingWithFormulaCharacters_StayText_AndFormulaCellsAreNeverEvaluated()
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.Demand, "=HYPERLINK(\"http://evil.example\",\"点我\")"), (C.Petitioners, "@张三"))
            .Row("XF-2", (C.Demand, "+86 要求退还押金"), (C.Petitioners, "-李四"))
            // A real formula cell: kept as its formula text, not its cached value and not evaluated.
            .Row("XF-3", (C.Demand, "FORMULA:CONCATENATE(\"要求\",\"赔偿\")")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ps = await db.Petitions.OrderBy(p => p.CaseNumber).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"点我\")", ps[0].Demand);
        Assert.Equal("@张三", ps[0].PetitionerNames);
        Assert.Equal(("+86 要求退还押金", "-李四"), (ps[1].Demand, ps[1].PetitionerNames));
        Assert.Equal("=CONCATENATE(\"要求\",\"赔偿\")", ps[2].Demand);
    }

    [Fact]
    public async Task FormulaInADateColumn_IsRefused_NotEvaluated()
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile().Row("XF-1", (C.ReceivedOn, "FORMULA:DATE(2026,11,2)")));
        var e = Assert.Single(result.Errors);
        Assert.Equal("第 2 行 登记日期：单元格是公式“=DATE(2026,11,2)”，台账须填写日期值（公式不会被计算）", e.Message);
    }

    [Fact]
    public async Task UnitSheet_AddsItsUnitsFirst()
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile()
            .Unit("市住建局", "市直部门").Unit("城关区", "县区")
            .Row("XF-1", (C.Unit, "市住建局")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(1, result.UnitsAdded);
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var p = await db.Petitions.Include(x => x.Unit).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("市住建局", UnitKind.CityDepartment), (p.Unit.Name, p.Unit.Kind));
    }

    [Fact]
    public async Task UnitSheet_WithABadKind_RefusesTheFile()
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile().Unit("市住建局", "部门").Row("XF-1", (C.Unit, "市住建局")));
        Assert.Contains(result.Errors, e => e.Message == "第 2 行 单位·类型：“部门”不是有效的单位类型，应为：县区 / 市直部门 / 乡镇街道");
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
    }

    [Fact]
    public async Task Upload_OverTheLimit_NotXlsx_OrNotAZip_IsRefusedWithAClearMessage()
    {
        await using var w = await ImportWorld.CreateAsync();
        w.Options.MaxFileMegabytes = 1;
        var importer = w.Importer();
        var ct = TestContext.Current.CancellationToken;

        var big = new MemoryStream(new byte[1024 * 1024 + 10]);
        var tooLarge = await Assert.ThrowsAsync<ActionRefusedException>(() => importer.ReceiveAsync(big, "台账.xlsx", null, ct));
        Assert.Contains("超过大小上限", tooLarge.Message);
        Assert.Contains("1 MB", tooLarge.Message);
        var declared = await Assert.ThrowsAsync<ActionRefusedException>(() => importer.ReceiveAsync(Stream.Null, "台账.xlsx", 5L * 1024 * 1024, ct));
        Assert.Contains("5.0 MB 已超过 1 MB", declared.Message);

        var xls = await Assert.ThrowsAsync<ActionRefusedException>(() => importer.ReceiveAsync(new MemoryStream([1, 2, 3]), "台账.xls", 3, ct));
        Assert.Contains("另存为 .xlsx", xls.Message);
        var fake = await Assert.ThrowsAsync<ActionRefusedException>(
            () => importer.ReceiveAsync(new MemoryStream("信访编号,登记日期"u8.ToArray()), "台账.xlsx", null, ct));
        Assert.Contains("内容不是 Excel 工作簿", fake.Message);
    }

    [Fact]
    public async Task Import_IsForDutyOfficersAndAdmins_Only()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        foreach (var role in new[] { Roles.Leader, Roles.Supervisor })
            await Refused.NotAllowedAsync(() => w.Importer(role).ReceiveAsync(Stream.Null, "台账.xlsx", 0, ct));
        Assert.True((await w.ImportAsync(new LedgerFile().Row("XF-1"), importer: w.Importer(Roles.SystemAdmin))).Succeeded);
    }

    [Fact]
    public async Task ErrorWorkbook_ListsEveryError_AndKeepsFormulaLookingValuesAsText()
    {
        await using var w = await ImportWorld.CreateAsync();
        var result = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.Form, "=1+1"))
            .Row("XF-2", (C.ReceivedOn, "2026-13-01")));
        var path = Path.Combine(Path.GetTempPath(), $"pd-errors-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = File.Create(path))
                await ImportErrorWorkbook.WriteAsync(result, w.Clock.GetUtcNow().UtcDateTime, file, TestContext.Current.CancellationToken);
            using var wb = new XLWorkbook(path);
            var ws = wb.Worksheet(ImportErrorWorkbook.SheetName);
            Assert.Equal(["行号", "列", "值", "原因"], Enumerable.Range(1, 4).Select(c => ws.Cell(3, c).GetString()));
            Assert.Equal((2, "信访形式", "=1+1"), (ws.Cell(4, 1).GetValue<int>(), ws.Cell(4, 2).GetString(), ws.Cell(4, 3).GetString()));
            Assert.False(ws.Cell(4, 3).HasFormula);
            Assert.Equal(XLDataType.Text, ws.Cell(4, 3).DataType);
            Assert.Equal(3, ws.Cell(5, 1).GetValue<int>());
            Assert.StartsWith("无法识别的日期“2026-13-01”", ws.Cell(5, 4).GetString());
            Assert.True(ws.Cell(6, 1).IsEmpty());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
