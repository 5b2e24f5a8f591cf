using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Ledgers as other systems export them (issue 15 part 2): each shape — title rows over a two-row header with merged cells,
/// 序号 / 登记人 columns and a 合计 row; a chosen sheet among several; a 信访件状态 column instead of step dates; Excel serials
/// under aliases with a 总计 row; headers only a saved mapping profile explains — is written here with ClosedXML and
/// imported into one database, its plain twin (the same cases in the format of docs/rules.md §7) into another, and both
/// must give the same petitions (every field, state, thread and event) and the same weekly statistics.
/// </summary>
public sealed class LedgerShapesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A petition as both ledgers carry it.</summary>
    private sealed record Case(
        string No, DateOnly Received, string Form, string Names, string Ids, string Phones, int People, string Category, string Demand,
        DateOnly? Accepted = null, DateOnly? Replied = null, DateOnly? Closed = null, string? Result = null, string? Evaluation = null,
        string? Original = null, int Extension = 0)
    {
        /// <summary>The state the exporting system would print in its 信访件状态 column.</summary>
        public string Status => Closed is not null ? "已办结" : Replied is not null ? "已答复" : Accepted is not null ? "办理中" : "待受理";
    }

    private static DateOnly D(int month, int day) => new(2026, month, day);

    /// <summary>An ID number with a correct GB 11643 check character.</summary>
    private static string Id(string first17) => first17 + ChineseIdNumber.CheckCharacter(first17);

    private static readonly string Zhang = Id("36110219800101123");
    private static readonly string Li = Id("36110219850505002");
    private static readonly string Wang = Id("36110219900909004");

    /// <summary>Six cases: closed and evaluated, a group visit replied, in handling with an extension, registered, a repeat.</summary>
    private static readonly Case[] Cases =
    [
        new("XF-S1", D(10, 12), "来信", "张三", Zhang, "13812345678", 1, "城乡建设", "要求解决小区路灯损坏问题",
            Accepted: D(10, 13), Replied: D(11, 2), Closed: D(11, 20), Result: "支持", Evaluation: "满意"),
        new("XF-S2", D(10, 20), "来访", "李四、王五", $"{Li}、{Wang}", "13900001111、13900002222", 6, "劳动和社会保障", "反映某公司拖欠工资",
            Accepted: D(10, 22), Replied: D(11, 10), Result: "解释说明"),
        new("XF-S3", D(11, 2), "网上信访", "赵六", "", "13700003333", 1, "生态环境", "反映噪声扰民", Accepted: D(11, 4), Extension: 10),
        new("XF-S4", D(11, 9), "电话", "孙七", "", "13600004444", 1, "城乡建设", "要求修复道路坑洼"),
        new("XF-S5", D(11, 16), "来信", "张三", Zhang, "13812345678", 1, "城乡建设", "再次要求解决小区路灯损坏问题", Original: "XF-S1"),
        new("XF-S6", D(11, 18), "来访", "周八", "", "13500005555", 2, "住房保障与房地产", "要求办理不动产登记",
            Accepted: D(11, 19), Replied: D(11, 20), Closed: D(11, 21), Result: "不予支持", Evaluation: "基本满意"),
    ];

    /// <summary>
    /// The same cases as the 信访件状态 rule of docs/rules.md §7 reads them from a ledger without 受理 / 答复 dates: 受理 on the
    /// day registered, 答复 on the day closed (else the day accepted).
    /// </summary>
    private static readonly Case[] StatusCases =
        [.. Cases.Select(c => c with { Accepted = c.Accepted is null ? null : c.Received, Replied = c.Replied is null ? null : c.Closed ?? c.Received })];

    private static LedgerFile PlainTwin(IEnumerable<Case> cases)
    {
        var file = new LedgerFile();
        foreach (var c in cases)
        {
            var values = new List<(string, object?)>
            {
                (C.ReceivedOn, c.Received.ToString("yyyy-MM-dd")), (C.Form, c.Form), (C.Petitioners, c.Names), (C.IdNumbers, c.Ids),
                (C.Phones, c.Phones), (C.PeopleCount, c.People), (C.Category, c.Category), (C.Demand, c.Demand),
                (C.AcceptedOn, c.Accepted?.ToString("yyyy-MM-dd")), (C.RepliedOn, c.Replied?.ToString("yyyy-MM-dd")),
                (C.ClosedOn, c.Closed?.ToString("yyyy-MM-dd")), (C.ReplyResult, c.Result), (C.Evaluation, c.Evaluation),
                (C.OriginalCaseNumber, c.Original), (C.ExtensionDays, c.Extension == 0 ? null : c.Extension),
            };
            file.Row(c.No, [.. values]);
        }
        return file;
    }

    /// <summary>One column of a shaped ledger: its header, the group it sits under (null: none), and its value per case.</summary>
    private sealed record Column(string Header, Func<Case, int, object?> Value, string? Group = null);

    /// <summary>The common columns, headed as a national-system export heads them.</summary>
    private static List<Column> ExportColumns(Func<DateOnly?, object?> date, bool stepDates = true)
    {
        List<Column> columns =
        [
            new("序号", (_, i) => i + 1),
            new("信访件编号", (c, _) => c.No),
            new("登记日期", (c, _) => date(c.Received)),
            new("信访形式", (c, _) => c.Form),
            new("姓名", (c, _) => c.Names, "信访人信息"),
            new("证件号码", (c, _) => c.Ids, "信访人信息"),
            new("手机号码", (c, _) => c.Phones, "信访人信息"),
            new("信访人数", (c, _) => c.People, "信访人信息"),
            new("问题属地", (_, _) => "城关区"),
            new("内容分类", (c, _) => c.Category),
            new("概况", (c, _) => c.Demand),
            new("承办单位", (_, _) => "城关区"),
        ];
        if (stepDates)
        {
            columns.Add(new("受理日期", (c, _) => date(c.Accepted), "办理情况"));
            columns.Add(new("答复日期", (c, _) => date(c.Replied), "办理情况"));
        }
        columns.Add(new("办结时间", (c, _) => date(c.Closed), "办理情况"));
        columns.Add(new("答复结果", (c, _) => c.Result, "办理情况"));
        columns.Add(new("评价", (c, _) => c.Evaluation));
        columns.Add(new("延期天数", (c, _) => c.Extension == 0 ? null : c.Extension));
        columns.Add(new("关联件编号", (c, _) => c.Original));
        columns.Add(new("登记人", (_, _) => "值班员乙"));
        return columns;
    }

    /// <summary>
    /// Writes the cases on <paramref name="ws"/>: title rows, then the header (one row, or a group row over the field row
    /// with the ungrouped headers merged down both rows and each group merged across its columns), the rows, a total line.
    /// </summary>
    private static void WriteSheet(IXLWorksheet ws, IReadOnlyList<Case> cases, List<Column> columns, string[] titles, bool twoRowHeader, string? totalLabel)
    {
        var r = 1;
        foreach (var title in titles)
        {
            ws.Cell(r, 1).SetValue(title);
            ws.Range(r, 1, r, columns.Count).Merge();
            r++;
        }
        if (twoRowHeader)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var col = i + 1;
                if (columns[i].Group is not { } group)
                {
                    ws.Cell(r, col).SetValue(columns[i].Header);
                    ws.Range(r, col, r + 1, col).Merge();
                    continue;
                }
                ws.Cell(r + 1, col).SetValue(columns[i].Header);
                if (i > 0 && columns[i - 1].Group == group) continue;
                var last = i;
                while (last + 1 < columns.Count && columns[last + 1].Group == group) last++;
                ws.Cell(r, col).SetValue(group);
                ws.Range(r, col, r, last + 1).Merge();
            }
            r += 2;
        }
        else
        {
            for (var i = 0; i < columns.Count; i++) ws.Cell(r, i + 1).SetValue(columns[i].Header);
            r++;
        }
        for (var k = 0; k < cases.Count; k++, r++)
            for (var i = 0; i < columns.Count; i++)
                Set(ws.Cell(r, i + 1), columns[i].Value(cases[k], k));
        if (totalLabel is not null)
        {
            ws.Cell(r, 1).SetValue(totalLabel);
            ws.Cell(r, columns.FindIndex(c => c.Header == "信访人数") + 1).SetValue(cases.Sum(c => c.People));
        }
    }

    private static void Set(IXLCell cell, object? value)
    {
        switch (value)
        {
            case null: break;
            case string s: cell.SetValue(s); break;
            case int i: cell.SetValue(i); break;
            case double d: cell.SetValue(d); break;
            case DateTime dt:
                cell.SetValue(dt);
                cell.Style.NumberFormat.Format = "yyyy\"年\"m\"月\"d\"日\"";
                break;
            default: cell.SetValue(value.ToString()); break;
        }
    }

    private static string Save(XLWorkbook wb)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pd-ledger-shape-{Guid.NewGuid():N}.xlsx");
        wb.SaveAs(path);
        return path;
    }

    // ---- the shapes -------------------------------------------------------------------------------------------------

    /// <summary>Title and date rows, a group row over the field row (merged both ways), 序号 and 登记人, dates as 2026.10.12, a 合计 line.</summary>
    private static string TitledTwoRowHeader()
    {
        using var wb = new XLWorkbook();
        WriteSheet(wb.Worksheets.Add("信访件"), Cases, ExportColumns(d => d is { } x ? $"{x.Year}.{x.Month}.{x.Day}" : null),
            ["城关区信访局信访件登记台账", "导出时间：2026年11月23日 09:00"], twoRowHeader: true, totalLabel: "合计");
        return Save(wb);
    }

    /// <summary>A notes sheet first, the ledger second (chosen by name), a statistics sheet after; dates as 2026年10月12日 with times.</summary>
    private static string SeveralSheets()
    {
        using var wb = new XLWorkbook();
        var notes = wb.Worksheets.Add("填表说明");
        notes.Cell(1, 1).SetValue("本表由省信访信息系统导出，请勿修改表头");
        WriteSheet(wb.Worksheets.Add("信访件台账"), Cases, ExportColumns(d => d is { } x ? $"{x.Year}年{x.Month}月{x.Day}日 14:30" : null),
            [], twoRowHeader: false, totalLabel: null);
        var stats = wb.Worksheets.Add("统计");
        stats.Cell(1, 1).SetValue("合计");
        stats.Cell(1, 2).SetValue(Cases.Length);
        return Save(wb);
    }

    /// <summary>No 受理 / 答复 dates: a 信访件状态 column and 办结时间 carry the state; dates as 2026-10-12 12:30.</summary>
    private static string StatusColumn()
    {
        using var wb = new XLWorkbook();
        var columns = ExportColumns(d => d is { } x ? $"{x.Year}-{x.Month}-{x.Day} 12:30" : null, stepDates: false);
        columns.Insert(4, new Column("信访件状态", (c, _) => c.Status));
        WriteSheet(wb.Worksheets.Add("台账"), StatusCases, columns, ["信访件台账"], twoRowHeader: false, totalLabel: null);
        return Save(wb);
    }

    /// <summary>Dates as bare Excel serials (numbers without a date format), an unknown 限办时间 column, a 总计 line.</summary>
    private static string SerialsAndTotal()
    {
        using var wb = new XLWorkbook();
        var columns = ExportColumns(d => d is { } x ? (double)(x.ToDateTime(TimeOnly.MinValue) - new DateTime(1899, 12, 30)).TotalDays : null);
        columns.Add(new Column("限办时间", (c, _) => c.Received.AddDays(60).ToString("yyyy-MM-dd")));
        WriteSheet(wb.Worksheets.Add("Sheet1"), Cases, columns, [], twoRowHeader: false, totalLabel: "总计：6 件");
        return Save(wb);
    }

    /// <summary>Headers of a system the format does not know (登记时间, 来源方式, 问题类别 …), dates as real Excel dates.</summary>
    private static string ForeignHeaders()
    {
        using var wb = new XLWorkbook();
        var columns = ExportColumns(d => d?.ToDateTime(TimeOnly.MinValue));
        Column Rename(string from, string to) => columns.Single(c => c.Header == from) with { Header = to };
        columns = [.. columns.Select(c => c.Header switch
        {
            "登记日期" => Rename("登记日期", "登记时间"),
            "信访形式" => Rename("信访形式", "来源方式"),
            "内容分类" => Rename("内容分类", "问题类别"),
            "问题属地" => Rename("问题属地", "问题发生地"),
            _ => c,
        })];
        columns.Add(new Column("备注", (_, _) => "无"));
        WriteSheet(wb.Worksheets.Add("导出数据"), Cases, columns, ["省信访信息系统导出"], twoRowHeader: false, totalLabel: null);
        return Save(wb);
    }

    private static readonly Dictionary<string, string> ForeignMapping = new()
    {
        ["登记时间"] = C.ReceivedOn, ["来源方式"] = C.Form, ["问题类别"] = C.Category, ["问题发生地"] = C.Locality, ["备注"] = LedgerReading.Ignore,
    };

    // ---- the tests ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task TitleRows_TwoRowMergedHeader_序号登记人_And合计Row_ImportAsTheirPlainTwin()
    {
        var result = await SameAsPlainTwinAsync(TitledTwoRowHeader(), Cases, LedgerReading.Default);

        Assert.Equal(4, result.HeaderRowNumber); // two title rows, the group row, then the field row
        Assert.Equal(1, result.SkippedTotalRows);
        Assert.Empty(result.UnknownColumns); // 序号 and 登记人 are read past without being named
        Assert.Contains("已跳过合计行 1 行", result.Summary);
    }

    [Fact]
    public async Task TheChosenSheet_AmongSeveral_ImportsAsItsPlainTwin()
    {
        var path = SeveralSheets();
        var options = new ImportOptions();
        var preview = LedgerReader.Read(path, options.HeaderAliases, options.WorkbookLimits, ct: Ct, maxRows: 5);
        Assert.Equal(["填表说明", "信访件台账", "统计"], preview.SheetNames);
        Assert.Equal("填表说明", preview.SheetName); // the first sheet unless one is chosen: no header there

        var result = await SameAsPlainTwinAsync(path, Cases, new LedgerReading("信访件台账"));

        Assert.Equal("信访件台账", result.SheetName);
    }

    [Fact]
    public async Task AStatusColumn_WithoutStepDates_ImportsAsItsPlainTwin_WithTheDatesTheRuleGives()
    {
        var result = await SameAsPlainTwinAsync(StatusColumn(), StatusCases, LedgerReading.Default);

        Assert.Empty(result.UnknownColumns);
    }

    [Fact]
    public async Task ExcelSerials_UnderAliases_WithA总计Row_ImportAsTheirPlainTwin()
    {
        var result = await SameAsPlainTwinAsync(SerialsAndTotal(), Cases, LedgerReading.Default);

        Assert.Equal(1, result.SkippedTotalRows);
        Assert.Equal(["限办时间"], result.UnknownColumns);
    }

    [Fact]
    public async Task ForeignHeaders_ReadThroughASavedProfile_FoundAgainByTheirHeaderSet_ImportAsTheirPlainTwin()
    {
        var path = ForeignHeaders();
        await using var shaped = await ImportWorld.CreateAsync(audited: true);
        var profiles = Profiles(shaped);

        // Without the mapping the file misses required columns and says which headers could be mapped.
        var unmapped = await ImportFileAsync(shaped, path, LedgerReading.Default);
        Assert.False(unmapped.Succeeded);
        var missing = Assert.Single(unmapped.Errors);
        Assert.Contains("缺少必填列：登记日期、信访形式、问题属地、内容分类", missing.Reason);
        Assert.Contains("（未识别的列：登记时间、来源方式、问题发生地、问题类别、备注，可在导入页面将其对应到字段", missing.Reason);

        var preview = await profiles.PreviewAsync(path, LedgerReading.Default, Ct);
        Assert.Equal(["登记时间", "来源方式", "问题发生地", "问题类别", "备注"], preview.Headers.Where(h => h.Unknown).Select(h => h.Text));
        Assert.Equal(5, preview.Rows.Count);
        await profiles.SaveAsync("省信访信息系统导出", preview.HeaderSet, ForeignMapping, Ct);

        var found = await profiles.FindByHeadersAsync(preview.HeaderSet, Ct);
        Assert.NotNull(found);
        Assert.Equal("省信访信息系统导出", found.Name);
        await using (var db = await shaped.Db.CreateDbContextAsync(Ct))
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Entity == nameof(LedgerProfile) && a.Action == "Create", Ct));

        var result = await SameAsPlainTwinAsync(path, Cases, found.Reading(), shaped);
        Assert.Equal("省信访信息系统导出", result.ProfileName);
        Assert.Contains("按列对应方案“省信访信息系统导出”读取", result.Summary);
        Assert.Empty(result.UnknownColumns);
    }

    [Fact]
    public async Task AProfile_RefusesATargetThatIsNoColumn_AndTwoHeadersOnOneColumn()
    {
        await using var w = await ImportWorld.CreateAsync();
        var profiles = Profiles(w);

        var noColumn = await Assert.ThrowsAsync<ActionRefusedException>(() => profiles.SaveAsync("甲", "a|b", new Dictionary<string, string> { ["a"] = "住址" }, Ct));
        Assert.Contains("表头“a”：“住址”不是台账的列", noColumn.Message);
        var twice = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            profiles.SaveAsync("甲", "a|b", new Dictionary<string, string> { ["a"] = C.Form, ["b"] = C.Form }, Ct));
        Assert.Contains("表头“a”与“b”都对应到“信访形式”列", twice.Message);
        var unknown = await Assert.ThrowsAsync<ActionRefusedException>(() => profiles.GetAsync("乙", Ct));
        Assert.Contains("没有名为“乙”的列对应方案", unknown.Message);
    }

    [Fact]
    public async Task AStatusThatContradictsTheDates_OrIsUnknown_IsRefused_NamingSheetRowAndColumn()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("XF-T1", (C.Status, "办理中"), (C.AcceptedOn, "2026-11-03"), (C.RepliedOn, "2026-11-10"), (C.ReplyResult, "支持"))
            .Row("XF-T2", (C.Status, "已归档"));

        var result = await w.ImportAsync(ledger);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("导入未执行（工作表“台账”）：发现 2 处错误", result.Summary);
        Assert.Equal("第 2 行 信访件状态：信访件状态“办理中”（办理中）与本行日期不符：按已填的日期应为“已答复”", result.Errors[0].Message);
        Assert.StartsWith("第 3 行 信访件状态：“已归档”不是可识别的信访件状态，应为：待受理", result.Errors[1].Message);
        Assert.Equal(0, (await w.CountsAsync()).Petitions);
    }

    [Fact]
    public async Task ASheetNameThatIsNotInTheWorkbook_IsRefused_NamingTheSheetsThereAre()
    {
        await using var w = await ImportWorld.CreateAsync();

        var result = await ImportFileAsync(w, SeveralSheets(), new LedgerReading("台帐"));

        Assert.False(result.Succeeded);
        Assert.Equal("工作表：工作簿中没有名为“台帐”的工作表；可选的工作表：填表说明、信访件台账、统计", Assert.Single(result.Errors).Message);
    }

    // ---- comparing ------------------------------------------------------------------------------------------------------

    private static LedgerProfileService Profiles(ImportWorld w) =>
        new(w.Db, new AccessGuard(FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer])), w.Clock, Microsoft.Extensions.Options.Options.Create(w.Options));

    private static async Task<ImportResult> ImportFileAsync(ImportWorld w, string path, LedgerReading reading)
    {
        var importer = w.Importer();
        string received;
        await using (var upload = File.OpenRead(path))
            received = await importer.ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct);
        try
        {
            return await importer.ImportAsync(received, "台账.xlsx", null, Ct, reading);
        }
        finally
        {
            File.Delete(received);
        }
    }

    /// <summary>Imports the shaped file and the plain twin of <paramref name="cases"/> into two databases; asserts the same petitions and statistics.</summary>
    private static async Task<ImportResult> SameAsPlainTwinAsync(string path, IReadOnlyList<Case> cases, LedgerReading reading, ImportWorld? shapedWorld = null)
    {
        await using var plain = await ImportWorld.CreateAsync();
        var owned = shapedWorld is null;
        var shaped = shapedWorld ?? await ImportWorld.CreateAsync();
        try
        {
            var twin = await plain.ImportAsync(PlainTwin(cases));
            Assert.True(twin.Succeeded, string.Join("\n", twin.Errors.Select(e => e.Message)));
            var result = await ImportFileAsync(shaped, path, reading);
            Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
            Assert.Equal((twin.Rows, twin.Added, twin.Repeats), (result.Rows, result.Added, result.Repeats));

            var expected = await FiguresAsync(plain);
            var actual = await FiguresAsync(shaped);
            Assert.Equal(cases.Count, expected.Petitions.Count);
            Assert.Equal(expected.Petitions, actual.Petitions);
            Assert.Equal(expected.Statistics, actual.Statistics);
            return result;
        }
        finally
        {
            File.Delete(path);
            if (owned) await shaped.DisposeAsync();
        }
    }

    /// <summary>Every petition as a line of its fields, thread and events; the weekly statistics of W41–W48, every figure of every row.</summary>
    private static async Task<(List<string> Petitions, List<string> Statistics)> FiguresAsync(ImportWorld w)
    {
        await using var db = await w.Db.CreateDbContextAsync(Ct);
        var petitions = await db.Petitions.AsNoTracking().Include(p => p.Unit).Include(p => p.Events).Include(p => p.Thread)
            .Include(p => p.Petitioners).ThenInclude(x => x.Petitioner).OrderBy(p => p.CaseNumber).ToListAsync(Ct);
        var byId = petitions.ToDictionary(p => p.Id, p => p.CaseNumber);
        var lines = petitions.Select(p => string.Join(" | ",
            p.CaseNumber, p.State, p.Form, p.Purpose, p.PeopleCount, p.Locality, p.Category, p.Demand, p.Unit.Name, p.PetitionerNames,
            p.ReceivedOn, p.FirstDecisionOn, p.AcceptedOn, p.RepliedOn, p.FinishedOn, p.ReplyResult, p.Evaluation, p.EvaluatedOn,
            p.SimpleProcedure, p.ExtensionDays, p.CurrentDueDate, p.IsRepeat, p.Thread.PetitionCount,
            p.Thread.FirstPetitionId is { } f ? byId[f] : "", p.Thread.FirstReceivedOn, p.Thread.LastReceivedOn,
            string.Join("、", p.Petitioners.Select(x => x.Petitioner.Name).Order()),
            string.Join("、", p.Petitioners.Select(x => TestPersonalData.Protector.Reveal(x.Petitioner.IdNumber)).Order()),
            string.Join("、", p.Events.OrderBy(e => e.On).ThenBy(e => e.Id).Select(e => $"{e.Kind}:{e.FromState}>{e.ToState}@{e.On} {e.Note}"))))
            .ToList();

        var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Microsoft.Extensions.Options.Options.Create(new BacklogOptions()),
            Microsoft.Extensions.Options.Options.Create(new PetitionOptions()));
        var asOf = w.Clock.GetUtcNow().UtcDateTime;
        var statistics = new List<string>();
        for (var week = 41; week <= 48; week++)
            foreach (var row in (await calculator.ComputeAsync(db, new IsoWeek(2026, week), asOf, Ct)).OrderBy(r => r.UnitId))
                statistics.Add(string.Join(" | ", typeof(WeeklyUnitStatistic).GetProperties()
                    .Where(x => x.GetIndexParameters().Length == 0)
                    .Where(x => Nullable.GetUnderlyingType(x.PropertyType) is { } u ? u.IsValueType : x.PropertyType.IsValueType || x.PropertyType == typeof(string))
                    .Select(x => $"{x.Name}={x.GetValue(row)}")));
        return (lines, statistics);
    }
}
