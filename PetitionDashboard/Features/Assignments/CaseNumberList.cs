using System.Text;
using ClosedXML.Excel;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Assignments;

/// <summary>Case numbers pasted or uploaded for a 集中交办 batch: one per line, or separated by commas, semicolons, 、 or spaces.</summary>
public static class CaseNumberList
{
    private static readonly char[] Separators = [',', '，', ';', '；', '、', ' ', '\t', '\r', '\n', '\u3000'];

    /// <summary>Header texts that name the case-number column in an uploaded sheet (docs/rules.md §7 and its alias).</summary>
    private static readonly string[] Headers = ["信访编号", "信访件编号"];

    public const long MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>The case numbers in the order given (duplicates kept: the service reports them); a header word is dropped.</summary>
    public static IReadOnlyList<string> Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? []
        : [.. text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Trim('"', '\''))
            .Where(s => s.Length > 0 && !Headers.Contains(s))];

    /// <summary>
    /// Reads an uploaded file: .xlsx (the column headed 信访编号 in the first sheet, else its first column), or text
    /// (.txt / .csv, UTF-8). A file too large, broken off or not readable is refused with the file's name.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream content, string fileName, CancellationToken ct = default)
    {
        try
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) return ReadSheet(buffer);
            using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(await reader.ReadToEndAsync(ct));
        }
        catch (IOException)
        {
            throw new ActionRefusedException($"文件“{fileName}”超过 {MaxFileBytes / 1024 / 1024} MB，或读取失败");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
        {
            throw new ActionRefusedException($"文件“{fileName}”无法识别：请上传 .xlsx、.txt 或 .csv 文件");
        }
    }

    private static List<string> ReadSheet(Stream stream)
    {
        using var workbook = new XLWorkbook(stream);
        var sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed();
        if (used is null) return [];
        var column = 1;
        var firstRow = used.FirstRow().RowNumber();
        // The header row is the first row (of the top ten) holding 信访编号; rows above it are titles (as in the ledger import).
        foreach (var row in sheet.Rows(firstRow, Math.Min(firstRow + 9, used.LastRow().RowNumber())))
        {
            var header = row.CellsUsed().FirstOrDefault(c => Headers.Contains(c.GetString().Trim()));
            if (header is null) continue;
            column = header.Address.ColumnNumber;
            firstRow = row.RowNumber() + 1;
            break;
        }
        var numbers = new List<string>();
        for (var r = firstRow; r <= used.LastRow().RowNumber(); r++)
        {
            var value = sheet.Cell(r, column).GetString().Trim();
            if (value.Length > 0 && !Headers.Contains(value)) numbers.Add(value);
        }
        return numbers;
    }
}
