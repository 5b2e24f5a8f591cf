using System.Globalization;
using System.Text.RegularExpressions;

namespace PetitionDashboard.Domain;

/// <summary>Business dates are dates in Asia/Shanghai (UTC+8, no DST), docs/rules.md §2.</summary>
public static class BusinessTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(this TimeProvider clock) => ToBusinessDate(clock.GetUtcNow().UtcDateTime);

    public static DateOnly ToBusinessDate(DateTime utc) => DateOnly.FromDateTime(utc.Add(Offset));

    /// <summary>The UTC instant at which a Shanghai business date begins.</summary>
    public static DateTime StartOfDayUtc(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Offset;

    /// <summary>An instant as people here read it: Shanghai time to the minute, "2026-11-17 09:00".</summary>
    public static string MinuteText(DateTime utc) => utc.Add(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>An ISO week (Monday to Sunday, Shanghai dates), named like 2026-W47.</summary>
public readonly partial record struct IsoWeek(int Year, int Week)
{
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public DateOnly Sunday => Monday.AddDays(6);

    public static IsoWeek Of(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    // Not serialized: an IsoWeek travels as its year and week (a week carried from prerender; the chain of previous weeks has no end).
    [System.Text.Json.Serialization.JsonIgnore]
    public IsoWeek Previous => Of(Monday.AddDays(-7));

    public bool Contains(DateOnly date) => date >= Monday && date <= Sunday;

    public override string ToString() => $"{Year}-W{Week:00}";

    /// <summary>Parses exactly "yyyy-Www" (e.g. 2026-W47, surrounding spaces allowed); false, never an exception, otherwise.</summary>
    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true }) return false;
        var y = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var w = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        if (y < 1 || w < 1 || w > ISOWeek.GetWeeksInYear(y)) return false;
        week = new IsoWeek(y, w);
        return true;
    }

    [GeneratedRegex(@"^([0-9]{4})-W([0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
