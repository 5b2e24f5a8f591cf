using System.Globalization;

namespace PetitionDashboard.Domain;

/// <summary>Business dates are dates in Asia/Shanghai (UTC+8, no DST), DOMAIN.md §2.</summary>
public static class BusinessTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(this TimeProvider clock) => ToBusinessDate(clock.GetUtcNow().UtcDateTime);

    public static DateOnly ToBusinessDate(DateTime utc) => DateOnly.FromDateTime(utc.Add(Offset));

    /// <summary>The UTC instant at which a Shanghai business date begins.</summary>
    public static DateTime StartOfDayUtc(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Offset;
}

/// <summary>An ISO week (Monday to Sunday, Shanghai dates), named like 2026-W47.</summary>
public readonly record struct IsoWeek(int Year, int Week)
{
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public DateOnly Sunday => Monday.AddDays(6);

    public static IsoWeek Of(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    public IsoWeek Previous => Of(Monday.AddDays(-7));

    public bool Contains(DateOnly date) => date >= Monday && date <= Sunday;

    public override string ToString() => $"{Year}-W{Week:00}";

    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        if (text is null) return false;
        var parts = text.Trim().Split("-W", StringSplitOptions.None);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var y) || !int.TryParse(parts[1], out var w)) return false;
        if (w < 1 || w > ISOWeek.GetWeeksInYear(y)) return false;
        week = new IsoWeek(y, w);
        return true;
    }
}
