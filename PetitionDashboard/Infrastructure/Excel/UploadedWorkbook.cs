using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Infrastructure.Excel;

/// <summary>
/// The limits an uploaded workbook is read under. <paramref name="Section"/> names the configuration section the refusal
/// messages point to (the values come from <c>Import:*</c>).
/// </summary>
public sealed record WorkbookLimits(
    long MaxUnzippedBytes, int MaxRows, int MaxColumns, int MaxSharedStrings, long MaxSharedStringCharacters, int MaxCellCharacters,
    string Section = "Import")
{
    /// <summary>Excel's own grid: 16,384 columns (XFD). A reference beyond it is not a cell.</summary>
    public const int ExcelColumns = 16_384;

    /// <summary>A single tag (element name and attributes) longer than this is not something Excel writes.</summary>
    public const int MaxMarkupBytes = 1024 * 1024;

    /// <summary>Spreadsheet XML is a few levels deep; a deeper nesting only serves to grow the parser's stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>A package with more parts than this is not a ledger (the central directory costs memory per entry).</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Cell formats and number formats: Excel itself stops at 64,000.</summary>
    public const int MaxStyles = 65_536;
}

/// <summary>One non-blank cell as read: its text, or its number (a date when its style shows one), or its formula text.</summary>
public readonly record struct WorkbookCell(int Column, string Text, double? Number, bool IsDate, bool IsFormula);

/// <summary>A sheet row that has at least one non-blank cell.</summary>
public sealed record WorkbookRow(int Number, List<WorkbookCell> Cells);

