using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>
/// The app's real data, Identity and audit registrations on a temporary SQLite file (with the audit interceptor),
/// and the account services built for a chosen user, so each role can be tried against the same database.
/// </summary>
public sealed class AccountTestServices : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pd-acc-{Guid.NewGuid():N}.db");

    public ServiceProvider Services { get; }
    public TestClock Clock { get; } = TestClock.AtShanghai(2026, 11, 23, 10);
    public IDbContextFactory<AppDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    // On PostgreSQL (a class marked IRunsOnPostgres) the database is a TestDatabase of its own, dropped on dispose.
    private readonly TestDatabase? _server;

    private AccountTestServices(TestDatabase? server)
    {
        _server = server;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = (server?.Provider ?? DatabaseProvider.Sqlite).ToString(),
            ["Database:ConnectionString"] = server?.ConnectionString
                ?? new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString(),
            ["Calendar:Folder"] = TestRules.NoAdminCalendars,
            ["PersonalData:KeyFile"] = TestPersonalData.KeyFile,
        }).Build();
        // The app's own registrations, as Program.cs makes them, on a host builder with this test's configuration.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddConfiguration(configuration);
        var services = builder.Services;
        services.AddLogging();
        services.AddSingleton(SuiteLog.Provider); // the suite's log output is scanned for personal data
        services.AddSingleton<TimeProvider>(Clock);
        builder.AddPetitionData();
        builder.AddAccount();
        builder.AddAdmin();
        builder.AddAudit();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static async Task<AccountTestServices> CreateAsync()
    {
        var s = new AccountTestServices(TestDatabase.CurrentProvider == DatabaseProvider.PostgreSql
            ? await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql) : null);
        await s.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(loadDemo: false, TestContext.Current.CancellationToken);
        return s;
    }

    public static readonly string?[] RolesAndAnonymous = [null, .. Roles.All];

    /// <summary>A user of the given role (null: not signed in).</summary>
    public static ICurrentUser As(string? role, int? leaderId = null) =>
        role is null ? FixedCurrentUser.Anonymous : FixedCurrentUser.For($"test-{role.ToLowerInvariant()}", [role], leaderId);

    /// <summary>Runs an action with <paramref name="user"/> as the audit actor, as a request or circuit would.</summary>
    public IDisposable ActingAs(ICurrentUser user) => Services.GetRequiredService<AuditActorAccessor>().Use(() => user.UserName);

    public UserAdminService UserAdmin(ICurrentUser user) =>
        new(Services.GetRequiredService<IServiceScopeFactory>(), Contexts, new AccessGuard(user), Clock, Sessions);

    public UserSessions Sessions => Services.GetRequiredService<UserSessions>();

    public AuditQueryService AuditQuery(ICurrentUser user) => new(Contexts, new AccessGuard(user), AuditLog(), Clock);

    public AuditLog AuditLog() => new(Contexts, Services.GetRequiredService<AuditActorAccessor>(), Clock);

    public PersonalDataView PersonalData(ICurrentUser user) => new(user, new AccessGuard(user), Contexts, AuditLog(), Services.GetRequiredService<PersonalDataProtector>());

    public async Task<AppUser> CreateUserAsync(string userName, string password, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = userName };
        AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
        if (roles.Length > 0) AccountFeature.ThrowIfFailed(await users.AddToRolesAsync(user, roles));
        return user;
    }

    /// <summary>A petition with one petitioner and its thread, for audit and masking tests.</summary>
    public async Task<(int PetitionId, int PetitionerId)> AddPetitionAsync(string caseNumber, string idNumber, string phone)
    {
        await using var db = await Contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var unit = await db.Units.FirstOrDefaultAsync(TestContext.Current.CancellationToken) ?? new Unit { Name = "临川区人民政府", Kind = UnitKind.County };
        var petitioner = Services.GetRequiredService<PersonalDataProtector>().NewPetitioner("王某某", idNumber, phone, null, "ID:" + idNumber);
        var petition = TestData.PetitionRow(caseNumber, new DateOnly(2026, 11, 2), unit: unit, locality: "临川区", demand: "反映小区违建问题",
            petitionerNames: petitioner.Name);
        var thread = petition.Thread;
        petition.RegisteredAtUtc = new DateTime(2026, 11, 2, 2, 0, 0, DateTimeKind.Utc);
        petition.CurrentDueDate = new DateOnly(2026, 11, 17);
        petition.Petitioners.Add(new PetitionPetitioner { Petition = petition, Petitioner = petitioner });
        db.Petitions.Add(petition);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        thread.FirstPetitionId = petition.Id;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (petition.Id, petitioner.Id);
    }

    public async Task<List<AuditEntry>> AuditEntriesAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_path + suffix)) File.Delete(_path + suffix);
    }
}
