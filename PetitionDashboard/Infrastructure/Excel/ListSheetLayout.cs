using ClosedXML.Excel;

namespace PetitionDashboard.Infrastructure.Excel;

/// <summary>
/// The skeleton of a one-list sheet whose rows are streamed (<see cref="StreamedWorkbook"/>): a bold title row, a wrapped
/// subtitle row, a filtered, frozen header row with borders, and one styled template row below it for the streamed rows;
/// printed A4 landscape, one page wide, title and header repeated on every page. Callers set column widths and formats.
/// </summary>
public static class ListSheetLayout
{
    public const int HeaderRow = 3;

    public static void Lay(IXLWorksheet ws, string title, string subtitle, IReadOnlyList<string> headers)
    {
        var titleRange = ws.Range(1, 1, 1, headers.Count).Merge();
        titleRange.FirstCell().SetValue(title);
        titleRange.Style.Font.Bold = true;
        titleRange.Style.Font.FontSize = 14;
        var sub = ws.Range(2, 1, 2, headers.Count).Merge();
        sub.FirstCell().SetValue(subtitle);
        sub.Style.Alignment.WrapText = true;
        ws.Row(2).Height = 30;
        for (var i = 0; i < headers.Count; i++) ws.Cell(HeaderRow, i + 1).SetValue(headers[i]);
        var header = ws.Range(HeaderRow, 1, HeaderRow, headers.Count);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
        header.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        header.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        // Template row for the streamed rows' styles.
        for (var i = 1; i <= headers.Count; i++) ws.Cell(HeaderRow + 1, i).SetValue("-");
        var template = ws.Range(HeaderRow + 1, 1, HeaderRow + 1, headers.Count);
        template.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        template.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        template.Style.Alignment.WrapText = true;
        template.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        ws.Range(HeaderRow, 1, HeaderRow + 1, headers.Count).SetAutoFilter();
        ws.SheetView.FreezeRows(HeaderRow);
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.FitToPages(1, 0);
        ws.PageSetup.SetRowsToRepeatAtTop(1, HeaderRow);
    }
}
