using Microsoft.EntityFrameworkCore;

namespace PetitionDashboard.Tests.Support;

public class TestSupportTests
{
    [Fact]
    public async Task Migrations_CreateAnEmptyDatabase()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ctx = db.CreateDbContext();
        Assert.Equal(0, await ctx.Petitions.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ShippedCalendars_CoverThreeYears()
    {
        Assert.True(TestRules.Calendar.HasYear(2024));
        Assert.True(TestRules.Calendar.HasYear(2025));
        Assert.True(TestRules.Calendar.HasYear(2026));
        Assert.False(TestRules.Calendar.HasYear(2027));
    }
}
