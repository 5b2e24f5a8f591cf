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

/// <summary>
/// How to read one ledger: the sheet to read (null: the first, docs/rules.md §7) and the user's answer for headers the
/// format does not know — header text (as <see cref="LedgerReader.Normalize"/> leaves it) → a column of
/// <see cref="LedgerColumns.All"/>, or <see cref="Ignore"/>. Saved as a <see cref="Domain.LedgerProfile"/>.
/// </summary>
public sealed record LedgerReading(string? Sheet = null, IReadOnlyDictionary<string, string>? Mapping = null, string? ProfileName = null)
{
    /// <summary>The mapping target that reads past a column.</summary>
    public const string Ignore = "";

    public static readonly LedgerReading Default = new();
}

/// <summary>
/// A ledger opened for streaming (<see cref="LedgerReader.Open"/>): <see cref="Rows"/> enumerates the data rows once, then
/// <see cref="ReadUnits"/> reads the optional 单位 sheet into <see cref="LedgerSheet.Units"/>.
/// </summary>
public sealed class LedgerStream(Stream file, UploadedWorkbook book, LedgerSheet sheet, IEnumerable<LedgerRow> rows, Action readUnits) : IDisposable
{
    public LedgerSheet Sheet => sheet;
    public IEnumerable<LedgerRow> Rows => rows;
    public void ReadUnits() => readUnits();

    public void Dispose()
    {
        book.Dispose();
        file.Dispose();
    }
}

/// <summary>One header cell: its sheet column (1-based), its text, and what it was read as.</summary>
public sealed record LedgerHeader(int Column, string Text, string? Field, bool Ignored)
{
    /// <summary>Neither a column of the format, an alias, a column known to carry nothing, nor mapped by the user.</summary>
    public bool Unknown => Field is null && !Ignored;
}

/// <summary>What the reader found: header row, columns, rows, units — or the file-level errors that stop the import.</summary>
public sealed class LedgerSheet
{
    private static readonly Dictionary<string, int> Ordinals =
        LedgerColumns.All.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);

    public static int Ordinal(string column) => Ordinals[column];

    public string SheetName { get; set; } = "";
    /// <summary>The sheets that could hold the ledger (every sheet but the 单位 sheet), in workbook order.</summary>
    public IReadOnlyList<string> SheetNames { get; set; } = [];
    /// <summary>The field row: the (lower) row whose texts name the columns; a group row above it is read with it.</summary>
    public int HeaderRowNumber { get; set; }
    /// <summary>The header cells as read (a two-row header combined: the field row's text, else the group row's above it).</summary>
    public List<LedgerHeader> Headers { get; } = [];
    /// <summary>Our column → the header text it was found under.</summary>
    public Dictionary<string, string> Columns { get; } = [];
    public List<string> UnknownColumns { get; } = [];
    /// <summary>The data rows, kept only by <see cref="LedgerReader.Read"/> (the preview); <see cref="LedgerReader.Open"/> streams them.</summary>
    public List<LedgerRow> Rows { get; } = [];
    /// <summary>Data rows read so far (all of them once the rows were read to the end).</summary>
    public int RowCount { get; set; }
    public List<LedgerUnitRow> Units { get; } = [];
    public List<ImportError> Errors { get; } = [];
    /// <summary>合计 / 总计 lines of the exporting system, read past.</summary>
    public int SkippedTotalRows { get; set; }
    /// <summary>The first data rows as they stand in the sheet (every column, mapped or not): the page's samples.</summary>
    public List<(int Number, List<(int Col, LedgerCell Cell)> Cells)> SampleRows { get; } = [];

    /// <summary>The set of header texts, order-free: a saved profile is used again when the same set comes back.</summary>
    public string HeaderSet => LedgerReader.HeaderSet(Headers.Select(h => h.Text));
}

/// <summary>
/// Reads the ledger .xlsx as untrusted input (<see cref="UploadedWorkbook"/>), one row at a time (50,000 rows read in seconds, no per-cell
/// objects kept beyond the values): the chosen sheet (default the first), its header row (the first row holding 信访编号, an
/// alias, or a header the user mapped to it; rows above it are titles; a second header row right under it — a group row
/// over the field row — is read with it), and the optional 单位 sheet. The exporting system's 合计 / 总计 lines are skipped.
/// </summary>
public static class LedgerReader
{
    /// <summary>Rows searched for the header.</summary>
    public const int HeaderSearchRows = 30;

    /// <summary>Data rows kept as samples for the page's mapping step.</summary>
    public const int SampleRowCount = 5;

