using System.Globalization;
using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.Infrastructure.Excel;

public enum XlsxCellKind { Empty, Text, Number, Date }

/// <summary>One value of a streamed row. Text is always written as a string, never as a formula.</summary>
public readonly record struct XlsxCell(XlsxCellKind Kind, string? Text, double Number)
{
    public static readonly XlsxCell Empty = new(XlsxCellKind.Empty, null, 0);

    public static XlsxCell Of(string? text) => string.IsNullOrEmpty(text) ? Empty : new(XlsxCellKind.Text, text, 0);

    public static XlsxCell Of(int number) => new(XlsxCellKind.Number, null, number);

    public static XlsxCell Of(int? number) => number is { } n ? Of(n) : Empty;

    public static XlsxCell Of(DateOnly? date) =>
        date is { } d ? new(XlsxCellKind.Date, null, d.ToDateTime(TimeOnly.MinValue).ToOADate()) : Empty;
}

/// <summary>A data row of a streamed sheet; <see cref="Template"/> picks which styled template row it looks like (0: normal).</summary>
public readonly record struct XlsxRow(IReadOnlyList<XlsxCell> Cells, int Template = 0);

/// <summary>
/// A long list that goes into a sheet the ClosedXML skeleton prepared: title rows, the header row at
/// <see cref="HeaderRow"/>, and <see cref="TemplateRows"/> styled rows right below it whose cell styles every data row copies
/// (the template rows themselves are dropped).
/// </summary>
public sealed record StreamedSheet(string Name, int HeaderRow, int TemplateRows, IAsyncEnumerable<XlsxRow> Rows);

