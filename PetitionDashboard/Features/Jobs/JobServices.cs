using Hangfire;
using Hangfire.SqlServer;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Supervision;

namespace PetitionDashboard.Features.Jobs;

/// <summary>
/// The job host: Hangfire with in-memory storage on the embedded SQLite default and SQL Server storage on SQL Server,
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
            if (db.Provider == DatabaseProvider.SqlServer)
                cfg.UseSqlServerStorage(db.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true });
            else
                cfg.UseInMemoryStorage();
        });
        var jobs = configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        if (jobs.RunServer) services.AddHangfireServer();
        return services;
    }

    /// <summary>Mounts the dashboard and (re)schedules the recurring jobs.</summary>
    public static WebApplication UsePetitionJobs(this WebApplication app)
    {
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

    public static void ScheduleRecurringJobs(IRecurringJobManagerV2 manager)
    {
        var shanghai = new RecurringJobOptions { TimeZone = ShanghaiTime.Zone };
        manager.AddOrUpdate<SupervisionDailyJob>(SupervisionDailyJob.Id, j => j.RunAsync(CancellationToken.None),
            SupervisionDailyJob.Cron, shanghai);
    }
}
