using System.Text;

namespace PetitionDashboard.Infrastructure.Excel;

/// <summary>Text as a spreadsheet cell holds it: valid XML, within Excel's cell limit, and column widths from content.</summary>
public static class ExcelText
{
    /// <summary>Excel refuses longer cell texts.</summary>
    public const int MaxCellLength = 32767;

    /// <summary>
    /// Drops characters XML 1.0 cannot carry (control characters from pasted text would make the file unreadable) and
    /// clips to the cell limit. Everything else — including a leading = + - @ — is kept: it is written as a string.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var needsWork = text.Length > MaxCellLength;
        foreach (var c in text)
        {
            if (!IsXmlChar(c)) { needsWork = true; break; }
        }
        if (!needsWork) return text;
        var sb = new StringBuilder(Math.Min(text.Length, MaxCellLength));
        for (var i = 0; i < text.Length && sb.Length < MaxCellLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (sb.Length + 2 > MaxCellLength) break;
                sb.Append(c).Append(text[++i]);
            }
            else if (IsXmlChar(c) && !char.IsSurrogate(c)) sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool IsXmlChar(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF');

    /// <summary>Display width in Excel column units: a CJK or full-width character takes two, others one.</summary>
    public static int DisplayWidth(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var width = 0;
        var line = 0;
        foreach (var c in text)
        {
            if (c == '\n') { width = Math.Max(width, line); line = 0; continue; }
            line += IsWide(c) ? 2 : 1;
        }
        return Math.Max(width, line);
    }

    /// <summary>A column width that fits the widest value (header included), within [min, max]; longer texts wrap.</summary>
    public static double ColumnWidth(IEnumerable<string?> values, double min = 6, double max = 50)
    {
        var widest = 0;
        foreach (var v in values) widest = Math.Max(widest, DisplayWidth(v));
        return Math.Clamp(widest + 2, min, max);
    }

    private static bool IsWide(char c) =>
        c is >= '\u1100' and <= '\u115F'
        or >= '\u2E80' and <= '\uA4CF'
        or >= '\uAC00' and <= '\uD7A3'
        or >= '\uF900' and <= '\uFAFF'
        or >= '\uFE30' and <= '\uFE4F'
        or >= '\uFF00' and <= '\uFF60'
        or >= '\uFFE0' and <= '\uFFE6'
        // Each half of a surrogate pair (CJK extension B and beyond) counts one: two together.
        or >= '\uD800' and <= '\uDFFF';

    /// <summary>The 1-based column of a cell reference ("B12" → 2).</summary>
    public static int ColumnNumber(string? reference)
    {
        var n = 0;
        foreach (var ch in reference ?? "")
        {
            if (ch is < 'A' or > 'Z') break;
            n = n * 26 + (ch - 'A' + 1);
            // Past XFD no sheet has a column; stop before the number overflows into a negative index.
            if (n > MaxColumns) return 0;
        }
        return n;
    }

    /// <summary>Excel's last column, XFD.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>"A", "B", … "Z", "AA" for a 1-based column number.</summary>
    public static string ColumnLetters(int column)
    {
        var s = "";
        for (var n = column; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}
