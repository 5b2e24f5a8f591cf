using System.Globalization;
using ClosedXML.Excel;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Reports;

/// <summary>
/// Lays out the 督办通报 workbook of docs/rules.md §9: five sheets, each with two title rows (the bureau and report name; the
/// week, the statistics' as-of time, when and by whom it was made), a frozen, filtered header row, column widths from
/// the content, number and date formats, A4 landscape printing with the title and header rows repeated on every page.
/// The small sheets are written with ClosedXML; the 超期清单 and 重复信访 rows are streamed (<see cref="StreamedWorkbook"/>).
/// </summary>
public static class SupervisionReportWriter
{
    public static readonly string[] SheetNames = ["汇总", "单位排名", "包案进展", "超期清单", "重复信访"];

    public const int HeaderRow = 3;

    /// <summary>Rows read ahead of the long lists to size their columns (the rest streams).</summary>
    private const int WidthSample = 500;

    private const string DateFormat = "yyyy-mm-dd";
    private static readonly string ProvisionalDateFormat = $"yyyy-mm-dd\"（{WorkingCalendar.ProvisionalMark}）\"";
    private const string RateFormat = "0.0%";
    private const string CountFormat = "#,##0";
    private const string PointChangeFormat = "+0.0\"个百分点\";-0.0\"个百分点\";0.0\"个百分点\"";
    private const string CountChangeFormat = "+#,##0;-#,##0;0";
    private const string PointsFormat = "0.00";

    private static readonly XLColor HeaderFill = XLColor.FromHtml("#DDEBF7");
    private static readonly XLColor MissedFill = XLColor.FromHtml("#F8CBAD");
    private static readonly XLColor NearFill = XLColor.FromHtml("#FFE699");
    private static readonly XLColor MissedRowFill = XLColor.FromHtml("#FCE4D6");
    private static readonly XLColor MissedFont = XLColor.FromHtml("#9C0006");

    /// <summary>The 超期清单 columns (the per-unit 督办单 lists its rows with the same ones).</summary>
    internal static readonly string[] OverdueHeaders =
        ["序号", "信访编号", "信访人", "身份证号", "联系电话", "问题属地", "内容分类", "责任单位", "包案领导", "办理期限", "超期天数", "督办等级", "催办次数"];

    private static readonly string[] RepeatHeaders = ["序号", "首件信访编号", "信访人", "身份证号", "信访次数", "最近信访日期", "包案领导", "当前状态"];

    public static async Task<ReportWriteResult> WriteAsync(
        SupervisionReportContent content, Stream output, IProgress<int>? rowsWritten = null, CancellationToken ct = default)
    {
        var overdue = await ReadAhead.StartAsync(content.Overdue, WidthSample, ct);
        var repeats = await ReadAhead.StartAsync(content.Repeats, WidthSample, ct);
        try
        {
            using var wb = new XLWorkbook();
            wb.Style.Font.FontName = "等线";
            wb.Style.Font.FontSize = 11;
            Summary(wb.Worksheets.Add(SheetNames[0]), content);
            Ranking(wb.Worksheets.Add(SheetNames[1]), content);
            Assignments(wb.Worksheets.Add(SheetNames[2]), content);
            OverdueSkeleton(wb.Worksheets.Add(SheetNames[3]), content, overdue.Head);
            RepeatSkeleton(wb.Worksheets.Add(SheetNames[4]), content, repeats.Head);

            var number = 0;
            var overdueRows = overdue.All(ct).Select(r => OverdueRow(++number, r));
            var repeatNumber = 0;
            var repeatRows = repeats.All(ct).Select(r => RepeatRow(++repeatNumber, r));
            var counts = await StreamedWorkbook.WriteAsync(wb,
                [new StreamedSheet(SheetNames[3], HeaderRow, 2, overdueRows), new StreamedSheet(SheetNames[4], HeaderRow, 1, repeatRows)],
                output, rowsWritten, ct);
            return new ReportWriteResult(counts[SheetNames[3]], counts[SheetNames[4]]);
        }
        finally
        {
            await overdue.DisposeAsync();
            await repeats.DisposeAsync();
        }
    }

