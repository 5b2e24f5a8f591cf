namespace PetitionDashboard.Data;

/// <summary>
/// <c>Clock:Now</c>: the instant the app believes it is at start-up, for tests and demonstrations of a given day
/// (e.g. <c>--Clock:Now 2026-11-23T09:00:00+08:00</c>). Honoured only in the Development and Test environments: a
/// production server always runs on the real clock.
/// </summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    public DateTimeOffset? Now { get; set; }

    /// <summary>The environments a pinned clock is allowed in.</summary>
    public static bool AllowedIn(IHostEnvironment environment) => environment.IsDevelopment() || environment.IsEnvironment("Test");
}

/// <summary>A clock that starts at a given instant and then runs at real speed (timeouts and sessions keep working).</summary>
public sealed class PinnedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + System.GetElapsedTime(_started);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
