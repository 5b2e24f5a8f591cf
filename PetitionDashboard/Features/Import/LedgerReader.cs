using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// One cell as the ledger holds it. <see cref="Number"/> is set for numeric cells (an Excel date is a number with a date
/// format, <see cref="IsDate"/>). A formula cell is data: <see cref="Text"/> is its formula text ("=A1+1"), never evaluated
/// and never its cached result — what the sender typed is what we keep or refuse.
/// </summary>
public readonly record struct LedgerCell(string Text, double? Number, bool IsDate, bool IsFormula)
{
    public static readonly LedgerCell Blank = new("", null, false, false);

    public bool IsBlank => Number is null && string.IsNullOrWhiteSpace(Text);
}

/// <summary>A data row: its Excel row number and its cells by <see cref="LedgerColumns.All"/> position.</summary>
public sealed record LedgerRow(int RowNumber, LedgerCell[] Cells)
{
    public LedgerCell this[string column] => Cells[LedgerSheet.Ordinal(column)];
}

/// <summary>A row of the 单位 sheet.</summary>
public sealed record LedgerUnitRow(int RowNumber, string Name, string Kind);

/// <summary>What the reader found: header row, columns, rows, units — or the file-level errors that stop the import.</summary>
public sealed class LedgerSheet
{
    private static readonly Dictionary<string, int> Ordinals =
        LedgerColumns.All.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);

    public static int Ordinal(string column) => Ordinals[column];

    public string SheetName { get; init; } = "";
    public int HeaderRowNumber { get; set; }
    /// <summary>Our column → the header text it was found under.</summary>
    public Dictionary<string, string> Columns { get; } = [];
    public List<string> UnknownColumns { get; } = [];
    public List<LedgerRow> Rows { get; } = [];
    public List<LedgerUnitRow> Units { get; } = [];
    public List<ImportError> Errors { get; } = [];
}

/// <summary>
/// Reads the ledger .xlsx with the OpenXml SAX reader, one row at a time (50,000 rows read in seconds, no per-cell
/// objects kept beyond the values): the first sheet, its header row (the first row holding 信访编号 or an alias; rows
/// above it are titles), and the optional 单位 sheet.
/// </summary>
public static class LedgerReader
{
    /// <summary>Rows searched for the header.</summary>
    public const int HeaderSearchRows = 30;

    public static LedgerSheet Read(string path, IReadOnlyDictionary<string, string> aliases, IProgress<int>? rowsRead = null, CancellationToken ct = default)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var book = doc.WorkbookPart ?? throw new InvalidDataException("工作簿中没有工作表");
        var sheets = book.Workbook.Sheets?.Elements<Sheet>().ToList() ?? [];
        if (sheets.Count == 0) throw new InvalidDataException("工作簿中没有工作表");
        var strings = SharedStrings(book);
        var dates = DateStyles(book);

        var first = sheets[0];
        var result = new LedgerSheet { SheetName = first.Name?.Value ?? "" };
        ReadLedger((WorksheetPart)book.GetPartById(first.Id!.Value!), strings, dates, aliases, result, rowsRead, ct);

