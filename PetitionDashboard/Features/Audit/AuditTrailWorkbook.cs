using System.Runtime.CompilerServices;
using ClosedXML.Excel;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Audit;

/// <summary>
/// The audit trail as an .xlsx (审计管理员 "reads and exports the audit trail"): a title naming the filter, who exported it
/// and when, then one row per entry with the page's columns. Title and header come from ClosedXML, the rows are streamed
/// (<see cref="StreamedWorkbook"/>): years of trail fit without holding it in memory. Values are the page's, masked.
/// </summary>
public static class AuditTrailWorkbook
{
    public const string SheetName = "审计日志";
    private const int HeaderRow = ListSheetLayout.HeaderRow;
    private static readonly string[] Headers = ["时间", "操作人", "操作", "对象", "信访编号", "字段", "原值", "新值", "说明"];
    private static readonly double[] Widths = [20, 22, 16, 14, 20, 16, 26, 26, 50];

    public static string FileName(DateTime generatedAtUtc) => $"审计日志-{generatedAtUtc.Add(BusinessTime.Offset):yyyyMMdd-HHmm}.xlsx";

    /// <summary>Writes the workbook; returns the number of rows.</summary>
    public static async Task<int> WriteAsync(string filterText, string exportedBy, DateTime generatedAtUtc, IAsyncEnumerable<AuditRow> rows,
        Stream output, CancellationToken ct = default)
    {
        using var wb = new XLWorkbook();
        wb.Style.Font.FontName = "等线";
        var ws = wb.Worksheets.Add(SheetName);
        ListSheetLayout.Lay(ws, "审计日志",
            $"范围：{filterText}　导出人：{exportedBy}　导出时间：{generatedAtUtc.Add(BusinessTime.Offset):yyyy-MM-dd HH:mm}　身份证号、联系电话已脱敏", Headers);
        for (var i = 0; i < Headers.Length; i++) ws.Column(i + 1).Width = Widths[i];
        ws.Cell(HeaderRow + 1, 1).Style.NumberFormat.Format = "yyyy-mm-dd hh:mm:ss";

        var counts = await StreamedWorkbook.WriteAsync(wb, [new StreamedSheet(SheetName, HeaderRow, 1, Rows(rows, ct))], output, null, ct);
        return counts[SheetName];
    }

    private static async IAsyncEnumerable<XlsxRow> Rows(IAsyncEnumerable<AuditRow> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in rows.WithCancellation(ct))
            yield return new XlsxRow([
                new XlsxCell(XlsxCellKind.Date, null, r.AtLocal.ToOADate()), XlsxCell.Of(r.ActorText), XlsxCell.Of(r.ActionText),
                XlsxCell.Of(r.EntityText), XlsxCell.Of(r.CaseNumber), XlsxCell.Of(r.FieldText), XlsxCell.Of(r.OldText),
                XlsxCell.Of(r.NewText), XlsxCell.Of(r.Detail),
            ]);
    }
}
