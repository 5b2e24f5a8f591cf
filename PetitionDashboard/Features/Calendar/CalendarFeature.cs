namespace PetitionDashboard.Features.Calendar;

public static class CalendarFeature
{
    /// <summary>Holiday calendars an Admin adds; the calendar store itself is part of Data.</summary>
    public static IHostApplicationBuilder AddCalendar(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CalendarService>();
        return builder;
    }
}
