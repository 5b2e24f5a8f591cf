using System.Runtime.CompilerServices;
using ClosedXML.Excel;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// The downloadable list of an import's errors: one row per error (行号, 列, 值, 原因). Title and header come from ClosedXML,
/// the rows are streamed (a bad 50,000-row file can have more errors than rows). Values are written as text, so a bad cell
/// such as “=HYPERLINK(…)” is shown, never evaluated.
/// </summary>
public static class ImportErrorWorkbook
{
    public const string SheetName = "错误清单";
    private const int HeaderRow = ListSheetLayout.HeaderRow;
    private static readonly string[] Headers = ["行号", "列", "值", "原因"];

    public static string FileName(string ledgerFileName) => $"导入错误-{Path.GetFileNameWithoutExtension(ledgerFileName)}.xlsx";

    public static async Task WriteAsync(ImportResult result, DateTime generatedAtUtc, Stream output, CancellationToken ct = default)
    {
        using var wb = new XLWorkbook();
        wb.Style.Font.FontName = "等线";
        var ws = wb.Worksheets.Add(SheetName);
        ListSheetLayout.Lay(ws, $"台账导入错误清单：{result.FileName}",
            $"检查时间：{generatedAtUtc.Add(Domain.BusinessTime.Offset):yyyy-MM-dd HH:mm}　{result.Summary}。请改正后重新导入整个文件。", Headers);
        ws.Cell(HeaderRow + 1, 1).Style.NumberFormat.Format = "0";
        ws.Column(1).Width = 8;
        ws.Column(2).Width = ExcelText.ColumnWidth(result.Errors.Take(2000).Select(e => e.Column).Append("列"), min: 10, max: 20);
        ws.Column(3).Width = ExcelText.ColumnWidth(result.Errors.Take(2000).Select(e => e.Value), min: 12, max: 30);
        ws.Column(4).Width = 70;

        await StreamedWorkbook.WriteAsync(wb, [new StreamedSheet(SheetName, HeaderRow, 1, Rows(result.Errors, ct))], output, null, ct);
    }

    private static async IAsyncEnumerable<XlsxRow> Rows(IReadOnlyList<ImportError> errors, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var e in errors)
        {
            ct.ThrowIfCancellationRequested();
            yield return new XlsxRow([e.Row > 0 ? XlsxCell.Of(e.Row) : XlsxCell.Empty, XlsxCell.Of(e.Column), XlsxCell.Of(e.Value), XlsxCell.Of(e.Reason)]);
        }
        await Task.CompletedTask;
    }
}
