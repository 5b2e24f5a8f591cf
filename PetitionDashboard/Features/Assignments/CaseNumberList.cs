using System.Text;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Excel;

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
    /// (.txt / .csv, UTF-8). A file too large, broken off, damaged or over a workbook limit (<see cref="UploadedWorkbook"/>)
    /// is refused with the file's name.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream content, string fileName, WorkbookLimits limits, CancellationToken ct = default)
    {
        try
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) return ReadSheet(buffer, limits, ct);
            using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(await reader.ReadToEndAsync(ct));
        }
        catch (ActionRefusedException e) when (e.Kind != RefusalKind.NotAllowed)
        {
            throw new ActionRefusedException($"文件“{fileName}”：{e.Message}");
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

    /// <summary>
    /// The case-number column of the first sheet, streamed: the header row is the first row (of the top ten) holding
    /// 信访编号; rows above it are titles (as in the ledger import). Without such a row, the first column from the top.
    /// </summary>
    private static List<string> ReadSheet(Stream stream, WorkbookLimits limits, CancellationToken ct)
    {
        using var book = UploadedWorkbook.Open(stream, limits);
        int? column = null, firstRow = null;
        var above = new List<WorkbookRow>();
        var numbers = new List<string>();
        void Take(WorkbookRow row)
        {
            var value = row.Cells.FirstOrDefault(c => c.Column == column).Text?.Trim() ?? "";
            if (value.Length > 0 && !Headers.Contains(value)) numbers.Add(value);
        }
        foreach (var row in book.Rows(0, ct))
        {
            firstRow ??= row.Number;
            if (column is null)
            {
                if (row.Number <= firstRow + 9)
                {
                    if (row.Cells.FirstOrDefault(c => Headers.Contains(c.Text.Trim())) is { Text: not null } header)
                    {
                        column = header.Column;
                        above.Clear();
                    }
                    else above.Add(row);
                    continue;
                }
                column = 1;
                above.ForEach(Take);
            }
            Take(row);
        }
        if (column is null)
        {
            column = 1;
            above.ForEach(Take);
        }
        return numbers;
    }
}
