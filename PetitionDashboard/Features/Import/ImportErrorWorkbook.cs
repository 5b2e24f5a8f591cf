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
    private const int HeaderRow = 3;
    private static readonly string[] Headers = ["行号", "列", "值", "原因"];

    public static string FileName(string ledgerFileName) => $"导入错误-{Path.GetFileNameWithoutExtension(ledgerFileName)}.xlsx";

    public static async Task WriteAsync(ImportResult result, DateTime generatedAtUtc, Stream output, CancellationToken ct = default)
    {
        using var wb = new XLWorkbook();
        wb.Style.Font.FontName = "等线";
        var ws = wb.Worksheets.Add(SheetName);
        var title = ws.Range(1, 1, 1, Headers.Length).Merge();
        title.FirstCell().SetValue($"台账导入错误清单：{result.FileName}");
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 14;
        var sub = ws.Range(2, 1, 2, Headers.Length).Merge();
        sub.FirstCell().SetValue(
            $"检查时间：{generatedAtUtc.Add(Domain.BusinessTime.Offset):yyyy-MM-dd HH:mm}　{result.Summary}。请改正后重新导入整个文件。");
        sub.Style.Alignment.WrapText = true;
        ws.Row(2).Height = 30;
        for (var i = 0; i < Headers.Length; i++) ws.Cell(HeaderRow, i + 1).SetValue(Headers[i]);
        var header = ws.Range(HeaderRow, 1, HeaderRow, Headers.Length);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
        header.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        header.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        // Template row for the streamed rows' styles.
        for (var i = 1; i <= Headers.Length; i++) ws.Cell(HeaderRow + 1, i).SetValue("-");
        var template = ws.Range(HeaderRow + 1, 1, HeaderRow + 1, Headers.Length);
        template.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        template.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        template.Style.Alignment.WrapText = true;
        template.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        ws.Cell(HeaderRow + 1, 1).Style.NumberFormat.Format = "0";
        ws.Column(1).Width = 8;
        ws.Column(2).Width = ExcelText.ColumnWidth(result.Errors.Take(2000).Select(e => e.Column).Append("列"), min: 10, max: 20);
        ws.Column(3).Width = ExcelText.ColumnWidth(result.Errors.Take(2000).Select(e => e.Value), min: 12, max: 30);
        ws.Column(4).Width = 70;
        ws.Range(HeaderRow, 1, HeaderRow + 1, Headers.Length).SetAutoFilter();
        ws.SheetView.FreezeRows(HeaderRow);
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.FitToPages(1, 0);
        ws.PageSetup.SetRowsToRepeatAtTop(1, HeaderRow);

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
