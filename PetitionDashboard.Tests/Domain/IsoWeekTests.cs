using PetitionDashboard.Domain;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>Weeks of docs/rules.md §2: Monday–Sunday in Asia/Shanghai, named by ISO week.</summary>
public class IsoWeekTests
{
    [Theory]
    [InlineData("2026-11-16", "2026-W47", "2026-11-16", "2026-11-22")]
    [InlineData("2026-11-22", "2026-W47", "2026-11-16", "2026-11-22")]
    [InlineData("2026-11-23", "2026-W48", "2026-11-23", "2026-11-29")]
    // Thu 2026-01-01 is in week 1 of 2026, which starts on Mon 2025-12-29.
    [InlineData("2026-01-01", "2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData("2025-12-29", "2026-W01", "2025-12-29", "2026-01-04")]
    // Mon 2024-12-30 belongs to 2025-W01 (the week holding Wed 2025-01-01).
    [InlineData("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05")]
    // 2026 starts on a Thursday, so it has 53 weeks: Fri 2027-01-01 is 2026-W53.
    [InlineData("2027-01-01", "2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2027-01-04", "2027-W01", "2027-01-04", "2027-01-10")]
    public void Of_NamesTheIsoWeek(string date, string name, string monday, string sunday)
    {
        var week = IsoWeek.Of(D(date));
        Assert.Equal(name, week.ToString());
        Assert.Equal(D(monday), week.Monday);
        Assert.Equal(D(sunday), week.Sunday);
        Assert.True(week.Contains(D(date)));
        Assert.False(week.Contains(D(monday).AddDays(-1)));
        Assert.False(week.Contains(D(sunday).AddDays(1)));
    }

    [Theory]
    [InlineData("2026-W47", 2026, 47)]
    [InlineData(" 2026-W05 ", 2026, 5)]
    [InlineData("2026-W53", 2026, 53)]
    [InlineData("2025-W01", 2025, 1)]
    public void TryParse_AcceptsIsoWeekNames(string text, int year, int number)
    {
        Assert.True(IsoWeek.TryParse(text, out var week));
        Assert.Equal(new IsoWeek(year, number), week);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026W47")]
    [InlineData("2026-W00")]
    [InlineData("2025-W53")] // 2025 has 52 weeks
    [InlineData("2026-W54")]
    [InlineData("2026-W+47")]
    [InlineData("2026-W-1")]
    [InlineData("0000-W01")]
    [InlineData("99999-W01")]
    [InlineData("-2026-W01")]
    [InlineData("2026-W47-1")]
    [InlineData("第47周")]
    public void TryParse_RefusesAnythingElse_WithoutThrowing(string? text)
    {
        Assert.False(IsoWeek.TryParse(text, out var week));
        Assert.Equal(default, week);
    }

    [Fact]
    public void Previous_CrossesTheYearEnd()
    {
        Assert.Equal(new IsoWeek(2025, 52), new IsoWeek(2026, 1).Previous);
        Assert.Equal(new IsoWeek(2026, 53), new IsoWeek(2027, 1).Previous);
        Assert.Equal("2026-W05", new IsoWeek(2026, 5).ToString());
    }

    [Theory]
    // 2026-11-22 15:59:59 UTC is Sunday 23:59:59 in Shanghai (still W47); one second later it is Monday of W48.
    [InlineData("2026-11-22T15:59:59Z", "2026-11-22", "2026-W47")]
    [InlineData("2026-11-22T16:00:00Z", "2026-11-23", "2026-W48")]
    [InlineData("2026-12-31T16:30:00Z", "2027-01-01", "2026-W53")]
    public void Today_IsTheShanghaiDate(string utc, string date, string week)
    {
        var clock = new Support.TestClock(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(D(date), clock.Today());
        Assert.Equal(week, IsoWeek.Of(clock.Today()).ToString());
    }

    [Fact]
    public void StartOfDayUtc_IsSixteenHundredUtcTheDayBefore()
    {
        var start = BusinessTime.StartOfDayUtc(D("2026-11-23"));
        Assert.Equal(new DateTime(2026, 11, 22, 16, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
        Assert.Equal(D("2026-11-23"), BusinessTime.ToBusinessDate(start));
        Assert.Equal(D("2026-11-22"), BusinessTime.ToBusinessDate(start.AddTicks(-1)));
    }
}
