using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

public static class DataServices
{
    /// <summary>Database for the configured provider, the calendar, and the domain's rule objects.</summary>
    public static IServiceCollection AddPetitionData(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.Configure<DeadlineOptions>(configuration.GetSection(DeadlineOptions.Section));
        services.Configure<SupervisionOptions>(configuration.GetSection(SupervisionOptions.Section));
        services.Configure<BacklogOptions>(configuration.GetSection(BacklogOptions.Section));
        services.Configure<RepeatOptions>(configuration.GetSection(RepeatOptions.Section));
        services.Configure<PetitionOptions>(configuration.GetSection(PetitionOptions.Section));

        var db = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        switch (db.Provider)
        {
            case DatabaseProvider.SqlServer:
                services.AddDbContextFactory<SqlServerDbContext>((sp, o) => o.UseSqlServer(db.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
                    new DerivedContextFactory<SqlServerDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerDbContext>>()));
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContextFactory<PostgresDbContext>((sp, o) => o.UseNpgsql(db.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
                    new DerivedContextFactory<PostgresDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresDbContext>>()));
                break;
            default:
                services.AddDbContextFactory<SqliteDbContext>((sp, o) => o.UseSqlite(SqliteConnectionString(db.ConnectionString)).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
                    new DerivedContextFactory<SqliteDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDbContext>>()));
                break;
        }

        services.TryAddTimeProvider();
        services.AddSingleton<CalendarStore>();
        // Transient: an admin can add or correct a calendar year at run time; every use sees the current one.
        services.AddTransient(sp => sp.GetRequiredService<CalendarStore>().Calendar);
        services.AddTransient(sp => new DeadlineCalculator(
            sp.GetRequiredService<CalendarStore>().Calendar, sp.GetRequiredService<IOptions<DeadlineOptions>>().Value));
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

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

    /// <summary>Applies pending migrations of the configured provider.</summary>
    public static async Task MigrateAsync(this IDbContextFactory<AppDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while a job or an import writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    private sealed class DerivedContextFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<AppDbContext>
        where T : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);
    }
}
