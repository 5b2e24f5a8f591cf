using System.Security.Claims;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Jobs;

namespace PetitionDashboard.Tests.Features.Jobs;

public sealed class AdminDashboardAuthorizationFilterTests
{
    private static ClaimsPrincipal User(bool authenticated, params string[] roles) => new(new ClaimsIdentity(
        roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.Name, "u")),
        authenticated ? "Cookies" : null));

    [Fact]
    public void OnlyASignedInAdmin_MaySeeTheJobsDashboard()
    {
        Assert.True(AdminDashboardAuthorizationFilter.IsAdmin(User(true, Roles.SystemAdmin)));
        Assert.False(AdminDashboardAuthorizationFilter.IsAdmin(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.False(AdminDashboardAuthorizationFilter.IsAdmin(User(true, Roles.Supervisor, Roles.Leader, Roles.DutyOfficer)));
        // A role claim without an authenticated identity is not a sign-in.
        Assert.False(AdminDashboardAuthorizationFilter.IsAdmin(User(false, Roles.SystemAdmin)));
    }

    [Fact]
    public void ShanghaiTimeZone_IsUtcPlus8AllYear()
    {
        var zone = ShanghaiTime.Zone;
        // UTC+8 all year round (China last observed daylight saving in 1991).
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTime(2026, 7, 15, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 7, 1, 0, 30, 0),
            TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2026, 6, 30, 16, 30, 0, DateTimeKind.Utc), zone));
    }
}
