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
    /// Excel dates (a date-formatted number), yyyyMMdd typed as a number, and the texts yyyy-MM-dd, yyyy/M/d, yyyy.M.d,
    /// yyyy年M月d日, yyyyMMdd, each with or without a time. Null with a reason otherwise.
    /// </summary>
    public static DateOnly? Date(LedgerCell cell, out string? reason)
    {
        reason = null;
        if (cell.IsFormula)
        {
            reason = $"单元格是公式“{cell.Text}”，台账须填写日期值（公式不会被计算）";
            return null;
        }
        if (cell.Number is { } n)
        {
            if (n == Math.Floor(n) && n is >= 19000101 and <= 99991231
                && DateOnly.TryParseExact(((long)n).ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var compact))
                return compact;
            if (n is >= 1 and < 2958466) return DateOnly.FromDateTime(DateTime.FromOADate(n));
            reason = $"无法识别的日期“{cell.Text}”";
            return null;
        }
        var text = cell.Text.Trim().Replace('－', '-').Replace('／', '/');
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
            return DateOnly.FromDateTime(parsed);
        reason = $"无法识别的日期“{cell.Text}”（可用 Excel 日期或 yyyy-MM-dd、yyyy/M/d、yyyy.M.d、yyyy年M月d日、yyyyMMdd）";
        return null;
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
