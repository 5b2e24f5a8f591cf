using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Supervision;

namespace PetitionDashboard.Features.Jobs;

/// <summary>
/// The job host: Hangfire with in-memory storage on the embedded SQLite default and the database server's own storage
/// on SQL Server and PostgreSQL,
/// the recurring jobs (Asia/Shanghai time), and the dashboard at <see cref="DashboardPath"/> for Admins.
/// </summary>
public static class JobServices
{
    public const string DashboardPath = "/jobs";

    public static IServiceCollection AddPetitionJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JobOptions>(configuration.GetSection(JobOptions.Section));
        var db = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddHangfire(cfg =>
        {
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
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
                    cfg.UseInMemoryStorage();
                    break;
            }
        });
        var jobs = configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        if (jobs.RunServer) services.AddHangfireServer();
        return services;
    }

    /// <summary>Mounts the dashboard and (re)schedules the recurring jobs.</summary>
    public static WebApplication UsePetitionJobs(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(DashboardPath), branch => branch.Use(GuardDashboardAsync));
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorizationFilter()],
            DashboardTitle = "后台任务",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        ScheduleRecurringJobs(app.Services.GetRequiredService<IRecurringJobManagerV2>());
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

    public static void ScheduleRecurringJobs(IRecurringJobManagerV2 manager)
    {
        var shanghai = new RecurringJobOptions { TimeZone = ShanghaiTime.Zone };
        manager.AddOrUpdate<SupervisionDailyJob>(SupervisionDailyJob.Id, j => j.RunAsync(CancellationToken.None),
            SupervisionDailyJob.Cron, shanghai);
    }
}
