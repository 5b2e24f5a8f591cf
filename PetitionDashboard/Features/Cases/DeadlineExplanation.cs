using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Cases;

/// <summary>A run of consecutive holiday days (one holiday period) or a single make-up working day a deadline crossed.</summary>
public sealed record CrossedRun(DayKind Kind, string? HolidayName, DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>"春节假期 2026-02-15 至 2026-02-23（9 天）" / "2026-02-14 调休上班".</summary>
    public string Text => Kind == DayKind.MakeUpWorkday
        ? $"{From:yyyy-MM-dd} 调休上班（计为工作日）"
        : From == To
            ? $"{HolidayName}假期 {From:yyyy-MM-dd}（1 天）"
            : $"{HolidayName}假期 {From:yyyy-MM-dd} 至 {To:yyyy-MM-dd}（{Days} 天）";
}

public static class DeadlineExplanation
{
    /// <summary>Groups the crossed days of a deadline into holiday periods and make-up days, in date order.</summary>
    public static IReadOnlyList<CrossedRun> Runs(this Deadline deadline)
    {
        var runs = new List<CrossedRun>();
        foreach (var day in deadline.Crossed.OrderBy(d => d.Date))
        {
            if (runs.Count > 0 && runs[^1] is var last && day.Kind == DayKind.Holiday && last.Kind == DayKind.Holiday
                && last.HolidayName == day.HolidayName && last.To.AddDays(1) == day.Date)
            {
                runs[^1] = last with { To = day.Date };
                continue;
            }
            runs.Add(new CrossedRun(day.Kind, day.HolidayName, day.Date, day.Date));
        }
        return runs;
    }
}
