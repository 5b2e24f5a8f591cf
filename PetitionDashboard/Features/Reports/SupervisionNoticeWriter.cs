using System.Globalization;
using ClosedXML.Excel;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Reports;

/// <summary>
/// Lays out one unit's 督办单 (docs/rules.md §13): one sheet, A4 landscape, the title rows repeated on every page; the
/// unit's overdue cases with the 超期清单 columns, its 挂牌督办 cases, its 包案 past deadline, and the 反馈 deadline.
/// A unit's lists are short, so the whole sheet is written with ClosedXML.
/// </summary>
public static class SupervisionNoticeWriter
{
    public const string SheetName = "督办单";
    public const string OverdueSection = "一、超期信访件（本周超期清单）";
    public const string ListedSection = "二、挂牌督办件";
    public const string AssignmentSection = "三、超期领导包案";

    private static readonly string[] ListedHeaders =
        ["序号", "信访编号", "信访人", "问题属地", "内容分类", "包案领导", "当前期限", "超期天数", "催办次数"];

    private static readonly string[] AssignmentHeaders =
        ["序号", "信访编号", "包案领导", "职务", "责任人", "问题属地", "内容分类", "包案日期", "化解期限", "超期天数", "最新进展"];

    private static readonly XLColor HeaderFill = XLColor.FromHtml("#DDEBF7");
    private static readonly XLColor SectionFill = XLColor.FromHtml("#F2F2F2");
    private const string DateFormat = "yyyy-mm-dd";
    private const int Columns = 13;

    public static void Write(NoticeContent c, Stream output)
    {
        using var wb = new XLWorkbook();
        wb.Style.Font.FontName = "等线";
        wb.Style.Font.FontSize = 11;
        var ws = wb.Worksheets.Add(SheetName);

        var title = ws.Range(1, 1, 1, Columns).Merge();
        title.FirstCell().SetValue($"{c.Bureau}督办单");
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 18;
        title.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        ws.Row(1).Height = 30;
        var sub = ws.Range(2, 1, 2, Columns).Merge();
        sub.FirstCell().SetValue(
            $"致：{c.Unit}　统计周：{c.Week}（{c.Week.Monday:yyyy年M月d日}至{c.Week.Sunday:yyyy年M月d日}）　" +
            $"制发：{BusinessTime.MinuteText(c.GeneratedAtUtc)} {c.GeneratedBy}");
        sub.Style.Alignment.WrapText = true;
        sub.Style.Font.FontSize = 10;
        var ask = ws.Range(3, 1, 3, Columns).Merge();
        ask.FirstCell().SetValue(
            $"请于 {c.ResponseDueOn:yyyy年M月d日} 前将下列信访事项的办理情况书面反馈至{c.Bureau}（超期信访件 {c.Overdue.Count} 件，挂牌督办件 {c.Listed.Count} 件，超期包案 {c.Assignments.Count} 件）。");
        ask.Style.Font.Bold = true;
        ask.Style.Alignment.WrapText = true;
        ws.Row(3).Height = 30;

        var row = 4;
        row = Section(ws, row, OverdueSection, SupervisionReportWriter.OverdueHeaders, c.Overdue.Count, (r, i) =>
        {
            var o = c.Overdue[i];
            object?[] values = [i + 1, o.CaseNumber, o.Petitioners, o.IdNumber, o.Phone, o.Locality, o.Category, o.Unit, o.Leader, o.Due, o.DaysOverdue,
                o.Supervision == SupervisionLevel.None ? null : o.Supervision.ToChinese(), o.Reminders];
            return values;
        });
        row = Section(ws, row + 1, ListedSection, ListedHeaders, c.Listed.Count, (r, i) =>
        {
            var l = c.Listed[i];
            object?[] values = [i + 1, l.CaseNumber, l.Petitioners, l.Locality, l.Category, l.Leader, l.Due, l.DaysOverdue, l.Reminders];
            return values;
        });
        row = Section(ws, row + 1, AssignmentSection, AssignmentHeaders, c.Assignments.Count, (r, i) =>
        {
            var a = c.Assignments[i];
            object?[] values = [i + 1, a.CaseNumber, a.Leader, a.LeaderTitle, a.Responsible, a.Locality, a.Category, a.AssignedOn, a.DueOn, a.DaysOverdue, a.LastProgress];
            return values;
        });

        // Widths from the content (a CJK character is two units wide); no AdjustToContents (needs GDI+).
        for (var col = 1; col <= Columns; col++)
        {
            var texts = ws.Column(col).CellsUsed().Where(cell => cell.Address.RowNumber > 3 && !cell.IsMerged()).Select(cell => cell.GetString());
            ws.Column(col).Width = ExcelText.ColumnWidth(texts, min: col == 1 ? 6 : 8, max: 30);
        }

        SupervisionReportWriter.PrintOnA4Landscape(ws, 3);
        wb.SaveAs(output);
    }

    /// <summary>A section title, its header row and its rows (or 无); returns the last row written.</summary>
    private static int Section(IXLWorksheet ws, int row, string name, string[] headers, int count, Func<int, int, object?[]> values)
    {
        var caption = ws.Range(row, 1, row, Columns).Merge();
        caption.FirstCell().SetValue($"{name}　共 {count} 件");
        caption.Style.Font.Bold = true;
        caption.Style.Fill.BackgroundColor = SectionFill;
        row++;
        for (var i = 0; i < headers.Length; i++) ws.Cell(row, i + 1).SetValue(headers[i]);
        var head = ws.Range(row, 1, row, headers.Length);
        head.Style.Font.Bold = true;
        head.Style.Fill.BackgroundColor = HeaderFill;
        head.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        var first = row;
        if (count == 0)
        {
            row++;
            ws.Cell(row, 1).SetValue("无");
        }
        for (var i = 0; i < count; i++)
        {
            row++;
            var cells = values(row, i);
            for (var col = 0; col < cells.Length; col++) Set(ws.Cell(row, col + 1), cells[col]);
        }
        var range = ws.Range(first, 1, row, headers.Length);
        range.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        range.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        return row;
    }

    /// <summary>Every text is set as a value, never as a formula (a name starting with "=" stays text).</summary>
    private static void Set(IXLCell cell, object? value)
    {
        switch (value)
        {
            case null: break;
            case int n: cell.SetValue(n); break;
            case DateOnly d:
                cell.SetValue(d.ToDateTime(TimeOnly.MinValue));
                cell.Style.NumberFormat.Format = DateFormat;
                break;
            default: cell.SetValue(ExcelText.Clean(Convert.ToString(value, CultureInfo.InvariantCulture))); break;
        }
    }

}