    // ---- 汇总 ----------------------------------------------------------------------------------------------------

    private static void Summary(IXLWorksheet ws, SupervisionReportContent c)
    {
        string[] headers = ["指标", "本周", "上周", "变化", "目标", "口径说明"];
        Titles(ws, c, "汇总", headers.Length, $"全部单位　上周：{c.Week.Previous}");
        Header(ws, headers);
        var row = HeaderRow;
        foreach (var f in StatisticFigures.All)
        {
            row++;
            var now = c.Statistics.All.Value(f.Figure);
            var before = c.Previous?.Value(f.Figure);
            var target = c.Targets.TryGetValue(f.Name, out var t) ? t : (double?)null;
            ws.Cell(row, 1).SetValue(f.Name);
            var isRate = f.Kind == FigureKind.Rate;
            Figure(ws.Cell(row, 2), now, isRate);
            Figure(ws.Cell(row, 3), before, isRate);
            var change = ws.Cell(row, 4);
            if (now is { } a && before is { } b)
            {
                change.SetValue(isRate ? Math.Round((a - b) * 100, 1) : a - b);
                change.Style.NumberFormat.Format = isRate ? PointChangeFormat : CountChangeFormat;
            }
            else Dash(change);
            if (target is { } tv)
            {
                ws.Cell(row, 5).SetValue(tv);
                ws.Cell(row, 5).Style.NumberFormat.Format = RateFormat;
            }
            ws.Cell(row, 6).SetValue(f.Definition);
            ws.Cell(row, 6).Style.Alignment.WrapText = true;
            Highlight(ws.Cell(row, 2), Kpi.Status(now, target, c.AmberMargin));
        }
        row = ReceptionSummaryRows(ws, c, row);
        Widths(ws, headers, [[.. StatisticFigures.All.Select(f => f.Name)]], fixedWidths: new() { [2] = 12, [3] = 12, [4] = 16, [5] = 10, [6] = 60 });
        Finish(ws, headers.Length, row, 6);
    }

    /// <summary>The §11 领导接访 counts below the §8 figures (no target); returns the last row written.</summary>
    private static int ReceptionSummaryRows(IXLWorksheet ws, SupervisionReportContent c, int row)
    {
        foreach (var f in ReceptionFigures.All)
        {
            row++;
            var now = f.Value(c.Statistics.All);
            int? before = c.Previous is { } p ? f.Value(p) : null;
            ws.Cell(row, 1).SetValue(f.Name);
            Figure(ws.Cell(row, 2), now, false);
            Figure(ws.Cell(row, 3), before, false);
            var change = ws.Cell(row, 4);
            if (before is { } b)
            {
                change.SetValue(now - b);
                change.Style.NumberFormat.Format = CountChangeFormat;
            }
            else Dash(change);
            ws.Cell(row, 6).SetValue(f.Definition);
            ws.Cell(row, 6).Style.Alignment.WrapText = true;
        }
        return row;
    }

    // ---- 单位排名 --------------------------------------------------------------------------------------------------

