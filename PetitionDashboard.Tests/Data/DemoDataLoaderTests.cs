using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Data.DemoTestSupport;

namespace PetitionDashboard.Tests.Data;

public sealed class DemoDataLoaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmptyDatabase_Enabled_LoadsTheConfiguredNumberOfPetitions()
    {
        await using var database = await TestDatabase.CreateAsync();

        var loaded = await Loader(database, Clock(), enabled: true, petitions: 400).LoadIfEmptyAsync(Ct);

        Assert.True(loaded);
        await using var db = database.CreateDbContext();
        Assert.Equal(400, await db.Petitions.CountAsync(Ct));
        Assert.Equal(41, await db.Units.CountAsync(Ct));
        Assert.Equal(40, await db.Leaders.CountAsync(Ct));
    }

    [Fact]
    public async Task EmptyDatabase_Disabled_StaysEmpty()
    {
        await using var database = await TestDatabase.CreateAsync();

        var loaded = await Loader(database, Clock(), enabled: false, petitions: 400).LoadIfEmptyAsync(Ct);

        Assert.False(loaded);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Petitions.CountAsync(Ct));
        Assert.Equal(0, await db.Units.CountAsync(Ct));
    }

    [Theory]
    [InlineData(null, "Production", false)]
    [InlineData(null, "Staging", false)]
    [InlineData(null, "Development", true)]
    [InlineData(true, "Production", true)]
    [InlineData(false, "Development", false)]
    public async Task DemoLoads_OnlyInDevelopment_OrWhenEnabledExplicitly(bool? enabled, string environment, bool expected)
    {
        await using var database = await TestDatabase.CreateAsync();

        var loaded = await Loader(database, Clock(), enabled, petitions: 200, environment: environment).LoadIfEmptyAsync(Ct);

        Assert.Equal(expected, loaded);
        await using var db = database.CreateDbContext();
        Assert.Equal(expected ? 200 : 0, await db.Petitions.CountAsync(Ct));
    }

    [Fact]
    public async Task DatabaseWithRealUnits_IsNeverLoadedOver()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            db.Units.Add(new Unit { Name = "某市住建局", Kind = UnitKind.CityDepartment });
            await db.SaveChangesAsync(Ct);
        }

        var loaded = await Loader(database, Clock(), enabled: true, petitions: 400).LoadIfEmptyAsync(Ct);

        Assert.False(loaded);
        await using var check = database.CreateDbContext();
        Assert.Equal(["某市住建局"], await check.Units.Select(u => u.Name).ToListAsync(Ct));
        Assert.Equal(0, await check.Petitions.CountAsync(Ct));
    }

    [Fact]
    public async Task DatabaseWithDemoDataAlready_SecondStartLoadsNothingMore()
    {
        await using var database = await TestDatabase.CreateAsync();
        var loader = Loader(database, Clock(), enabled: true, petitions: 300);
        Assert.True(await loader.LoadIfEmptyAsync(Ct));

        Assert.False(await loader.LoadIfEmptyAsync(Ct));

        await using var db = database.CreateDbContext();
        Assert.Equal(300, await db.Petitions.CountAsync(Ct));
    }

    [Fact]
    public async Task NotTheEmbeddedDatabase_LoadsNothingEvenWhenEnabled()
    {
        await using var database = await TestDatabase.CreateAsync();

        var loaded = await Loader(database, Clock(), enabled: true, petitions: 300, DatabaseProvider.SqlServer).LoadIfEmptyAsync(Ct);

        Assert.False(loaded);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Units.CountAsync(Ct));
    }

    [Fact]
    public async Task Writer_RefusesADatabaseWithPetitioners_AndNamesWhatIsThere()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            db.Petitioners.Add(new Petitioner { Name = "张三", IdentityKey = "NP:张三|13800138000", Phone = "13800138000" });
            await db.SaveChangesAsync(Ct);
        }

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(
            () => Demo(database, Clock()).GenerateAsync(100, 1, null, Ct));

        Assert.Contains("信访人 1 人", refused.Message);
        await using var check = database.CreateDbContext();
        Assert.Equal(0, await check.Units.CountAsync(Ct));
    }

    [Fact]
    public async Task CategoriesSeededBeforehand_AreKept_AndOnlyTheMissingOnesAdded()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateDbContext())
        {
            db.Categories.Add(new Category { Name = "城乡建设", SortOrder = 99 });
            await db.SaveChangesAsync(Ct);
        }

        await Demo(database, Clock()).GenerateAsync(100, 1, null, Ct);

        await using var check = database.CreateDbContext();
        Assert.Equal(DomainText.Categories.Count, await check.Categories.CountAsync(Ct));
        Assert.Equal(99, (await check.Categories.SingleAsync(c => c.Name == "城乡建设", Ct)).SortOrder);
    }
}
