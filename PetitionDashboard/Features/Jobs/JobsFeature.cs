using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;

namespace PetitionDashboard.Features.Jobs;

/// <summary>
/// The job host: Hangfire with the database server's own storage on SQL Server and PostgreSQL, a SQLite file of its own
/// beside the app's SQLite database (jobs and recurring schedules survive a restart, so a Monday run missed while the app
/// was stopped runs at the next start), and the dashboard at <see cref="DashboardPath"/> for Admins.
/// </summary>
public static class JobsFeature
{
    public const string DashboardPath = "/jobs";

    /// <summary>Dates on the dashboard in yyyy-MM-dd HH:mm, Shanghai time (issue 17 defect 10).</summary>
    private const string DashboardScript = "PetitionDashboard.Features.Jobs.JobsDashboard.js";
    private static int _dashboardScriptAdded;

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRuleOptions<JobOptions>(JobOptions.Section);
        services.AddHangfire((sp, cfg) =>
        {
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            switch (db.Provider)
            {
                case DatabaseProvider.SqlServer:
                    cfg.UseSqlServerStorage(db.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true });
                    break;
                case DatabaseProvider.PostgreSql:
                    // Its own tables in schema "hangfire", created on first start like SQL Server's "HangFire".
                    cfg.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(db.ConnectionString),
                        new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true });
                    break;
                default:
                    if (SqliteJobFile(db.ConnectionString) is { } jobFile) cfg.UseStorage(SqliteJobStorage(jobFile));
                    // An in-memory app database (a throwaway run) keeps its jobs in memory too.
                    else cfg.UseInMemoryStorage();
                    break;
            }
        });
        // Whether this process runs workers decides which services exist, so it is read while registering them.
        if (builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>()?.RunServer ?? new JobOptions().RunServer)
            services.AddHangfireServer();
        return builder;
    }

    /// <summary>
    /// The jobs' own SQLite file beside the app's (data/petitions.db → data/petitions-jobs.db): Hangfire.Storage.SQLite
    /// opens it through sqlite-net with its own locking, so it stays out of the app database that EF writes. Null for an
    /// in-memory database.
    /// </summary>
    public static string? SqliteJobFile(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
            return null;
        var app = Path.GetFullPath(builder.DataSource);
        return Path.Combine(Path.GetDirectoryName(app)!, Path.GetFileNameWithoutExtension(app) + "-jobs.db");
    }

    /// <summary>The job storage on <paramref name="file"/>, as the app opens it (also used by the tests that restart it).</summary>
    public static SQLiteStorage SqliteJobStorage(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return new SQLiteStorage(file, new SQLiteStorageOptions());
    }

    /// <summary>
    /// Mounts the dashboard for Admins (middleware in front of it, so it needs the application builder); the recurring
    /// jobs are scheduled at start-up by <see cref="RecurringJobs"/>.
    /// </summary>
    public static WebApplication MapJobs(this WebApplication app)
    {
        // Hangfire keeps its dashboard routes in static state: the script is added once per process, not once per host.
        if (Interlocked.Exchange(ref _dashboardScriptAdded, 1) == 0)
            DashboardRoutes.AddJavaScript(typeof(JobsFeature).Assembly, DashboardScript);
        app.UseWhen(c => c.Request.Path.StartsWithSegments(DashboardPath), branch => branch.Use(GuardDashboardAsync));
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorizationFilter()],
            DashboardTitle = "后台任务",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>
    /// In front of the dashboard: with a sign-in scheme configured, an anonymous visitor is challenged (sent to the
    /// sign-in page) and a non-Admin is forbidden the standard way; otherwise Hangfire's own filter answers 401/403,
    /// with a zh-CN explanation instead of the app's "page not found" status page.
    /// </summary>
    private static async Task GuardDashboardAsync(HttpContext context, RequestDelegate next)
    {
        var schemes = context.RequestServices.GetService<IAuthenticationSchemeProvider>();
        if (schemes is not null && await schemes.GetDefaultChallengeSchemeAsync() is not null
            && !AdminDashboardAuthorizationFilter.IsAdmin(context.User))
        {
            if (context.User.Identity?.IsAuthenticated == true) await context.ForbidAsync();
            else await context.ChallengeAsync();
            return;
        }
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages) statusPages.Enabled = false;
        await next(context);
        if (context.Response is { StatusCode: 401 or 403, HasStarted: false })
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("后台任务仅限系统管理员查看，请以系统管理员身份登录。", context.RequestAborted);
        }
    }
}
