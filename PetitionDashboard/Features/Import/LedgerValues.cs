using System.Globalization;

namespace PetitionDashboard.Features.Import;

/// <summary>Turning ledger cells into dates and numbers, with the zh-CN reason when a cell cannot be one.</summary>
public static class LedgerValues
{
    private static readonly string[] DateFormats = BuildDateFormats();

    private static string[] BuildDateFormats()
    {
        string[] dates = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd"];
        string[] times = ["", " H:m", " H:m:s", "THH:mm", "THH:mm:ss", " H:m:s.FFF", "THH:mm:ss.FFF"];
        return [.. dates.SelectMany(d => times.Select(t => d + t))];
    }

    /// <summary>
    /// Excel dates (a date-formatted number), Excel serials (a plain number, or its digits as text: 45052 is 2023-05-06),
    /// yyyyMMdd typed as a number, and the texts yyyy-M-d, yyyy/M/d, yyyy.M.d, yyyy年M月d日, yyyyMMdd, each with or without
    /// a time (2023-5-6 12:30, 2023年5月6日 12时30分). Null with a reason otherwise.
    /// </summary>
    public static DateOnly? Date(LedgerCell cell, out string? reason)
    {
        reason = null;
        if (cell.IsFormula)
        {
            reason = $"单元格是公式“{cell.Text}”，台账须填写日期值（公式不会被计算）";
            return null;
        }
        if (cell.Number is { } n) return Serial(n, cell.Text, out reason);
        var text = Normalize(cell.Text);
        if (SerialText.IsMatch(text))
            return Serial(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), cell.Text, out reason);
        if ((PlainDate(text) ?? ByFormats(text)) is { } date) return date;
        reason = $"无法识别的日期“{cell.Text}”（可用 Excel 日期或 yyyy-M-d、yyyy/M/d、yyyy.M.d、yyyy年M月d日、yyyyMMdd，可带时间如 2023-5-6 12:30）";
        return null;
    }

    internal static DateOnly? ByFormats(string text) =>
        DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? DateOnly.FromDateTime(parsed) : null;

    /// <summary>
    /// The common shapes without a time — yyyy-M-d, yyyy/M/d, yyyy.M.d, yyyy年M月d日 — read by hand: the same date
    /// <see cref="ByFormats"/> gives (LedgerDateTests compares them), without trying each format in turn (issue 12: most of
    /// a ledger's dates are these). Null: not one of them.
    /// </summary>
    internal static DateOnly? PlainDate(string text)
    {
        if (text.Length is < 8 or > 11 || !Digits(text, 0, 4, out var year)) return null;
        var sep = text[4];
        var (second, end) = sep switch { '-' or '/' or '.' => (sep, (char?)null), '年' => ('月', '日'), _ => ((char)0, (char?)null) };
        if (second == 0) return null;
        var at = 5;
        var monthLength = text.IndexOf(second, at) - at;
        if (monthLength is < 1 or > 2 || !Digits(text, at, monthLength, out var month)) return null;
        at += monthLength + 1;
        var dayLength = text.Length - at - (end is null ? 0 : 1);
        if (dayLength is < 1 or > 2 || !Digits(text, at, dayLength, out var day) || (end is { } e && text[^1] != e)) return null;
        // Year first: DaysInMonth throws for year 0, and a hostile "0000-1-1" must be a refused cell, not a crash.
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

        static bool Digits(string s, int start, int length, out int value)
        {
            value = 0;
            for (var i = start; i < start + length; i++)
            {
                if (s[i] is < '0' or > '9') return false;
                value = value * 10 + (s[i] - '0');
            }
            return true;
        }
    }

    /// <summary>An Excel serial typed as text: five digits (10000 is 1927-05-18), an optional time fraction.</summary>
    private static readonly System.Text.RegularExpressions.Regex SerialText = new(@"^\d{5}(\.\d+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static DateOnly? Serial(double n, string text, out string? reason)
    {
        reason = null;
        if (n == Math.Floor(n) && n is >= 19000101 and <= 99991231
            && DateOnly.TryParseExact(((long)n).ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var compact))
            return compact;
        if (n is >= 1 and < 2958466) return DateOnly.FromDateTime(DateTime.FromOADate(n));
        reason = $"无法识别的日期“{text}”（Excel 日期序号须在 1 至 2958465 之间）";
        return null;
    }

    /// <summary>Full-width digits and separators as ASCII, 时/分/秒 as a clock time, a time glued to 日 set apart.</summary>
    private static string Normalize(string text)
    {
        var chars = text.Trim().Select(c => c switch
        {
            >= '０' and <= '９' => (char)('0' + (c - '０')),
            '－' => '-', '／' => '/', '．' => '.', '：' => ':', '\u3000' => ' ',
            _ => c,
        }).ToArray();
        var s = new string(chars);
        s = System.Text.RegularExpressions.Regex.Replace(s, @"日(?=\d)", "日 ");
        s = System.Text.RegularExpressions.Regex.Replace(s, @"(\d+)时(\d+)分((\d+)秒)?", m => m.Groups[1].Value + ":" + m.Groups[2].Value + (m.Groups[4].Success ? ":" + m.Groups[4].Value : ""));
        s = System.Text.RegularExpressions.Regex.Replace(s, @"(\d+)时$", "$1:0");
        return System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");
    }

    /// <summary>A whole number (typed as a number or as text).</summary>
    public static int? Integer(LedgerCell cell, out string? reason)
    {
        reason = null;
        if (cell.Number is { } n)
        {
            if (n == Math.Floor(n) && n is >= int.MinValue and <= int.MaxValue) return (int)n;
        }
        else if (int.TryParse(cell.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        reason = $"“{cell.Text}”不是整数";
        return null;
    }

    /// <summary>The 、-separated parts, trimmed, empty parts kept (a position can be blank).</summary>
    public static string[] List(string text) =>
        text.Length == 0 ? [] : [.. text.Split(LedgerColumns.ListSeparator).Select(s => s.Trim())];
}
