namespace PetitionDashboard.Features.Jobs;

/// <summary>The Asia/Shanghai time zone for job schedules, found on Linux (IANA id) and Windows (Windows id) alike.</summary>
public static class ShanghaiTime
{
    public static TimeZoneInfo Zone { get; } = Resolve();

    private static TimeZoneInfo Resolve()
    {
        foreach (var id in new[] { "Asia/Shanghai", "China Standard Time" })
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone;
        // No tz database on the machine: China has kept UTC+8 without daylight saving since 1991.
        return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "中国标准时间", "中国标准时间");
    }
}
