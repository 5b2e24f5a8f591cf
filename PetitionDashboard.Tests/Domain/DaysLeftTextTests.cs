using PetitionDashboard.Domain;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The one text for how far a due date is, used by the backlog, the case page and the 包案 lists.</summary>
public class DaysLeftTextTests
{
    [Theory]
    // Across the 2025 National Day holiday: a due date of 10-09 seen on 09-30, on the day, and after it.
    [InlineData("2025-10-09", "2025-09-30", "剩 9 天")]
    [InlineData("2025-10-09", "2025-10-08", "剩 1 天")]
    [InlineData("2025-10-09", "2025-10-09", "今日到期")]
    [InlineData("2025-10-09", "2025-10-10", "超期 1 天")]
    // Across a year end.
    [InlineData("2025-12-31", "2026-01-02", "超期 2 天")]
    public void DaysLeftText_FromDaysOverdue(string due, string today, string expected)
    {
        var text = DeadlineStatusRule.DaysLeftText(DeadlineStatusRule.DaysOverdue(D(due), D(today)));

        Assert.Equal(expected, text);
    }
}