/// <summary>
/// Writes an .xlsx whose small, styled sheets come from ClosedXML and whose long lists are streamed row by row with
/// OpenXmlWriter. ClosedXML 0.95 keeps every cell in memory (100,000 rows ≈ 1 GB); here memory stays flat in the row
/// count. The skeleton is saved to memory (it is small), then copied part by part into a new package written straight
/// to <c>output</c>: the long sheets' parts are rewritten with their rows streamed in, the autofilter ranges (sheet and
/// workbook) stretched to the last row, everything else copied byte for byte.
/// </summary>
public static class StreamedWorkbook
{
    /// <summary>The media type of every .xlsx the app serves (the report, an import's error list).</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task<IReadOnlyDictionary<string, int>> WriteAsync(
        XLWorkbook skeleton, IReadOnlyList<StreamedSheet> streamed, Stream output, IProgress<int>? rowsWritten = null,
        CancellationToken ct = default)
    {
        using var skeletonBytes = new MemoryStream();
        skeleton.SaveAs(skeletonBytes);
        skeletonBytes.Position = 0;

        var plans = new List<SheetPlan>();
        Workbook workbook;
        string workbookEntry;
        using (var doc = SpreadsheetDocument.Open(skeletonBytes, false))
        {
            var part = doc.WorkbookPart ?? throw new InvalidOperationException("skeleton has no workbook part");
            workbookEntry = EntryName(part.Uri);
            workbook = (Workbook)part.Workbook.CloneNode(true);
            var sheets = part.Workbook.Sheets!.Elements<Sheet>().ToList();
            foreach (var s in streamed)
            {
                var index = sheets.FindIndex(x => x.Name?.Value == s.Name);
                if (index < 0) throw new InvalidOperationException($"skeleton has no sheet {s.Name}");
                var sheetPart = (WorksheetPart)part.GetPartById(sheets[index].Id!.Value!);
                plans.Add(new SheetPlan(s, index, EntryName(sheetPart.Uri), (Worksheet)sheetPart.Worksheet.CloneNode(true)));
            }
        }

        skeletonBytes.Position = 0;
        var counts = new Dictionary<string, int>();
        using (var source = new ZipArchive(skeletonBytes, ZipArchiveMode.Read, leaveOpen: true))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                if (entry.FullName == workbookEntry || plans.Any(p => p.Entry == entry.FullName)) continue;
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                await using var from = entry.Open();
                await using var to = copy.Open();
                await from.CopyToAsync(to, ct);
            }

            var total = 0;
            foreach (var plan in plans)
            {
                var progress = rowsWritten is null ? null : new InlineProgress<int>(n => rowsWritten.Report(total + n));
                plan.LastRow = await WriteSheetAsync(target.CreateEntry(plan.Entry, CompressionLevel.Fastest), plan, progress, ct);
                counts[plan.Sheet.Name] = plan.DataRows;
                total += plan.DataRows;
            }
            rowsWritten?.Report(total);

            // The workbook's hidden _FilterDatabase names carry the filter range too (Excel uses them on open).
            foreach (var name in workbook.DefinedNames?.Elements<DefinedName>() ?? [])
            {
                // ClosedXML 0.95 writes print titles as "Sheet!1:3"; Excel and LibreOffice repeat the rows only for "'Sheet'!$1:$3".
                if (name.Name?.Value == "_xlnm.Print_Titles" && name.Text is { } titles)
                    name.Text = System.Text.RegularExpressions.Regex.Replace(titles, @"^'?(.*?)'?!\$?(\d+):\$?(\d+)$", "'$1'!$$$2:$$$3");
                if (name.Name?.Value != "_xlnm._FilterDatabase" || name.LocalSheetId is null) continue;
                var plan = plans.FirstOrDefault(p => p.SheetIndex == name.LocalSheetId.Value);
                if (plan is not null) name.Text = $"'{plan.Sheet.Name.Replace("'", "''")}'!{plan.FilterRange(absolute: true)}";
            }
            await using var workbookStream = target.CreateEntry(workbookEntry, CompressionLevel.Fastest).Open();
            var xml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + workbook.OuterXml);
            await workbookStream.WriteAsync(xml, ct);
        }
        return counts;
    }

    private static string EntryName(Uri partUri) => partUri.OriginalString.TrimStart('/');

    private static async Task<int> WriteSheetAsync(ZipArchiveEntry entry, SheetPlan plan, IProgress<int>? progress, CancellationToken ct)
    {
        var header = plan.Sheet.HeaderRow;
        var data = plan.Worksheet.GetFirstChild<SheetData>() ?? throw new InvalidOperationException($"{plan.Sheet.Name} has no sheet data");
        var rows = data.Elements<Row>().ToList();
        var headerRow = rows.FirstOrDefault(r => r.RowIndex?.Value == header)
            ?? throw new InvalidOperationException($"{plan.Sheet.Name} has no header row {header}");
        plan.LastColumn = headerRow.Elements<Cell>().Select(c => ExcelText.ColumnNumber(c.CellReference?.Value)).DefaultIfEmpty(1).Max();
        var templates = Enumerable.Range(1, plan.Sheet.TemplateRows)
            .Select(i => StylesOf(rows.FirstOrDefault(r => r.RowIndex?.Value == header + i), plan.LastColumn))
            .ToList();
        if (templates.Count == 0) templates.Add(new uint[plan.LastColumn + 1]);
        var columns = Enumerable.Range(0, plan.LastColumn + 1).Select(c => c == 0 ? "" : ExcelText.ColumnLetters(c)).ToArray();

        await using var stream = entry.Open();
        using var w = OpenXmlWriter.Create(stream, Encoding.UTF8);
        w.WriteStartDocument();
        var ws = plan.Worksheet;
        w.WriteStartElement(new Worksheet(), ws.GetAttributes(), ws.NamespaceDeclarations);
        var rowNumber = (int)header;
        foreach (var child in ws.ChildElements)
        {
            switch (child)
            {
                case SheetDimension:
                    continue; // optional; its range would be stale
                case SheetData:
                    w.WriteStartElement(new SheetData());
                    foreach (var row in rows.Where(r => r.RowIndex?.Value <= header)) w.WriteElement(row);
                    var row0 = new Row();
                    var cell0 = new Cell();
                    var inline0 = new InlineString();
                    await foreach (var row in plan.Sheet.Rows.WithCancellation(ct))
                    {
                        rowNumber++;
                        var rowText = rowNumber.ToString(CultureInfo.InvariantCulture);
                        var styles = templates[Math.Clamp(row.Template, 0, templates.Count - 1)];
                        w.WriteStartElement(row0, [new OpenXmlAttribute("r", "", rowText)]);
                        for (var i = 0; i < row.Cells.Count && i < plan.LastColumn; i++)
                        {
                            var value = row.Cells[i];
                            var style = styles[i + 1];
                            var reference = columns[i + 1] + rowText;
                            var attributes = new List<OpenXmlAttribute>(3) { new("r", "", reference) };
                            if (style != 0) attributes.Add(new("s", "", style.ToString(CultureInfo.InvariantCulture)));
                            switch (value.Kind)
                            {
                                case XlsxCellKind.Empty:
                                    if (style == 0) continue;
                                    w.WriteStartElement(cell0, attributes);
                                    w.WriteEndElement();
                                    break;
                                case XlsxCellKind.Text:
                                    attributes.Add(new("t", "", "inlineStr"));
                                    w.WriteStartElement(cell0, attributes);
                                    w.WriteStartElement(inline0);
                                    w.WriteElement(new Text(ExcelText.Clean(value.Text)) { Space = SpaceProcessingModeValues.Preserve });
                                    w.WriteEndElement();
                                    w.WriteEndElement();
                                    break;
                                default:
                                    w.WriteStartElement(cell0, attributes);
                                    w.WriteElement(new CellValue(value.Number.ToString("R", CultureInfo.InvariantCulture)));
                                    w.WriteEndElement();
                                    break;
                            }
                        }
                        w.WriteEndElement();
                        plan.DataRows++;
                        if (plan.DataRows % 1000 == 0) progress?.Report(plan.DataRows);
                    }
                    w.WriteEndElement();
                    break;
                case AutoFilter filter:
                    plan.LastRow = rowNumber;
                    var stretched = (AutoFilter)filter.CloneNode(true);
                    stretched.Reference = plan.FilterRange(absolute: false);
                    w.WriteElement(stretched);
                    break;
                default:
                    w.WriteElement(child);
                    break;
            }
        }
        w.WriteEndElement();
        w.Close();
        progress?.Report(plan.DataRows);
        return rowNumber;
    }

    private static uint[] StylesOf(Row? row, int lastColumn)
    {
        var styles = new uint[lastColumn + 1];
        foreach (var c in row?.Elements<Cell>() ?? [])
        {
            var col = ExcelText.ColumnNumber(c.CellReference?.Value);
            if (col <= lastColumn) styles[col] = c.StyleIndex?.Value ?? 0;
        }
        return styles;
    }

    private sealed class SheetPlan(StreamedSheet sheet, int sheetIndex, string entry, Worksheet worksheet)
    {
        public StreamedSheet Sheet { get; } = sheet;
        public int SheetIndex { get; } = sheetIndex;
        public string Entry { get; } = entry;
        public Worksheet Worksheet { get; } = worksheet;
        public int LastColumn { get; set; } = 1;
        public int LastRow { get; set; }
        public int DataRows { get; set; }

        public string FilterRange(bool absolute)
        {
            var last = Math.Max(LastRow, Sheet.HeaderRow);
            var col = ExcelText.ColumnLetters(LastColumn);
            return absolute ? $"$A${Sheet.HeaderRow}:${col}${last}" : $"A{Sheet.HeaderRow}:{col}{last}";
        }
    }
}
