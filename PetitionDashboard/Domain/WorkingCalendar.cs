using System.Text.Json;
using System.Text.Json.Serialization;

namespace PetitionDashboard.Domain;

/// <summary>One public-holiday period of a State Council notice (inclusive).</summary>
public sealed record HolidayPeriod(string Name, DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly date) => date >= From && date <= To;
}

/// <summary>One year's holiday arrangement: the data of one calendar file (e.g. Calendars/2026.json).</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlyList<HolidayPeriod> Holidays, IReadOnlyList<DateOnly> MakeUpWorkdays)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Parses and checks a calendar file; the message names what is wrong (shown to the admin who uploads it).</summary>
    public static HolidayYear Parse(string json)
    {
        HolidayYear? year;
        try
        {
            year = JsonSerializer.Deserialize<HolidayYear>(json, Json);
        }
        catch (JsonException e)
        {
            // The serializer's own text is English and names .NET types; the admin needs where and what shape.
            throw new ActionRefusedException(string.IsNullOrWhiteSpace(json)
                ? "节假日文件内容为空：请上传或粘贴日历文件（JSON）"
                : $"节假日文件格式错误：{Where(e)}不符合日历文件格式（year 为年份；holidays 为 [{{ name, from, to }}]；makeUpWorkdays 为日期列表；日期写作 yyyy-MM-dd）");
        }
        if (year is null || year.Year < 2000 || year.Year > 2100) throw new ActionRefusedException("节假日文件缺少有效的年份（year）");
        year = year with { Holidays = year.Holidays ?? [], MakeUpWorkdays = year.MakeUpWorkdays ?? [], Source = year.Source ?? "" };
        foreach (var h in year.Holidays)
        {
            if (h.From > h.To) throw new ActionRefusedException($"节假日“{h.Name}”的开始日期晚于结束日期");
            if (h.From.Year != year.Year && h.To.Year != year.Year) throw new ActionRefusedException($"节假日“{h.Name}”不在 {year.Year} 年内");
        }
        foreach (var d in year.MakeUpWorkdays)
        {
            if (year.Holidays.Any(h => h.Contains(d))) throw new ActionRefusedException($"调休上班日 {d:yyyy-MM-dd} 同时被列为节假日");
        }
        return year;
    }

    private static string Where(JsonException e)
    {
        var line = e.LineNumber is { } l ? $"第 {l + 1} 行" : "";
        var field = e.Path is { Length: > 2 } path ? $"（{path[2..]}）" : "";
        return line + field + (line.Length + field.Length > 0 ? "处" : "");
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public enum DayKind { Workday, Weekend, Holiday, MakeUpWorkday }

/// <summary>What the calendar says about one date, with the holiday's name where there is one.</summary>
public readonly record struct CalendarDay(DateOnly Date, DayKind Kind, string? HolidayName)
{
    public bool IsWorkingDay => Kind is DayKind.Workday or DayKind.MakeUpWorkday;
}

/// <summary>
/// The working-day calendar of docs/rules.md §2: Monday–Friday, minus public holidays, plus make-up working days.
/// A year without a calendar file falls back to weekends only; <see cref="HasYear"/> lets the UI warn about it.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, HolidayYear> _years;
    private readonly Dictionary<DateOnly, string> _holidays = [];
    private readonly HashSet<DateOnly> _makeUpDays = [];

    public WorkingCalendar(IEnumerable<HolidayYear> years)
    {
        _years = years.ToDictionary(y => y.Year);
        foreach (var year in _years.Values)
        {
            foreach (var period in year.Holidays)
                for (var d = period.From; d <= period.To; d = d.AddDays(1)) _holidays[d] = period.Name;
            foreach (var d in year.MakeUpWorkdays) _makeUpDays.Add(d);
        }
    }

    public IReadOnlyCollection<int> Years => _years.Keys;

    public bool HasYear(int year) => _years.ContainsKey(year);

    public CalendarDay Describe(DateOnly date)
    {
        if (_holidays.TryGetValue(date, out var name)) return new(date, DayKind.Holiday, name);
        if (_makeUpDays.Contains(date)) return new(date, DayKind.MakeUpWorkday, null);
        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday
            ? new(date, DayKind.Weekend, null)
            : new(date, DayKind.Workday, null);
    }

    public bool IsWorkingDay(DateOnly date) => Describe(date).IsWorkingDay;

    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date)) date = date.AddDays(1);
        return date;
    }

    /// <summary>The n-th working day after <paramref name="start"/> (the start day itself is not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var date = start;
        for (var counted = 0; counted < workingDays;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date)) counted++;
        }
        return date;
    }

    /// <summary>Years touched by a span of dates that have no calendar file.</summary>
    /// <summary>
    /// A deadline falling in a year without a holiday arrangement is provisional (待节假日安排): counted with weekends
    /// only, it moves when the year is loaded (loading recomputes every open deadline).
    /// </summary>
    public bool IsProvisional(DateOnly? due) => due is { } d && !HasYear(d.Year);

    /// <summary>From 1 November the next year's arrangement is due: without it, new deadlines reach into an unknown year.</summary>
    public bool NextYearMissing(DateOnly today) => today.Month >= NextYearWarningMonth && !HasYear(today.Year + 1);

    /// <summary>The State Council publishes the next year's arrangement in late October or November.</summary>
    public const int NextYearWarningMonth = 11;

    /// <summary>What a provisional deadline is marked with wherever it is shown.</summary>
    public const string ProvisionalMark = "待节假日安排";

    public IReadOnlyList<int> MissingYears(DateOnly from, DateOnly to) =>
        Enumerable.Range(from.Year, to.Year - from.Year + 1).Where(y => !HasYear(y)).ToList();
}