        var unitSheet = sheets.Skip(1).FirstOrDefault(s => Normalize(s.Name?.Value) == LedgerColumns.UnitSheet);
        if (unitSheet is not null) ReadUnits((WorksheetPart)book.GetPartById(unitSheet.Id!.Value!), strings, dates, result, ct);
        return result;
    }

    private static void ReadLedger(
        WorksheetPart part, string[] strings, bool[] dates, IReadOnlyDictionary<string, string> aliases, LedgerSheet result,
        IProgress<int>? rowsRead, CancellationToken ct)
    {
        int[]? map = null; // sheet column (1-based) → our ordinal, -1 unknown
        foreach (var (number, cells) in Rows(part, strings, dates))
        {
            if (map is null)
            {
                if (number > HeaderSearchRows) break;
                map = HeaderMap(number, cells, aliases, result);
                continue;
            }
            var row = new LedgerCell[LedgerColumns.All.Count];
            Array.Fill(row, LedgerCell.Blank);
            var any = false;
            foreach (var (col, cell) in cells)
            {
                if (col >= map.Length || map[col] < 0 || cell.IsBlank) continue;
                row[map[col]] = cell;
                any = true;
            }
            if (!any) continue;
            result.Rows.Add(new LedgerRow(number, row));
            if (result.Rows.Count % 1000 == 0)
            {
                ct.ThrowIfCancellationRequested();
                rowsRead?.Report(result.Rows.Count);
            }
        }
        if (map is null)
        {
            var names = string.Join("、", aliases.Where(a => a.Value == LedgerColumns.CaseNumber).Select(a => a.Key));
            result.Errors.Add(new ImportError(0, "表头", null,
                $"第一张工作表“{result.SheetName}”的前 {HeaderSearchRows} 行中找不到表头：表头行须含“{LedgerColumns.CaseNumber}”列" +
                (names.Length > 0 ? $"（或其别名：{names}）" : "")));
            return;
        }
        var missing = LedgerColumns.Required.Where(c => !result.Columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            result.Errors.Add(new ImportError(result.HeaderRowNumber, "表头", null, $"缺少必填列：{string.Join("、", missing)}"));
        rowsRead?.Report(result.Rows.Count);
    }

    /// <summary>Null when the row is not the header (a title row); else sheet column → our ordinal.</summary>
    private static int[]? HeaderMap(int number, List<(int Col, LedgerCell Cell)> cells, IReadOnlyDictionary<string, string> aliases, LedgerSheet result)
    {
        string? Canonical(string header) =>
            LedgerColumns.All.Contains(header) ? header : aliases.TryGetValue(header, out var c) && LedgerColumns.All.Contains(c) ? c : null;

        if (!cells.Any(c => Canonical(Normalize(c.Cell.Text)) == LedgerColumns.CaseNumber)) return null;
        result.HeaderRowNumber = number;
        var map = new int[cells.Count == 0 ? 1 : cells.Max(c => c.Col) + 1];
        Array.Fill(map, -1);
        foreach (var (col, cell) in cells)
        {
            var header = Normalize(cell.Text);
            if (header.Length == 0) continue;
            var canonical = Canonical(header);
            if (canonical is null)
            {
                result.UnknownColumns.Add(header);
                continue;
            }
            if (result.Columns.TryGetValue(canonical, out var earlier))
            {
                result.Errors.Add(new ImportError(number, header, header,
                    $"表头“{earlier}”与“{header}”都对应“{canonical}”列，无法确定使用哪一列"));
                continue;
            }
            result.Columns[canonical] = header;
            map[col] = LedgerSheet.Ordinal(canonical);
        }
        return map;
    }

    private static void ReadUnits(WorksheetPart part, string[] strings, bool[] dates, LedgerSheet result, CancellationToken ct)
    {
        int nameCol = 0, kindCol = 0;
        foreach (var (number, cells) in Rows(part, strings, dates))
        {
            ct.ThrowIfCancellationRequested();
            if (nameCol == 0)
            {
                foreach (var (col, cell) in cells)
                {
                    var h = Normalize(cell.Text);
                    if (h == LedgerColumns.UnitName) nameCol = col;
                    else if (h == LedgerColumns.UnitKind) kindCol = col;
                }
                if (nameCol == 0 && number >= HeaderSearchRows)
                {
                    result.Errors.Add(new ImportError(0, LedgerColumns.UnitSheet, null, $"“单位”工作表中找不到“{LedgerColumns.UnitName}”列"));
                    return;
                }
                continue;
            }
            var name = cells.FirstOrDefault(c => c.Col == nameCol).Cell.Text?.Trim() ?? "";
            var kind = kindCol == 0 ? "" : cells.FirstOrDefault(c => c.Col == kindCol).Cell.Text?.Trim() ?? "";
            if (name.Length == 0 && kind.Length == 0) continue;
            result.Units.Add(new LedgerUnitRow(number, name, kind));
        }
    }

    /// <summary>Header text compared without any whitespace (titles often pad with spaces or line breaks).</summary>
    public static string Normalize(string? text) =>
        text is null ? "" : string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The non-empty rows of a sheet, streamed: (row number, [(column, cell)]).</summary>
    private static IEnumerable<(int Number, List<(int Col, LedgerCell Cell)> Cells)> Rows(WorksheetPart part, string[] strings, bool[] dates)
    {
        using var reader = OpenXmlReader.Create(part);
        var next = 1;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var number = (int?)row.RowIndex?.Value ?? next;
            next = number + 1;
            var cells = new List<(int, LedgerCell)>();
            var col = 0;
            foreach (var c in row.Elements<Cell>())
            {
                col = c.CellReference?.Value is { } reference ? ExcelText.ColumnNumber(reference) : col + 1;
                if (col < 1 || col > ExcelText.MaxColumns)
                    throw new ActionRefusedException(
                        $"第 {number} 行的单元格“{FieldLengths.Clip(c.CellReference?.Value, 20)}”不是有效的单元格位置（超出 Excel 的最大列 XFD），文件可能已损坏，未导入任何数据");
                var value = Value(c, strings, dates);
                if (!value.IsBlank) cells.Add((col, value));
            }
            if (cells.Count > 0) yield return (number, cells);
        }
    }

    private static LedgerCell Value(Cell c, string[] strings, bool[] dates)
    {
        if (c.CellFormula is { } formula)
            return new LedgerCell("=" + formula.Text, null, false, true);
        var raw = c.CellValue?.Text;
        var type = c.DataType?.Value;
        if (type == CellValues.SharedString)
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < strings.Length
                ? new LedgerCell(strings[i], null, false, false) : LedgerCell.Blank;
        if (type == CellValues.InlineString) return new LedgerCell(c.InlineString?.InnerText ?? raw ?? "", null, false, false);
        if (type == CellValues.String || type == CellValues.Error) return new LedgerCell(raw ?? "", null, false, false);
        if (type == CellValues.Boolean) return new LedgerCell(raw == "1" ? "TRUE" : "FALSE", null, false, false);
        if (type == CellValues.Date) return new LedgerCell(raw ?? "", null, false, false);
        if (raw is null) return LedgerCell.Blank;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return new LedgerCell(raw, null, false, false);
        var style = (int?)c.StyleIndex?.Value ?? 0;
        var isDate = style < dates.Length && dates[style];
        return new LedgerCell(number.ToString("R", CultureInfo.InvariantCulture), number, isDate, false);
    }

    private static string[] SharedStrings(WorkbookPart book)
    {
        var part = book.SharedStringTablePart;
        if (part is null) return [];
        var list = new List<string>();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                var item = (SharedStringItem)reader.LoadCurrentElement()!;
                // Rich text: the runs' texts; phonetic (ruby) runs are not part of the value.
                list.Add(item.Text?.Text ?? string.Concat(item.Elements<Run>().Select(r => r.Text?.Text)));
            }
        }
        return [.. list];
    }

    /// <summary>For each cell style: does its number format show a date?</summary>
    private static bool[] DateStyles(WorkbookPart book)
    {
        var styles = book.WorkbookStylesPart?.Stylesheet;
        if (styles?.CellFormats is null) return [];
        var custom = styles.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        return styles.CellFormats.Elements<CellFormat>().Select(f =>
        {
            var id = f.NumberFormatId?.Value ?? 0;
            return id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58
                || (custom.TryGetValue(id, out var code) && LooksLikeDate(code));
        }).ToArray();
    }

    private static bool LooksLikeDate(string code)
    {
        var inQuote = false;
        var inBracket = false;
        foreach (var ch in code)
        {
            if (ch == '"') inQuote = !inQuote;
            else if (!inQuote && ch == '[') inBracket = true;
            else if (!inQuote && ch == ']') inBracket = false;
            else if (!inQuote && !inBracket && ch is 'y' or 'Y' or 'd' or 'D' or 'm' or 'M' && code.Contains('y', StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