    private static void Ranking(IXLWorksheet ws, SupervisionReportContent c)
    {
        // Every §8 figure (the same as 汇总, per unit), then the scheme's items, the score and the grade.
        var scheme = c.Statistics.Scheme;
        var figures = StatisticFigures.All;
        var headers = new[] { "排名", "单位", "类型" }.Concat(figures.Select(f => f.Name)).Concat(scheme.Items.Select(i => i.Label))
            .Append("得分").Append("等级").ToArray();
        var targets = string.Join("，", c.Targets.Select(t => $"{t.Key} {t.Value.ToString("0.#%", CultureInfo.InvariantCulture)}"));
        var grades = scheme.GradeBands.Count == 0 ? "不分等级"
            : "等级：" + string.Join("，", scheme.GradeBands.Select(b => b.MinShare > 0 ? $"{b.Grade} ≥ 满分的{ScoringSchemes.FormatShare(b.MinShare)}" : $"{b.Grade} 其余"));
        Titles(ws, c, "单位排名", headers.Length,
            $"按考核方案“{scheme.Title}”的得分排名，县区、市直部门、乡镇分别排名，同分按单位名称；{grades}；比率为“—”（无分母）的比率×分值项得满分；" +
            $"低于目标（{targets}）的单元格标红，接近目标的标黄");
        Header(ws, headers);
        var row = HeaderRow;
        var scoreColumn = 4 + figures.Count + scheme.Items.Count;
        foreach (var u in c.Statistics.Units)
        {
            row++;
            ws.Cell(row, 1).SetValue(u.Rank);
            ws.Cell(row, 2).SetValue(u.UnitName);
            ws.Cell(row, 3).SetValue((u.Kind ?? UnitKind.County).ToChinese());
            var missed = false;
            for (var i = 0; i < figures.Count; i++)
            {
                var f = figures[i];
                var cell = ws.Cell(row, 4 + i);
                var value = u.Stats.Value(f.Figure);
                Figure(cell, value, f.Kind == FigureKind.Rate);
                if (f.Kind == FigureKind.Rate && c.Targets.TryGetValue(f.Name, out var target))
                {
                    var status = Kpi.Status(value, target, c.AmberMargin);
                    missed |= status == TargetStatus.Missed;
                    Highlight(cell, status);
                }
            }
            for (var i = 0; i < u.Score.Items.Count; i++) Points(ws.Cell(row, 4 + figures.Count + i), u.Score.Items[i].Points);
            Points(ws.Cell(row, scoreColumn), u.Score.Total);
            ws.Cell(row, scoreColumn).Style.Font.Bold = true;
            var grade = ws.Cell(row, scoreColumn + 1);
            if (u.Score.Grade is { } g)
            {
                grade.SetValue(g);
                grade.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            }
            else Dash(grade);
            if (missed)
            {
                foreach (var col in new[] { 1, 2, 3 }) ws.Cell(row, col).Style.Fill.BackgroundColor = MissedRowFill;
            }
        }
        var fixedWidths = Enumerable.Range(3, headers.Length - 2).ToDictionary(col => col, _ => 9.0);
        fixedWidths[1] = 6;
        Widths(ws, headers, [[], [.. c.Statistics.Units.Select(u => u.UnitName)]], fixedWidths);
        Finish(ws, headers.Length, row, 0);
    }

    /// <summary>Points with two decimals; "—" for an item or score without data.</summary>
    private static void Points(IXLCell cell, double? points)
    {
        if (points is not { } p)
        {
            Dash(cell);
            return;
        }
        cell.SetValue(Math.Round(p, 2));
        cell.Style.NumberFormat.Format = PointsFormat;
    }

    // ---- 包案进展 --------------------------------------------------------------------------------------------------

    private static void Assignments(IXLWorksheet ws, SupervisionReportContent c)
    {
        string[] headers = ["包案领导", "职务", "责任单位", "责任人", "信访编号", "问题属地", "内容分类", "包案日期", "化解期限", "状态", "最新进展", "进展日期", "超期天数"];
        Titles(ws, c, "包案进展", headers.Length, $"截至 {c.Week.Sunday:yyyy-MM-dd} 的领导包案 {c.Assignments.Count} 件；状态与进展以周日为准，超期天数计至次周一");
        Header(ws, headers);
        var row = HeaderRow;
        foreach (var a in c.Assignments)
        {
            row++;
            ws.Cell(row, 1).SetValue(a.Leader);
            ws.Cell(row, 2).SetValue(a.LeaderTitle);
            ws.Cell(row, 3).SetValue(a.Unit);
            ws.Cell(row, 4).SetValue(a.Responsible);
            ws.Cell(row, 5).SetValue(a.CaseNumber);
            ws.Cell(row, 6).SetValue(a.Locality);
            ws.Cell(row, 7).SetValue(a.Category);
            Date(ws.Cell(row, 8), a.AssignedOn);
            Date(ws.Cell(row, 9), a.DueOn);
            // Still a date (sorts and filters as one), shown with the mark: the year's holidays are not loaded yet.
            if (a.DueIsProvisional) ws.Cell(row, 9).Style.NumberFormat.Format = ProvisionalDateFormat;
            ws.Cell(row, 10).SetValue(a.Resolved ? AssignmentStatus.Resolved.ToChinese() : AssignmentStatus.Active.ToChinese());
            if (a.LastProgress is { } progress)
            {
                ws.Cell(row, 11).SetValue(progress);
                ws.Cell(row, 11).Style.Alignment.WrapText = true;
            }
            if (a.LastProgressOn is { } on) Date(ws.Cell(row, 12), on);
            if (a.DaysOverdue is { } days)
            {
                ws.Cell(row, 13).SetValue(days);
                ws.Range(row, 1, row, headers.Length).Style.Fill.BackgroundColor = MissedRowFill;
                ws.Cell(row, 13).Style.Font.FontColor = MissedFont;
            }
        }
        string?[][] columns =
        [
            [.. c.Assignments.Select(a => a.Leader)], [.. c.Assignments.Select(a => a.LeaderTitle)], [.. c.Assignments.Select(a => a.Unit)],
            [.. c.Assignments.Select(a => a.Responsible)], [.. c.Assignments.Select(a => a.CaseNumber)], [.. c.Assignments.Select(a => a.Locality)],
            [.. c.Assignments.Select(a => a.Category)],
        ];
        Widths(ws, headers, columns, fixedWidths: new() { [8] = 12, [9] = c.Assignments.Any(a => a.DueIsProvisional) ? 26 : 12, [10] = 8, [11] = 40, [12] = 12, [13] = 9 });
        Finish(ws, headers.Length, row, 11);
    }

    // ---- 超期清单 / 重复信访 (skeletons: titles, header, template rows; the rows stream in) -------------------------------

    private static void OverdueSkeleton(IXLWorksheet ws, SupervisionReportContent c, IReadOnlyList<ReportOverdueRow> sample)
    {
        var figure = c.Statistics.All.Overdue;
        var note = c.OverdueListCount == figure
            ? $"本周超期数 {figure} 件，即下列信访件；办理期限为周末时所处环节的期限，超期天数计至 {c.Week.Sunday.AddDays(1):yyyy-MM-dd}（周一）；挂牌督办件标红"
            : $"统计表（截至 {BusinessTime.MinuteText(c.Statistics.Week.AsOfUtc)}）超期数 {figure} 件；本清单按导出时的数据生成，共 {c.OverdueListCount} 件，重新计算统计后两者一致";
        Titles(ws, c, "超期清单", OverdueHeaders.Length, note);
        Header(ws, OverdueHeaders);
        // Template rows: normal, and 挂牌督办 (highlighted).
        for (var t = 1; t <= 2; t++)
        {
            var row = HeaderRow + t;
            for (var col = 1; col <= OverdueHeaders.Length; col++) ws.Cell(row, col).SetValue("-");
            ws.Cell(row, 1).Style.NumberFormat.Format = CountFormat;
            ws.Cell(row, 10).Style.NumberFormat.Format = DateFormat;
            ws.Cell(row, 11).Style.NumberFormat.Format = CountFormat;
            ws.Cell(row, 13).Style.NumberFormat.Format = CountFormat;
            ws.Range(row, 1, row, OverdueHeaders.Length).Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
            ws.Range(row, 1, row, OverdueHeaders.Length).Style.Border.InsideBorder = XLBorderStyleValues.Thin;
            if (t == 2)
            {
                ws.Range(row, 1, row, OverdueHeaders.Length).Style.Fill.BackgroundColor = MissedRowFill;
                ws.Cell(row, 11).Style.Font.FontColor = MissedFont;
                ws.Cell(row, 12).Style.Font.FontColor = MissedFont;
            }
        }
        string?[][] columns =
        [
            [], [.. sample.Select(r => r.CaseNumber)], [.. sample.Select(r => r.Petitioners)], [.. sample.Select(r => r.IdNumber)],
            [.. sample.Select(r => r.Phone)], [.. sample.Select(r => r.Locality)], [.. sample.Select(r => r.Category)],
            [.. sample.Select(r => r.Unit)], [.. sample.Select(r => r.Leader)],
        ];
        Widths(ws, OverdueHeaders, columns, fixedWidths: new() { [1] = 8, [10] = sample.Any(r => r.DueIsProvisional) ? 26 : 12, [11] = 9, [12] = 10, [13] = 9 });
        ws.Column(3).Width = Math.Min(ws.Column(3).Width, 24);
        Finish(ws, OverdueHeaders.Length, HeaderRow + 2, 0);
    }

    private static void RepeatSkeleton(IXLWorksheet ws, SupervisionReportContent c, IReadOnlyList<ReportRepeatRow> sample)
    {
        Titles(ws, c, "重复信访", RepeatHeaders.Length,
            $"本周（{c.Week.Monday:MM-dd}～{c.Week.Sunday:MM-dd}）有重复信访的信访事项链；本周重件 {c.Statistics.All.RepeatPetitions} 件次，信访次数计至周日");
        Header(ws, RepeatHeaders);
        var row = HeaderRow + 1;
        for (var col = 1; col <= RepeatHeaders.Length; col++) ws.Cell(row, col).SetValue("-");
        ws.Cell(row, 1).Style.NumberFormat.Format = CountFormat;
        ws.Cell(row, 5).Style.NumberFormat.Format = CountFormat;
        ws.Cell(row, 6).Style.NumberFormat.Format = DateFormat;
        ws.Range(row, 1, row, RepeatHeaders.Length).Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        ws.Range(row, 1, row, RepeatHeaders.Length).Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        string?[][] columns =
        [
            [], [.. sample.Select(r => r.FirstCaseNumber)], [.. sample.Select(r => r.Petitioners)], [.. sample.Select(r => r.IdNumber)],
            [], [], [.. sample.Select(r => r.Leader)], [.. sample.Select(r => r.State.ToChinese())],
        ];
        Widths(ws, RepeatHeaders, columns, fixedWidths: new() { [1] = 8, [5] = 10, [6] = 14 });
        ws.Column(3).Width = Math.Min(ws.Column(3).Width, 24);
        Finish(ws, RepeatHeaders.Length, HeaderRow + 1, 0);
    }

    private static XlsxRow OverdueRow(int number, ReportOverdueRow r) => new(
    [
        XlsxCell.Of(number), XlsxCell.Of(r.CaseNumber), XlsxCell.Of(r.Petitioners), XlsxCell.Of(r.IdNumber), XlsxCell.Of(r.Phone),
        XlsxCell.Of(r.Locality), XlsxCell.Of(r.Category), XlsxCell.Of(r.Unit), XlsxCell.Of(r.Leader),
        // A streamed row has one date style: a provisional deadline is written as text with its mark.
        r.DueIsProvisional ? XlsxCell.Of($"{r.Due:yyyy-MM-dd}（{WorkingCalendar.ProvisionalMark}）") : XlsxCell.Of(r.Due),
        XlsxCell.Of(r.DaysOverdue), XlsxCell.Of(r.Supervision == SupervisionLevel.None ? null : r.Supervision.ToChinese()),
        XlsxCell.Of(r.Reminders),
    ], r.Supervision == SupervisionLevel.Listed ? 1 : 0);

    private static XlsxRow RepeatRow(int number, ReportRepeatRow r) => new(
    [
        XlsxCell.Of(number), XlsxCell.Of(r.FirstCaseNumber), XlsxCell.Of(r.Petitioners), XlsxCell.Of(r.IdNumber), XlsxCell.Of(r.Times),
        XlsxCell.Of(r.LastReceivedOn), XlsxCell.Of(r.Leader), XlsxCell.Of(r.State.ToChinese()),
    ]);

    // ---- shared layout ---------------------------------------------------------------------------------------------

    private static void Titles(IXLWorksheet ws, SupervisionReportContent c, string sheet, int columns, string note)
    {
        var title = ws.Range(1, 1, 1, columns).Merge();
        title.FirstCell().SetValue($"{c.Bureau}信访工作督办通报　{sheet}");
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 16;
        title.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        ws.Row(1).Height = 28;
        var sub = ws.Range(2, 1, 2, columns).Merge();
        sub.FirstCell().SetValue(
            $"统计周：{c.Week}（{c.Week.Monday:yyyy年M月d日}至{c.Week.Sunday:yyyy年M月d日}）　统计截至：{BusinessTime.MinuteText(c.Statistics.Week.AsOfUtc)}" +
            $"{(c.Statistics.Week.Published ? "（已发布）" : "")}　制表：{BusinessTime.MinuteText(c.GeneratedAtUtc)} {c.GeneratedBy}　{note}");
        sub.Style.Alignment.WrapText = true;
        sub.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        sub.Style.Font.FontSize = 10;
        ws.Row(2).Height = 30;
    }

    private static void Header(IXLWorksheet ws, IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++) ws.Cell(HeaderRow, i + 1).SetValue(headers[i]);
        var range = ws.Range(HeaderRow, 1, HeaderRow, headers.Count);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = HeaderFill;
        range.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        range.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        range.Style.Alignment.WrapText = true;
        range.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        range.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        ws.Row(HeaderRow).Height = 30;
    }

    /// <summary>Freeze, filter, borders, wrapping, and A4 landscape print setup with the title and header rows repeated.</summary>
    private static void Finish(IXLWorksheet ws, int columns, int lastRow, int wrapColumn)
    {
        if (lastRow > HeaderRow)
        {
            var body = ws.Range(HeaderRow + 1, 1, lastRow, columns);
            body.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
            body.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
            body.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        }
        ws.Range(HeaderRow, 1, Math.Max(lastRow, HeaderRow), columns).SetAutoFilter();
        ws.SheetView.FreezeRows(HeaderRow);
        if (wrapColumn > 0) ws.Column(wrapColumn).Style.Alignment.WrapText = true;

        PrintOnA4Landscape(ws, HeaderRow);
    }

    /// <summary>A4 landscape, one page wide, rows 1…<paramref name="repeatedRows"/> on every page, page numbers in the footer.</summary>
    internal static void PrintOnA4Landscape(IXLWorksheet ws, int repeatedRows)
    {
        var page = ws.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.FitToPages(1, 0);
        page.SetRowsToRepeatAtTop(1, repeatedRows);
        page.Margins.Left = page.Margins.Right = 0.4;
        page.Margins.Top = page.Margins.Bottom = 0.6;
        page.Margins.Header = page.Margins.Footer = 0.3;
        page.CenterHorizontally = true;
        page.Footer.Center.AddText("第 &P 页，共 &N 页");
    }

    private static void Widths(IXLWorksheet ws, string[] headers, string?[][] columns, Dictionary<int, double> fixedWidths)
    {
        for (var col = 1; col <= headers.Length; col++)
        {
            if (fixedWidths.TryGetValue(col, out var w))
            {
                ws.Column(col).Width = Math.Max(w, ExcelText.DisplayWidth(headers[col - 1]) + 2);
                continue;
            }
            var values = col <= columns.Length ? columns[col - 1] : [];
            ws.Column(col).Width = ExcelText.ColumnWidth(values.Append(headers[col - 1]), min: 8, max: 30);
        }
    }

    private static void Figure(IXLCell cell, double? value, bool rate)
    {
        if (value is not { } v)
        {
            Dash(cell);
            return;
        }
        cell.SetValue(v);
        cell.Style.NumberFormat.Format = rate ? RateFormat : CountFormat;
    }

    /// <summary>"—" for a rate with a zero denominator (never 0 % or 100 %).</summary>
    private static void Dash(IXLCell cell)
    {
        cell.SetValue("—");
        cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
    }

    private static void Date(IXLCell cell, DateOnly date)
    {
        cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
        cell.Style.NumberFormat.Format = DateFormat;
    }

    private static void Highlight(IXLCell cell, TargetStatus status)
    {
        if (status == TargetStatus.Missed)
        {
            cell.Style.Fill.BackgroundColor = MissedFill;
            cell.Style.Font.FontColor = MissedFont;
            cell.Style.Font.Bold = true;
        }
        else if (status == TargetStatus.Near) cell.Style.Fill.BackgroundColor = NearFill;
    }

}

public sealed record ReportWriteResult(int OverdueRows, int RepeatRows);
