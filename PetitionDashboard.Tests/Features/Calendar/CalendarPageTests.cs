using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Features.Calendar.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Calendar;

/// <summary>The admin's calendar page: the years on file, the warning for a missing year, a bad file refused with its reason.</summary>
public sealed class CalendarPageTests : ComponentTestContext, IAsyncLifetime
{
    private readonly string _adminFolder = Path.Combine(Path.GetTempPath(), $"pd-calpage-{Guid.NewGuid():N}");
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        // 2026-11-23: the next 120 days reach into 2027, which has no calendar file yet.
        var clock = TestClock.AtShanghai(2026, 11, 23);
        var store = new CalendarStore(Options.Create(new CalendarOptions { Folder = _adminFolder }), null, _db, clock);
        await store.SeedAsync(Xunit.TestContext.Current.CancellationToken);
        Services.AddSingleton(store);
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(_ => _db);
        Services.AddSingleton(Options.Create(new DeadlineOptions()));
        Services.AddSingleton<TimeProvider>(clock);
        this.SignIn(Roles.SystemAdmin);
        Services.AddScoped<CalendarService>();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
        if (Directory.Exists(_adminFolder)) Directory.Delete(_adminFolder, true);
    }

    [Fact]
    public async Task Admin_SeesTheShippedYears_TheMissingYearWarning_AndABadFileRefusedWithItsReason()
    {
        RenderPopoverProvider();
        var cut = Render<CalendarPage>();

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(["2024", "2025", "2026"], rows.Select(r => r.QuerySelector("td")!.TextContent.Trim()));
        Assert.Contains("春节 2/15–2/23", rows[2].TextContent);
        Assert.Contains("缺少 2027 年节假日日历", cut.Markup);

        cut.Find("textarea").Change("""{ "year": 2027, "holidays": [ { "name": "春节", "from": "2027-02-10", "to": "2027-02-01" } ] }""");
        await cut.FindAll("button").Single(b => b.TextContent.Contains("保存并重算")).ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("节假日“春节”的开始日期晚于结束日期", cut.Markup));
        Assert.Equal(3, cut.FindAll("tbody tr").Count);
    }
}
