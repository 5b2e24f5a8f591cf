using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

public static class DataServices
{
    /// <summary>
    /// The database of the configured provider (with the audit interceptor), the rules' options, the calendar, the
    /// domain's rule objects and the demo data. The provider is read from the validated options when the first
    /// context is made, so a wrong <c>Database:Provider</c> is refused at start-up in Chinese.
    /// </summary>
    public static IHostApplicationBuilder AddPetitionData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        SqliteProcessSettings.Apply();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddRuleOptions<DeadlineOptions>(DeadlineOptions.Section);
        services.AddRuleOptions<SupervisionOptions>(SupervisionOptions.Section);
        services.AddRuleOptions<BacklogOptions>(BacklogOptions.Section);
        services.AddRuleOptions<RepeatOptions>(RepeatOptions.Section);
        services.AddRuleOptions<PetitionOptions>(PetitionOptions.Section);
        services.AddRuleOptions<CalendarOptions>(CalendarOptions.Section);
        services.AddRuleOptions<DemoOptions>(DemoOptions.Section);

        // Personal data at rest: keys from configuration or a key file, never from the database (Data/Protection).
        services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section);
        services.AddSingleton(sp => PersonalDataKeyRing.Load(
            sp.GetRequiredService<IOptions<PersonalDataOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<PersonalDataRewrap>();

        // Every registered IInterceptor is attached to each context: the audit trail records data changes itself.
        services.AddSingleton<AuditActorAccessor>();
        services.AddSingleton<IInterceptor, AuditInterceptor>();
        services.AddScoped<AuditLog>();

        // Pooled: a context per operation stays the rule, but a returned context is reset and handed out again instead of
        // being built anew — its internal services are resolved once, not on every read (1M, the grid's 临期 page: ≈ 11 %
        // of the call was a new context resolving its services). The contexts keep no state of their own; EF resets the
        // change tracker, its settings and the connection's state when a context goes back to the pool.
        services.AddPooledDbContextFactory<SqliteDbContext>((sp, o) =>
            o.UseSqlite(SqliteConnectionString(Database(sp).ConnectionString), SqliteProviderOptions).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddPooledDbContextFactory<SqlServerDbContext>((sp, o) =>
            o.UseSqlServer(Database(sp).ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddPooledDbContextFactory<PostgresDbContext>((sp, o) =>
            o.UseNpgsql(Database(sp).ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddSingleton<IDbContextFactory<AppDbContext>>(sp => Database(sp).Provider switch
        {
            DatabaseProvider.SqlServer => new DerivedContextFactory<SqlServerDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerDbContext>>()),
            DatabaseProvider.PostgreSql => new DerivedContextFactory<PostgresDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresDbContext>>()),
            _ => new DerivedContextFactory<SqliteDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDbContext>>()),
        });

        var pinnedClockAllowed = ClockOptions.AllowedIn(builder.Environment);
        services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.Section)
            .Validate(o => o.Now is null || pinnedClockAllowed, "Clock:Now 只能在开发或测试环境中设置：生产环境必须使用真实时钟。")
            .ValidateOnStart();
        services.TryAddTimeProvider();
        services.AddSingleton<CalendarStore>();
        // Transient: an admin can add or correct a calendar year at run time; every use sees the current one.
        services.AddTransient(sp => sp.GetRequiredService<CalendarStore>().Calendar);
        services.AddTransient(sp => new DeadlineCalculator(
            sp.GetRequiredService<CalendarStore>().Calendar, sp.GetRequiredService<IOptions<DeadlineOptions>>().Value));

        services.AddSingleton(sp => DemoRules.From(sp.GetRequiredService<IOptions<SupervisionOptions>>().Value,
            sp.GetRequiredService<IOptions<BacklogOptions>>().Value, sp.GetRequiredService<IOptions<PetitionOptions>>().Value));
        services.AddSingleton<DemoDataGenerator>();
        services.AddSingleton<DemoDataWriter>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<DemoDataLoader>();
        services.AddSingleton<DatabaseInitializer>();
        return builder;
    }

    /// <summary>The one way every part binds its section: bound, validated by its annotations, checked at start-up.</summary>
    public static OptionsBuilder<T> AddRuleOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>The validated database options; throws OptionsValidationException (Chinese) for a bad provider.</summary>
    private static DatabaseOptions Database(IServiceProvider sp) => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClockOptions>>().Value.Now is { } now
                ? new PinnedClock(now)
                : TimeProvider.System);
    }

    /// <summary>
    /// SQLite's provider options, for the app and for whatever builds a <see cref="SqliteDbContext"/> itself (tests,
    /// tools). A parameterized list (<c>ids.Contains(p.Id)</c>) is one JSON parameter read with <c>json_each</c>, not
    /// EF 10's default of one parameter per element: with that, EF rewrote and regenerated the statement on every
    /// execution (the list's length is part of the SQL), which cost a compiled query more than its SQL (1M, the grid's
    /// free text over a name's ≈ 30 candidate ids: ≈ 0.3 ms per statement).
    /// </summary>
    public static void SqliteProviderOptions(Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder o) =>
        o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter);

    /// <summary>Makes the folder of a relative SQLite file exist, so a fresh clone starts without a manual step.</summary>
    private static string SqliteConnectionString(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        return builder.ToString();
    }

    private sealed class DerivedContextFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<AppDbContext>
        where T : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);
    }
}

/// <summary>
/// SQLite's settings for the whole process, made before its first connection opens. Memory statistics off
/// (<c>SQLITE_CONFIG_MEMSTATUS</c>): with them SQLite takes a process-wide mutex and looks up the allocation's size around
/// every malloc and free — ≈ 6 % of the import's writing thread (issue 12 goal 8; at 1M the mutexes and size lookups went
/// from 4.3 % to 0.6 % of the write's samples) — for figures nothing here reads (no soft heap limit, no
/// <c>sqlite3_memory_used</c>). Too late once SQLite is initialized (a second host in one process: the tests): SQLite then
/// refuses the call (SQLITE_MISUSE, no exception) and keeps what it had. Every provider's process: the call costs nothing.
/// </summary>
internal static class SqliteProcessSettings
{
    public static void Apply()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }
}
