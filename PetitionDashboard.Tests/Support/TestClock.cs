using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using Microsoft.Extensions.Configuration;

namespace PetitionDashboard.Tests.Support;

/// <summary>A clock pinned to an instant; tests move it by hand.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>A clock at 09:00 Shanghai time on the given business date.</summary>
    public static TestClock AtShanghai(int year, int month, int day, int hour = 9, int minute = 0) =>
        new(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(8)));
}

/// <summary>The shipped calendars (2024–2026) and default limits, as the app loads them.</summary>
public static class TestRules
{
    /// <summary>
    /// An admin calendar folder that never exists (unique per test run): only the shipped years count, whatever another
    /// run once wrote into a shared folder.
    /// </summary>
    public static readonly string NoAdminCalendars = Path.Combine(Path.GetTempPath(), $"pd-no-admin-calendars-{Guid.NewGuid():N}");

    public static readonly WorkingCalendar Calendar =
        new CalendarStore(Options.Create(new CalendarOptions { Folder = NoAdminCalendars })).Calendar;

    public static DeadlineCalculator Deadlines(DeadlineOptions? options = null) => new(Calendar, options ?? new DeadlineOptions());
}
