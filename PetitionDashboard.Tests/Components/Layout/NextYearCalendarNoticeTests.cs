using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PetitionDashboard.Components.Layout;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Components.Layout;

/// <summary>
/// From 1 November, administrators and 督查 are told that next year's holiday arrangement is missing (issue 17 defect 12).
/// The years are far in the future so no shipped calendar can cover them; the test loads the year itself.
/// </summary>
public sealed class NextYearCalendarNoticeTests : ComponentTestContext
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pd-calendars-{Guid.NewGuid():N}");
    private readonly CalendarStore _calendars;

    public NextYearCalendarNoticeTests()
    {
        _calendars = new CalendarStore(Options.Create(new CalendarOptions { Folder = _folder }));
        Services.AddSingleton(_calendars);
    }

    private IRenderedComponent<NextYearCalendarNotice> RenderAs(string role, DateOnly today)
    {
        Services.AddSingleton<TimeProvider>(TestClock.AtShanghai(today.Year, today.Month, today.Day, 10));
        var auth = AddAuthorization();
        auth.SetAuthorized("u-" + role);
        auth.SetRoles(role);
        auth.SetPolicies([.. Policies.Table.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
        return Render<NextYearCalendarNotice>();
    }

    [Theory]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.SystemAdmin)]
    public void From1November_WithoutNextYear_SupervisorsAndAdminsAreTold(string role)
    {
        var cut = RenderAs(role, new DateOnly(2099, 11, 1));

        var notice = cut.Find("#next-year-calendar-notice");
        Assert.Contains("2100 年节假日安排尚未录入", notice.TextContent);
        Assert.Contains("待节假日安排", notice.TextContent);
        Assert.Equal(role == Roles.SystemAdmin, cut.FindAll("a[href='/admin/calendar']").Count == 1);
    }

    [Fact]
    public void On31October_NothingIsShownYet()
    {
        var cut = RenderAs(Roles.Supervisor, new DateOnly(2099, 10, 31));
        Assert.Empty(cut.FindAll("#next-year-calendar-notice"));
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.DutyOfficer)]
    public void OtherRoles_AreNotTold(string role)
    {
        var cut = RenderAs(role, new DateOnly(2099, 11, 20));
        Assert.Empty(cut.FindAll("#next-year-calendar-notice"));
    }

    [Fact]
    public async Task OnceNextYearIsLoaded_TheNoticeIsGone()
    {
        // Calendars live in the database now: load the year the way an administrator's upload does.
        await using var db = await TestDatabase.CreateAsync();
        var calendars = new CalendarStore(Options.Create(new CalendarOptions { Folder = _folder }), null, db);
        await calendars.SeedAsync(Xunit.TestContext.Current.CancellationToken);
        await calendars.SaveAsync(new HolidayYear(2100, "测试", [], []), "admin", Xunit.TestContext.Current.CancellationToken);
        Services.AddSingleton(calendars);
        var cut = RenderAs(Roles.Supervisor, new DateOnly(2099, 12, 15));
        Assert.Empty(cut.FindAll("#next-year-calendar-notice"));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