/// <summary>
/// An uploaded .xlsx read as untrusted input: the package is opened with <see cref="ZipArchive"/> and its parts parsed
/// with a plain <see cref="XmlReader"/> (no DTDs), every part through a stream that counts the bytes it really inflates
/// (a header that understates an entry's size cannot pass) and refuses an overlong tag, text read in chunks so one
/// oversized cell or shared string is refused before it is held. Every limit of <see cref="WorkbookLimits"/> and every
/// broken package (not a zip, cut off, a part missing, bad XML) ends in an <see cref="ActionRefusedException"/> with a
/// Chinese message that names the limit or the damage — never an English .NET message, never unbounded memory.
/// </summary>
public sealed class UploadedWorkbook : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly WorkbookLimits _limits;
    private readonly List<(string Name, string Part)> _sheets = [];
    private string[]? _strings;
    private bool[]? _dates;
    private long _inflated;
    private string? _sharedStringsPart;
    // One text at a time is read (cell by cell, item by item): its chunk buffer and builder are reused, not made per cell.
    private readonly char[] _chunk = new char[4096];
    private readonly StringBuilder _text = new();
    private string? _stylesPart;

    private UploadedWorkbook(ZipArchive zip, WorkbookLimits limits)
    {
        _zip = zip;
        _limits = limits;
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> SheetNames => [.. _sheets.Select(s => s.Name)];

    /// <summary>Opens a workbook from a seekable stream (the stream stays the caller's); refuses a file over the limits.</summary>
    public static UploadedWorkbook Open(Stream content, WorkbookLimits limits)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new ActionRefusedException("文件不是有效的 Excel 工作簿（.xlsx 是 zip 压缩包）：内容不是 zip 格式，或文件不完整（上传中断或已损坏）");
        }
        var book = new UploadedWorkbook(zip, limits);
        try
        {
            book.ReadPackage();
            return book;
        }
        catch
        {
            book.Dispose();
            throw;
        }
    }

    public void Dispose() => _zip.Dispose();

    private void ReadPackage()
    {
        Guard(() =>
        {
            var entries = _zip.Entries;
            if (entries.Count > WorkbookLimits.MaxEntries)
                throw new ActionRefusedException($"工作簿包含 {entries.Count} 个部件，超过 {WorkbookLimits.MaxEntries} 个，不是正常的 Excel 文件");
            long declared = 0;
            foreach (var entry in entries)
            {
                declared += entry.Length;
                _entries[entry.FullName.TrimStart('/')] = entry;
            }
            if (declared > _limits.MaxUnzippedBytes) throw UnzippedTooLarge();
            return 0;
        });

        var workbookPart = Guard(() => Relationships("_rels/.rels", "").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target)
            ?? "xl/workbook.xml";
        var rels = Guard(() => Relationships(RelsOf(workbookPart), Folder(workbookPart)));
        _sharedStringsPart = rels.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
        _stylesPart = rels.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal)).Target;
        var byId = rels.Where(r => r.Id is not null).GroupBy(r => r.Id!).ToDictionary(g => g.Key, g => g.First().Target);
        Guard(() =>
        {
            using var reader = Xml(workbookPart, required: true)!;
            while (Next(reader))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "sheet") continue;
                if (_sheets.Count >= WorkbookLimits.MaxEntries) throw Damaged(workbookPart);
                var name = reader.GetAttribute("name") ?? "";
                var id = RelationshipId(reader);
                if (id is not null && byId.TryGetValue(id, out var target)) _sheets.Add((name, target));
                else throw new ActionRefusedException($"工作簿已损坏：工作表“{name}”找不到对应的部件");
            }
            return 0;
        });
        if (_sheets.Count == 0) throw new ActionRefusedException("工作簿中没有工作表");
    }

    /// <summary>The shared string table, read once (count, total length and each string's length limited).</summary>
    public string[] SharedStrings => _strings ??= Guard(ReadSharedStrings);

    /// <summary>For each cell style: does its number format show a date?</summary>
    public bool[] DateStyles => _dates ??= Guard(ReadDateStyles);

    /// <summary>
    /// The rows of sheet <paramref name="sheet"/> that hold a non-blank cell, streamed. Every row element counts against
    /// <see cref="WorkbookLimits.MaxRows"/>, blank or not; a cell beyond <see cref="WorkbookLimits.MaxColumns"/> is refused.
    /// </summary>
    public IEnumerable<WorkbookRow> Rows(int sheet, CancellationToken ct = default)
    {
        var (name, part) = _sheets[sheet];
        var strings = SharedStrings;
        var dates = DateStyles;
        using var rows = ReadRows(name, part, strings, dates, ct).GetEnumerator();
        while (true)
        {
            WorkbookRow row;
            try
            {
                if (!rows.MoveNext()) yield break;
                row = rows.Current;
            }
            catch (Exception e) when (IsDamage(e))
            {
                throw Damaged(part);
            }
            yield return row;
        }
    }

    private IEnumerable<WorkbookRow> ReadRows(string sheetName, string part, string[] strings, bool[] dates, CancellationToken ct)
    {
        using var reader = Xml(part, required: true)!;
        var rowCount = 0;
        var next = 1;
        var lastWidth = 4;
        while (Next(reader))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row") continue;
            if (++rowCount > _limits.MaxRows)
                throw new ActionRefusedException(
                    $"工作表“{sheetName}”超过 {_limits.MaxRows} 行的上限（空行也计入；上限由 {_limits.Section}:MaxRows 设置），未读取任何数据");
            if (rowCount % 1000 == 0) ct.ThrowIfCancellationRequested();
            var number = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : next;
            next = number + 1;
            if (reader.IsEmptyElement) continue;
            // Sized like the row before (a ledger's rows are alike): no regrowing per row (issue 12).
            var cells = new List<WorkbookCell>(lastWidth);
            var col = 0;
            var cellCount = 0;
            var rowDepth = reader.Depth;
            while (Next(reader) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == rowDepth))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "c") continue;
                var reference = reader.GetAttribute("r");
                col = reference is null ? col + 1 : Column(reference, number);
                if (col > _limits.MaxColumns || ++cellCount > _limits.MaxColumns)
                    throw new ActionRefusedException(
                        $"工作表“{sheetName}”第 {number} 行的单元格 {ExcelText.ColumnLetters(Math.Min(col, WorkbookLimits.ExcelColumns))}{number} " +
                        $"超出 {_limits.MaxColumns} 列的上限（上限由 {_limits.Section}:MaxColumns 设置），未读取任何数据");
                var cell = ReadCell(reader, col, number, strings, dates);
                if (cell is { } c) cells.Add(c);
            }
            lastWidth = Math.Max(4, cells.Count);
            if (cells.Count > 0) yield return new WorkbookRow(number, cells);
        }
    }

    /// <summary>The 1-based column of a reference; refuses one beyond Excel's XFD without ever computing a huge number.</summary>
    private int Column(string reference, int row)
    {
        var n = 0;
        foreach (var ch in reference)
        {
            var upper = char.ToUpperInvariant(ch);
            if (upper is < 'A' or > 'Z') break;
            n = n * 26 + (upper - 'A' + 1);
            if (n > WorkbookLimits.ExcelColumns)
                throw new ActionRefusedException(
                    $"第 {row} 行的单元格位置“{Clip(reference, 20)}”超出 Excel 的列范围（最多 {WorkbookLimits.ExcelColumns} 列，至 XFD 列），文件已损坏或被篡改");
        }
        return n == 0 ? 1 : n;
    }

    private WorkbookCell? ReadCell(XmlReader reader, int col, int row, string[] strings, bool[] dates)
    {
        var type = reader.GetAttribute("t");
        var style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (reader.IsEmptyElement) return null;
        string? value = null, formula = null, inline = null;
        var depth = reader.Depth;
        var what = new TextPlace(row, col, 0);
        while (Next(reader) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "v": value = ElementText(reader, what); break;
                case "f": formula = ElementText(reader, what); break;
                case "is": inline = StringItem(reader, what); break;
            }
        }
        if (formula is not null) return new WorkbookCell(col, "=" + formula, null, false, true);
        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < strings.Length
                    ? Text(col, strings[i]) : null;
            case "inlineStr": return Text(col, inline ?? value);
            case "str" or "e" or "d": return Text(col, value);
            case "b": return new WorkbookCell(col, value == "1" ? "TRUE" : "FALSE", null, false, false);
        }
        if (value is null) return null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return Text(col, value);
        var isDate = style >= 0 && style < dates.Length && dates[style];
        return new WorkbookCell(col, number.ToString("R", CultureInfo.InvariantCulture), number, isDate, false);

        static WorkbookCell? Text(int col, string? text) =>
            string.IsNullOrWhiteSpace(text) ? null : new WorkbookCell(col, text, null, false, false);
    }

    private string[] ReadSharedStrings()
    {
        if (_sharedStringsPart is null) return [];
        using var reader = Xml(_sharedStringsPart, required: false);
        if (reader is null) return [];
        var list = new List<string>();
        long characters = 0;
        while (Next(reader))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "si") continue;
            if (list.Count >= _limits.MaxSharedStrings)
                throw new ActionRefusedException(
                    $"工作簿的共享字符串超过 {_limits.MaxSharedStrings} 个的上限（上限由 {_limits.Section}:MaxSharedStrings 设置），未读取任何数据");
            var text = reader.IsEmptyElement ? "" : StringItem(reader, new TextPlace(0, 0, list.Count + 1));
            characters += text.Length;
            if (characters > _limits.MaxSharedStringCharacters)
                throw new ActionRefusedException(
                    $"工作簿的共享字符串总长度超过 {_limits.MaxSharedStringCharacters} 个字符的上限（上限由 {_limits.Section}:MaxSharedStringCharacters 设置），未读取任何数据");
            list.Add(text);
        }
        return [.. list];
    }

    /// <summary>The text of a rich-text item (si or is): its t, or its runs' t; phonetic (ruby) runs are not part of the value.</summary>
    private string StringItem(XmlReader reader, TextPlace what)
    {
        var depth = reader.Depth;
        var text = _text.Clear();
        var phonetic = -1;
        while (Next(reader) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh" && !reader.IsEmptyElement && phonetic < 0) phonetic = reader.Depth;
            else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == phonetic) phonetic = -1;
            else if (phonetic < 0 && reader.NodeType == XmlNodeType.Element && reader.LocalName == "t" && !reader.IsEmptyElement)
                AppendText(reader, text, what);
        }
        return text.ToString();
    }

    /// <summary>The text content of the current element (v, f), limited to one cell's length.</summary>
    private string ElementText(XmlReader reader, TextPlace what)
    {
        if (reader.IsEmptyElement) return "";
        var text = _text.Clear();
        AppendText(reader, text, what);
        return text.ToString();
    }

    /// <summary>Appends the text inside the current element up to its end, chunk by chunk, refusing it past the cell limit.</summary>
    private void AppendText(XmlReader reader, StringBuilder text, TextPlace what)
    {
        var depth = reader.Depth;
        var buffer = _chunk;
        while (Next(reader) && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)) continue;
            int read;
            while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
            {
                if (text.Length + read > _limits.MaxCellCharacters)
                    throw new ActionRefusedException(
                        $"{what}超过 {_limits.MaxCellCharacters} 个字符的上限（上限由 {_limits.Section}:MaxCellCharacters 设置），未读取任何数据");
                text.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>
    /// Where a text is, for the message that refuses it: built only then, not once per cell read (a 50,000-row ledger has a
    /// million cells; with a new 4,096-char buffer and builder each they were gigabytes of garbage, issue 12).
    /// </summary>
    private readonly record struct TextPlace(int Row, int Col, int SharedItem)
    {
        public override string ToString() =>
            SharedItem > 0 ? $"共享字符串第 {SharedItem} 项" : $"第 {Row} 行 {ExcelText.ColumnLetters(Col)} 列的单元格";
    }

    private bool[] ReadDateStyles()
    {
        if (_stylesPart is null) return [];
        using var reader = Xml(_stylesPart, required: false);
        if (reader is null) return [];
        var custom = new Dictionary<uint, string>();
        var formats = new List<uint>();
        var inCellFormats = -1;
        while (Next(reader))
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == inCellFormats) inCellFormats = -1;
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (custom.Count + formats.Count > WorkbookLimits.MaxStyles) throw Damaged(_stylesPart);
            switch (reader.LocalName)
            {
                case "numFmt" when uint.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    custom[id] = Clip(reader.GetAttribute("formatCode") ?? "", 255);
                    break;
                case "cellXfs" when !reader.IsEmptyElement:
                    inCellFormats = reader.Depth;
                    break;
                case "xf" when inCellFormats >= 0 && reader.Depth == inCellFormats + 1:
                    formats.Add(uint.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0);
                    break;
            }
        }
        return [.. formats.Select(id => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58
                                        || (custom.TryGetValue(id, out var code) && LooksLikeDate(code)))];
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

    // ---- package plumbing -------------------------------------------------------------------------------------------

    private readonly record struct Relationship(string? Id, string Type, string Target);

    private List<Relationship> Relationships(string relsPart, string baseFolder)
    {
        var list = new List<Relationship>();
        using var reader = Xml(relsPart, required: false);
        if (reader is null) return list;
        while (Next(reader))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Relationship") continue;
            if (list.Count >= WorkbookLimits.MaxEntries) throw Damaged(relsPart);
            if (reader.GetAttribute("TargetMode") == "External") continue;
            var target = reader.GetAttribute("Target");
            if (string.IsNullOrEmpty(target)) continue;
            list.Add(new Relationship(reader.GetAttribute("Id"), reader.GetAttribute("Type") ?? "", Resolve(baseFolder, target)));
        }
        return list;
    }

    private static string? RelationshipId(XmlReader reader)
    {
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.LocalName == "id" && reader.NamespaceURI.Length > 0)
            {
                var id = reader.Value;
                reader.MoveToElement();
                return id;
            }
        }
        reader.MoveToElement();
        return null;
    }

    private static string Folder(string part) => part.Contains('/') ? part[..(part.LastIndexOf('/') + 1)] : "";

    private static string RelsOf(string part) => $"{Folder(part)}_rels/{part[(part.LastIndexOf('/') + 1)..]}.rels";

    /// <summary>A relationship target as a package path: absolute ("/xl/…") or relative to the source part's folder.</summary>
    private static string Resolve(string baseFolder, string target)
    {
        target = Uri.UnescapeDataString(target);
        var segments = new List<string>();
        foreach (var segment in (target.StartsWith('/') ? target : baseFolder + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); }
            else segments.Add(segment);
        }
        return string.Join('/', segments);
    }

    /// <summary>A part's XML reader through a counting stream; null for a missing optional part.</summary>
    private XmlReader? Xml(string part, bool required)
    {
        if (!_entries.TryGetValue(part, out var entry))
        {
            if (required) throw new ActionRefusedException($"工作簿已损坏：缺少必需的部件“{Clip(part, 100)}”");
            return null;
        }
        var stream = new InflatedBytes(entry.Open(), this);
        return XmlReader.Create(stream, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });
    }

    private bool Next(XmlReader reader)
    {
        if (!reader.Read()) return false;
        if (reader.Depth > WorkbookLimits.MaxDepth) throw new ActionRefusedException($"工作簿已损坏：XML 嵌套超过 {WorkbookLimits.MaxDepth} 层");
        return true;
    }

    private ActionRefusedException UnzippedTooLarge() => new(
        $"工作簿解压后超过 {_limits.MaxUnzippedBytes / 1024 / 1024} MB 的上限（上限由 {_limits.Section}:MaxUnzippedMegabytes 设置），" +
        "可能是压缩炸弹，未读取任何数据");

    private static ActionRefusedException Damaged(string part) =>
        new($"工作簿已损坏或不完整：部件“{Clip(part, 100)}”无法读取（文件可能上传中断，或不是 Excel 保存的 .xlsx）；请用 Excel 打开后另存为 .xlsx 再试");

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static bool IsDamage(Exception e) =>
        e is InvalidDataException or XmlException or IOException or NotSupportedException or ArgumentException or FormatException or OverflowException;

    /// <summary>Runs one step of reading the package; a damaged package becomes a Chinese refusal.</summary>
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new ActionRefusedException("工作簿已损坏或不完整（文件可能上传中断，或不是 Excel 保存的 .xlsx）；请用 Excel 打开后另存为 .xlsx 再试");
        }
    }

    /// <summary>
    /// A part's inflated bytes, counted against the workbook's unzipped limit as they are really produced (not as the zip
    /// header claims), and refused when one tag runs longer than <see cref="WorkbookLimits.MaxMarkupBytes"/> (the XML
    /// parser would hold a whole tag, attributes included, in memory).
    /// </summary>
    private sealed class InflatedBytes(Stream inner, UploadedWorkbook book) : Stream
    {
        private bool _inTag;
        private int _tagBytes;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            book._inflated += read;
            if (book._inflated > book._limits.MaxUnzippedBytes) throw book.UnzippedTooLarge();
            foreach (var b in buffer[..read])
            {
                if (b == (byte)'<') { _inTag = true; _tagBytes = 0; }
                else if (b == (byte)'>') _inTag = false;
                else if (_inTag && ++_tagBytes > WorkbookLimits.MaxMarkupBytes)
                    throw new ActionRefusedException($"工作簿已损坏或被篡改：一个 XML 标记超过 {WorkbookLimits.MaxMarkupBytes / 1024 / 1024} MB");
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
