using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The working-day calendar of docs/rules.md §2, against the shipped 2024–2026 files; 2027 has no file.</summary>
public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = TestRules.Calendar;

    [Theory]
    // 2024: Spring Festival 02-10…02-17 with make-up Sundays 02-04 and 02-18.
    [InlineData("2024-02-04", DayKind.MakeUpWorkday)] // Sunday
    [InlineData("2024-02-10", DayKind.Holiday)] // Saturday inside the holiday: a holiday, not a weekend
    [InlineData("2024-02-17", DayKind.Holiday)]
    [InlineData("2024-02-18", DayKind.MakeUpWorkday)] // Sunday
    [InlineData("2024-02-19", DayKind.Workday)]
    [InlineData("2024-10-12", DayKind.MakeUpWorkday)] // Saturday
    [InlineData("2024-12-31", DayKind.Workday)]
    // 2025: New Year, make-up Sunday 01-26, National Day + Mid-Autumn 10-01…10-08, make-up 09-28 (Sun) and 10-11 (Sat).
    [InlineData("2025-01-01", DayKind.Holiday)]
    [InlineData("2025-01-26", DayKind.MakeUpWorkday)]
    [InlineData("2025-09-27", DayKind.Weekend)]
    [InlineData("2025-09-28", DayKind.MakeUpWorkday)]
    [InlineData("2025-10-01", DayKind.Holiday)]
    [InlineData("2025-10-04", DayKind.Holiday)] // Saturday
    [InlineData("2025-10-08", DayKind.Holiday)] // Wednesday, last day of the period
    [InlineData("2025-10-09", DayKind.Workday)]
    [InlineData("2025-10-11", DayKind.MakeUpWorkday)]
    [InlineData("2025-10-12", DayKind.Weekend)]
    // 2026: New Year 01-01…01-03 (make-up Sunday 01-04), Spring Festival 02-15…02-23 (make-up Saturdays 02-14, 02-28).
    [InlineData("2026-01-03", DayKind.Holiday)]
    [InlineData("2026-01-04", DayKind.MakeUpWorkday)]
    [InlineData("2026-02-13", DayKind.Workday)]
    [InlineData("2026-02-14", DayKind.MakeUpWorkday)]
    [InlineData("2026-02-15", DayKind.Holiday)]
    [InlineData("2026-02-16", DayKind.Holiday)] // Monday
    [InlineData("2026-02-23", DayKind.Holiday)] // Monday, last day
    [InlineData("2026-02-24", DayKind.Workday)]
    [InlineData("2026-02-28", DayKind.MakeUpWorkday)]
    [InlineData("2026-03-01", DayKind.Weekend)]
    [InlineData("2026-09-20", DayKind.MakeUpWorkday)]
    [InlineData("2026-10-07", DayKind.Holiday)]
    [InlineData("2026-10-10", DayKind.MakeUpWorkday)]
    [InlineData("2026-11-17", DayKind.Workday)]
    // 2027 has no calendar file: weekends only, so New Year's Day 2027 (a Friday) counts as a working day.
    [InlineData("2027-01-01", DayKind.Workday)]
    [InlineData("2027-01-02", DayKind.Weekend)]
    [InlineData("2027-10-01", DayKind.Workday)]
    public void Describe_FollowsTheStateCouncilNotice(string date, DayKind expected)
    {
        var day = Calendar.Describe(D(date));
        Assert.Equal(expected, day.Kind);
        Assert.Equal(expected is DayKind.Workday or DayKind.MakeUpWorkday, Calendar.IsWorkingDay(D(date)));
        Assert.Equal(expected == DayKind.Holiday, day.HolidayName is not null);
    }

    [Theory]
    [InlineData("2025-10-01", "国庆节、中秋节")]
    [InlineData("2026-02-20", "春节")]
    [InlineData("2026-06-19", "端午节")]
    [InlineData("2024-09-16", "中秋节")]
    public void Describe_NamesTheHoliday(string date, string name) => Assert.Equal(name, Calendar.Describe(D(date)).HolidayName);

    [Theory]
    // Fri 09-26 → Sun 09-28 (make-up, 1), 09-29 (2), 09-30 (3), 10-01…10-08 holiday, 10-09 (4), 10-10 (5).
    [InlineData("2025-09-26", 5, "2025-10-10")]
    [InlineData("2025-09-30", 1, "2025-10-09")]
    // 10-09 (1), 10-10 (2), Saturday 10-11 make-up (3).
    [InlineData("2025-09-30", 3, "2025-10-11")]
    // Fri 2025-01-24 → Sat 01-25 off, Sun 01-26 make-up.
    [InlineData("2025-01-24", 1, "2025-01-26")]
    [InlineData("2024-12-31", 1, "2025-01-02")]
    [InlineData("2026-02-13", 1, "2026-02-14")]
    [InlineData("2026-02-14", 1, "2026-02-24")]
    // 02-14 (1), 02-24…02-27 (2–5), Sat 02-28 make-up (6), 03-02…03-05 (7–10).
    [InlineData("2026-02-13", 10, "2026-03-05")]
    // Into 2027 (no file): 12-31 (1), Fri 2027-01-01 (2, weekends only), Mon 01-04 (3).
    [InlineData("2026-12-30", 3, "2027-01-04")]
    [InlineData("2026-11-17", 0, "2026-11-17")]
    public void AddWorkingDays_CountsOnlyWorkingDays_StartDayNotCounted(string start, int days, string expected) =>
        Assert.Equal(D(expected), Calendar.AddWorkingDays(D(start), days));

    [Fact]
    public void AddWorkingDays_RefusesANegativeCount() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(D("2026-01-05"), -1));

    [Theory]
    [InlineData("2026-02-15", "2026-02-24")]
    [InlineData("2026-02-14", "2026-02-14")]
    [InlineData("2025-10-04", "2025-10-09")]
    [InlineData("2027-01-02", "2027-01-04")]
    public void NextWorkingDayOnOrAfter_SkipsHolidaysAndWeekends(string date, string expected) =>
        Assert.Equal(D(expected), Calendar.NextWorkingDayOnOrAfter(D(date)));

    [Fact]
    public void MissingYears_ReportsYearsWithoutACalendarFile()
    {
        Assert.Equal([2027], Calendar.MissingYears(D("2026-12-20"), D("2027-01-10")));
        Assert.Empty(Calendar.MissingYears(D("2024-01-01"), D("2026-12-31")));
        Assert.Equal([2023], Calendar.MissingYears(D("2023-12-30"), D("2024-01-02")));
        Assert.Equal([2027, 2028], Calendar.MissingYears(D("2026-06-01"), D("2028-01-01")));
    }

    [Fact]
    public void CalendarFile_ThatListsAMakeUpDayAsHoliday_IsRefusedWithAChineseMessage()
    {
        const string json = """
            { "year": 2027, "source": "test", "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" } ],
              "makeUpWorkdays": [ "2027-01-02" ] }
            """;
        var e = Assert.Throws<ActionRefusedException>(() => HolidayYear.Parse(json));
        Assert.Contains("2027-01-02", e.Message);
    }

    // Issue 17, defect 9: the serializer's English ("does not contain any JSON tokens", "could not be converted to
    // PetitionDashboard.Domain.HolidayPeriod") reached the admin.
    [Theory]
    [InlineData("", "节假日文件内容为空")]
    [InlineData("   ", "节假日文件内容为空")]
    [InlineData("""{ "year": 2027, "holidays": [ "元旦" ] }""", "第 1 行（holidays[0]）处不符合日历文件格式")]
    [InlineData("""{ "year": 2027, "holidays": [ { "name": "元旦", "from": "1月1日", "to": "2027-01-03" } ] }""", "（holidays[0].from）处")]
    [InlineData("{ \"year\": 2027,\n  \"holidays\": [ ", "第 2 行")]
    public void CalendarFile_ThatIsNotACalendar_IsRefusedInChinese_WithoutDotNetText(string json, string expected)
    {
        var e = Assert.Throws<ActionRefusedException>(() => HolidayYear.Parse(json));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("JSON token", e.Message);
        Assert.DoesNotContain("PetitionDashboard", e.Message);
        Assert.DoesNotContain("converted", e.Message);
    }

    [Fact]
    public void AddedYear_ReplacesWeekendsOnlyFallback()
    {
        var y2027 = HolidayYear.Parse("""
            { "year": 2027, "source": "test", "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" } ],
              "makeUpWorkdays": [] }
            """);
        Assert.DoesNotContain(2027, Calendar.Years);
        var withFile = new WorkingCalendar([y2027]);
        Assert.False(withFile.IsWorkingDay(D("2027-01-01")));
        Assert.True(withFile.HasYear(2027));
        Assert.True(Calendar.IsWorkingDay(D("2027-01-01")));
        Assert.Empty(withFile.MissingYears(D("2027-01-01"), D("2027-12-31")));
    }
}
