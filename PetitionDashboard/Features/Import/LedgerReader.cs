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
/// Reads the ledger .xlsx as untrusted input (<see cref="UploadedWorkbook"/>), one row at a time (50,000 rows read in seconds, no per-cell
/// objects kept beyond the values): the first sheet, its header row (the first row holding 信访编号 or an alias; rows
/// above it are titles), and the optional 单位 sheet.
/// </summary>
public static class LedgerReader
{
    /// <summary>Rows searched for the header.</summary>
    public const int HeaderSearchRows = 30;

    /// <summary>
    /// Reads the ledger under <paramref name="limits"/> (<see cref="UploadedWorkbook"/>): a file over a limit or damaged is
    /// refused with an <see cref="Domain.ActionRefusedException"/> before its content is held.
    /// </summary>
    public static LedgerSheet Read(
        string path, IReadOnlyDictionary<string, string> aliases, WorkbookLimits limits, IProgress<int>? rowsRead = null, CancellationToken ct = default)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.RandomAccess);
        using var book = UploadedWorkbook.Open(file, limits);
        var names = book.SheetNames;
        var result = new LedgerSheet { SheetName = names[0] };
        ReadLedger(Rows(book, 0, ct), aliases, result, rowsRead, ct);

        var unitSheet = names.Skip(1).Select((n, i) => (n, i: i + 1)).FirstOrDefault(s => Normalize(s.n) == LedgerColumns.UnitSheet);
        if (unitSheet.n is not null) ReadUnits(Rows(book, unitSheet.i, ct), result, ct);
        return result;
    }

    private static void ReadLedger(
        IEnumerable<(int Number, List<(int Col, LedgerCell Cell)> Cells)> rows, IReadOnlyDictionary<string, string> aliases, LedgerSheet result,
        IProgress<int>? rowsRead, CancellationToken ct)
    {
        int[]? map = null; // sheet column (1-based) → our ordinal, -1 unknown
        foreach (var (number, cells) in rows)
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

    private static void ReadUnits(IEnumerable<(int Number, List<(int Col, LedgerCell Cell)> Cells)> rows, LedgerSheet result, CancellationToken ct)
    {
        int nameCol = 0, kindCol = 0;
        foreach (var (number, cells) in rows)
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
    private static IEnumerable<(int Number, List<(int Col, LedgerCell Cell)> Cells)> Rows(UploadedWorkbook book, int sheet, CancellationToken ct) =>
        book.Rows(sheet, ct).Select(r => (r.Number, r.Cells.ConvertAll(c => (c.Column, new LedgerCell(c.Text, c.Number, c.IsDate, c.IsFormula)))));
}