    /// <summary>
    /// Reads the ledger under <paramref name="limits"/> (<see cref="UploadedWorkbook"/>): a file over a limit or damaged is
    /// refused with an <see cref="Domain.ActionRefusedException"/> before its content is held. <paramref name="maxRows"/>
    /// stops after that many data rows (the page's preview reads no further), leaving the 单位 sheet unread.
    /// </summary>
    public static LedgerSheet Read(
        string path, IReadOnlyDictionary<string, string> aliases, WorkbookLimits limits, IProgress<int>? rowsRead = null, CancellationToken ct = default,
        LedgerReading? reading = null, int? maxRows = null)
    {
        using var stream = Open(path, aliases, limits, rowsRead, ct, reading, maxRows);
        foreach (var row in stream.Rows) stream.Sheet.Rows.Add(row);
        if (maxRows is null) stream.ReadUnits();
        return stream.Sheet;
    }

    /// <summary>
    /// Opens the ledger for reading its data rows one at a time without keeping them (<see cref="LedgerStream.Rows"/>: the
    /// import checks and writes them in batches, so its memory does not grow with the file). <see cref="LedgerStream.Sheet"/>
    /// holds what <see cref="Read"/> finds, except <see cref="LedgerSheet.Rows"/>; its header and file-level errors are
    /// complete once <see cref="LedgerStream.Rows"/> has been enumerated to the end.
    /// </summary>
    public static LedgerStream Open(
        string path, IReadOnlyDictionary<string, string> aliases, WorkbookLimits limits, IProgress<int>? rowsRead = null, CancellationToken ct = default,
        LedgerReading? reading = null, int? maxRows = null)
    {
        reading ??= LedgerReading.Default;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.RandomAccess);
        UploadedWorkbook book;
        try { book = UploadedWorkbook.Open(file, limits); }
        catch
        {
            file.Dispose();
            throw;
        }
        var names = book.SheetNames;
        var unitSheet = names.Skip(1).Select((n, i) => (n, i: i + 1)).FirstOrDefault(s => Normalize(s.n) == LedgerColumns.UnitSheet);
        var candidates = names.Where((n, i) => unitSheet.n is null || i != unitSheet.i).ToList();
        var result = new LedgerSheet { SheetName = names[0], SheetNames = candidates };
        var index = 0;
        if (reading.Sheet is { Length: > 0 } wanted)
        {
            index = names.ToList().FindIndex(n => Normalize(n) == Normalize(wanted));
            if (index < 0)
            {
                result.Errors.Add(new ImportError(0, "工作表", wanted,
                    $"工作簿中没有名为“{wanted}”的工作表；可选的工作表：{string.Join("、", candidates)}"));
                return new LedgerStream(file, book, result, [], () => { });
            }
            result.SheetName = names[index];
        }
        var rows = ReadLedger(Rows(book, index, ct), aliases, reading.Mapping ?? new Dictionary<string, string>(), result, rowsRead, maxRows, ct);
        var units = unitSheet.n is not null && unitSheet.i != index ? () => ReadUnits(Rows(book, unitSheet.i, ct), result, ct) : (Action)(() => { });
        return new LedgerStream(file, book, result, rows, units);
    }

    /// <summary>The set of header texts, order-free, as one string (the key a profile is found by).</summary>
    public static string HeaderSet(IEnumerable<string> headers) =>
        string.Join("|", headers.Select(Normalize).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>What a header text is read as: the user's mapping first, then the format's names, its aliases, the ignored columns.</summary>
    public static (string? Field, bool Ignored) Classify(string header, IReadOnlyDictionary<string, string> aliases, IReadOnlyDictionary<string, string> mapping)
    {
        if (mapping.TryGetValue(header, out var mapped))
            return mapped == LedgerReading.Ignore ? (null, true) : LedgerColumns.All.Contains(mapped) ? (mapped, false) : (null, false);
        if (LedgerColumns.All.Contains(header)) return (header, false);
        if (aliases.TryGetValue(header, out var c) && LedgerColumns.All.Contains(c)) return (c, false);
        return (null, LedgerColumns.Ignored.Contains(header));
    }

    private sealed record HeaderRead(int[] Map, List<LedgerHeader> Headers, Dictionary<string, string> Columns, List<string> Unknown, List<ImportError> Errors);

    private static IEnumerable<LedgerRow> ReadLedger(
        IEnumerable<(int Number, List<(int Col, LedgerCell Cell)> Cells)> rows, IReadOnlyDictionary<string, string> aliases,
        IReadOnlyDictionary<string, string> mapping, LedgerSheet result, IProgress<int>? rowsRead, int? maxRows, CancellationToken ct)
    {
        HeaderRead? header = null; // sheet column (1-based) → our ordinal, -1 unknown
        List<(int Col, LedgerCell Cell)>? headerCells = null;
        var secondRowChecked = false;
        var caseOrdinal = LedgerSheet.Ordinal(LedgerColumns.CaseNumber);
        foreach (var (number, cells) in rows)
        {
            if (header is null)
            {
                if (number > HeaderSearchRows) break;
                if (!cells.Any(c => Classify(Normalize(c.Cell.Text), aliases, mapping).Field == LedgerColumns.CaseNumber)) continue;
                header = Header(number, cells, aliases, mapping);
                headerCells = cells;
                result.HeaderRowNumber = number;
                continue;
            }
            if (!secondRowChecked)
            {
                secondRowChecked = true;
                // A group row over the field row: the field row comes right under it, with the group row's vertically
                // merged cells (信访件编号 spanning both rows) blank in it. Its texts win; blanks keep the group row's.
                var caseColumn = Array.IndexOf(header.Map, caseOrdinal);
                if (number == result.HeaderRowNumber + 1
                    && !cells.Any(c => c.Col == caseColumn && !c.Cell.IsBlank)
                    && cells.Any(c => Classify(Normalize(c.Cell.Text), aliases, mapping) is { Field: not null } or { Ignored: true }))
                {
                    var combined = headerCells!.Where(h => !cells.Any(c => c.Col == h.Col && !c.Cell.IsBlank)).Concat(cells).OrderBy(c => c.Col).ToList();
                    header = Header(number, combined, aliases, mapping);
                    result.HeaderRowNumber = number;
                    continue;
                }
            }
            var map = header.Map;
            if (IsTotalRow(cells, map, caseOrdinal))
            {
                result.SkippedTotalRows++;
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
            if (result.SampleRows.Count < SampleRowCount) result.SampleRows.Add((number, cells));
            result.RowCount++;
            yield return new LedgerRow(number, row);
            if (result.RowCount == maxRows) break;
            if (result.RowCount % 1000 == 0)
            {
                ct.ThrowIfCancellationRequested();
                rowsRead?.Report(result.RowCount);
            }
        }
        if (header is null)
        {
            var names = string.Join("、", aliases.Where(a => a.Value == LedgerColumns.CaseNumber).Select(a => a.Key)
                .Concat(mapping.Where(m => m.Value == LedgerColumns.CaseNumber).Select(m => m.Key)));
            result.Errors.Add(new ImportError(0, "表头", null,
                $"工作表“{result.SheetName}”的前 {HeaderSearchRows} 行中找不到表头：表头行须含“{LedgerColumns.CaseNumber}”列" +
                (names.Length > 0 ? $"（或其别名：{names}）" : "")));
            yield break;
        }
        result.Headers.AddRange(header.Headers);
        foreach (var (k, v) in header.Columns) result.Columns[k] = v;
        result.UnknownColumns.AddRange(header.Unknown);
        result.Errors.AddRange(header.Errors);
        var missing = LedgerColumns.Required.Where(c => !result.Columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            result.Errors.Add(new ImportError(result.HeaderRowNumber, "表头", null,
                $"缺少必填列：{string.Join("、", missing)}" +
                (result.UnknownColumns.Count > 0 ? $"（未识别的列：{string.Join("、", result.UnknownColumns)}，可在导入页面将其对应到字段，或用 --profile 指定对应方案）" : "")));
        rowsRead?.Report(result.RowCount);
    }

    /// <summary>
    /// The exporting system's total line (合计 / 总计 / 小计, usually in the 序号 column at the end): its first cell says so and
    /// it carries no 信访编号 of its own.
    /// </summary>
    private static bool IsTotalRow(List<(int Col, LedgerCell Cell)> cells, int[] map, int caseOrdinal)
    {
        var first = cells.Where(c => !c.Cell.IsBlank).OrderBy(c => c.Col).FirstOrDefault();
        if (first.Cell.Text is null) return false;
        var text = Normalize(first.Cell.Text);
        if (!LedgerColumns.TotalRowLabels.Any(l => text.StartsWith(l, StringComparison.Ordinal))) return false;
        var caseColumn = Array.IndexOf(map, caseOrdinal);
        return first.Col == caseColumn || !cells.Any(c => c.Col == caseColumn && !c.Cell.IsBlank);
    }

    /// <summary>Sheet column → our ordinal (-1: not read), and what each header was read as.</summary>
    private static HeaderRead Header(
        int number, List<(int Col, LedgerCell Cell)> cells, IReadOnlyDictionary<string, string> aliases, IReadOnlyDictionary<string, string> mapping)
    {
        var read = new HeaderRead(new int[cells.Count == 0 ? 1 : cells.Max(c => c.Col) + 1], [], [], [], []);
        Array.Fill(read.Map, -1);
        foreach (var (col, cell) in cells)
        {
            var header = Normalize(cell.Text);
            if (header.Length == 0) continue;
            var (canonical, ignored) = Classify(header, aliases, mapping);
            read.Headers.Add(new LedgerHeader(col, header, canonical, ignored));
            if (canonical is null)
            {
                if (!ignored) read.Unknown.Add(header);
                continue;
            }
            if (read.Columns.TryGetValue(canonical, out var earlier))
            {
                read.Errors.Add(new ImportError(number, header, header,
                    $"表头“{earlier}”与“{header}”都对应“{canonical}”列，无法确定使用哪一列"));
                continue;
            }
            read.Columns[canonical] = header;
            read.Map[col] = LedgerSheet.Ordinal(canonical);
        }
        return read;
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
