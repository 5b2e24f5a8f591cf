using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Features.Supervision;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Jobs;

[Collection(AppCollection.Name)]
public sealed class JobHostTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_IsClosedToAnonymousUsers()
    {
        using var http = fixture.App.CreateHttpClient();

        var response = await http.GetAsync("/jobs", Ct);

        // Anonymous: sent to sign in before the dashboard's own filter runs (the Kestrel client may follow the redirect).
        var landed = response.StatusCode == HttpStatusCode.Redirect
            ? response.Headers.Location!.ToString()
            : response.RequestMessage!.RequestUri!.ToString();
        Assert.Contains("/account/login", landed);
        Assert.DoesNotContain("定期作业", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Dashboard_OpensForAnAdmin_ListsTheDailyJob_AndRefusesOtherRoles()
    {
        await using var host = await AppHost.StartAsync(services: TestSignIn.AddTo);
        using var http = host.CreateHttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/jobs", Ct)).StatusCode);
        var supervisor = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        supervisor.Headers.Add(TestSignIn.Header, TestSignIn.Value("supervisor1", Roles.Supervisor));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(supervisor, Ct)).StatusCode);

        var admin = new HttpRequestMessage(HttpMethod.Get, "/jobs/recurring");
        admin.Headers.Add(TestSignIn.Header, TestSignIn.Value("admin1", Roles.SystemAdmin));
        var page = await http.SendAsync(admin, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("supervision-daily", html);
        Assert.Contains("后台任务", html);
    }

    [Fact]
    public void DailyJob_IsScheduledAt0030ShanghaiTime()
    {
        var storage = fixture.App.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == SupervisionDailyJob.Id);

        Assert.Equal("30 0 * * *", job.Cron);
        Assert.Contains(job.TimeZoneId, new[] { "Asia/Shanghai", "China Standard Time" });
        Assert.Equal(typeof(SupervisionDailyJob), job.Job.Type);
        // Next run: 00:30 Shanghai = 16:30 UTC of the day before.
        Assert.Equal(new TimeSpan(16, 30, 0), job.NextExecution!.Value.TimeOfDay);
    }

    [Fact]
    public void WithRunServerOff_NoWorkersStart()
    {
        var hosted = fixture.App.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.DoesNotContain(hosted, name => name.Contains("BackgroundJobServer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TriggeredDailyJob_RunsOnTheServer_WithShanghaiDate_AndRaisesOverduePetitions()
    {
        // 00:30 Shanghai on 10 March 2026 (still 9 March in UTC).
        var clock = TestClock.AtShanghai(2026, 3, 10, 0, 30);
        await using var host = await AppHost.StartAsync(
            new Dictionary<string, string?> { ["Jobs:RunServer"] = "true" },
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(clock);
            });
        int overdueId;
        await using (var db = host.Database.CreateDbContext())
        {
            var seeded = new SupervisionSeed(db).Petition(new DateOnly(2026, 3, 9));
            await db.SaveChangesAsync(Ct);
            overdueId = seeded.Id;
        }
        var storage = host.Services.GetRequiredService<JobStorage>();

        var jobId = host.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(SupervisionDailyJob.Id);

        var state = await WaitForFinalStateAsync(storage, jobId);
        Assert.Equal("Succeeded", state.Name);
        await using var check = host.Database.CreateDbContext();
        var petition = await check.Petitions.SingleAsync(p => p.Id == overdueId, Ct);
        Assert.Equal(SupervisionLevel.Supervise, petition.Supervision);
        var e = await check.PetitionEvents.SingleAsync(x => x.PetitionId == overdueId, Ct);
        Assert.Equal((new DateOnly(2026, 3, 10), "系统（每日重算）"), (e.On, e.Actor));
    }

    [Fact]
    public async Task OnSqlite_JobsSurviveARestart_AndAMondayRunMissedWhileStoppedRunsAtTheNextStart()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var jobFile = JobsFeature.SqliteJobFile(database.ConnectionString)!;
        // The app last ran two weeks ago and scheduled its jobs then (the same storage the app opens); it was stopped since,
        // so a Monday 02:00 went by without it. Outside a host, Hangfire's static log provider would still point at an
        // earlier test host's disposed logger factory.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentHangfireLogs());
        var storage = JobsFeature.SqliteJobStorage(jobFile);
        var twoWeeksAgo = DateTime.UtcNow.AddDays(-14);
        RecurringJobs.Schedule(new RecurringJobManager(storage, Hangfire.Common.JobFilterProviders.Providers, new DefaultTimeZoneResolver(), () => twoWeeksAgo));
        using (var connection = storage.GetConnection())
            Assert.True(connection.GetRecurringJobs().Single(j => j.Id == WeeklyStatisticsJob.RecurringJobId).NextExecution < DateTime.UtcNow);
        (storage as IDisposable)?.Dispose();

        // The next start, with its job server: the missed weekly run happens now, once.
        await using var host = await AppHost.StartOnAsync(database, new Dictionary<string, string?> { ["Jobs:RunServer"] = "true" });
        Assert.IsType<Hangfire.Storage.SQLite.SQLiteStorage>(host.Services.GetRequiredService<JobStorage>());
        Assert.True(File.Exists(jobFile));
        var run = await WaitForScheduledRecomputeAsync(host.Database);
        Assert.Equal(RecomputeRunState.Completed, run.State);
        using (var connection = host.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var weekly = connection.GetRecurringJobs().Single(j => j.Id == WeeklyStatisticsJob.RecurringJobId);
            Assert.True(weekly.NextExecution > DateTime.UtcNow, "the next run is next Monday again");
            Assert.NotNull(weekly.LastJobId);
        }
    }

    private static async Task<RecomputeRun> WaitForScheduledRecomputeAsync(TestDatabase database)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await using (var db = database.CreateDbContext())
            {
                var run = await db.RecomputeRuns.AsNoTracking()
                    .FirstOrDefaultAsync(r => r.RequestedBy == RecomputeCoordinator.ScheduledBy && r.Slot == null, Ct);
                if (run is not null) return run;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("错过的每周统计两分钟内未在启动后运行");
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Polls the job's state until it succeeds or fails (Hangfire records failures on the dashboard).</summary>
    private static async Task<StateData> WaitForFinalStateAsync(JobStorage storage, string jobId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using (var connection = storage.GetConnection())
            {
                var state = connection.GetStateData(jobId);
                if (state is { Name: "Succeeded" or "Failed" }) return state;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"任务 {jobId} 一分钟内未完成，当前状态：{state?.Name ?? "无"} {state?.Reason}");
            }
            await Task.Delay(100, Ct);
        }
    }
}

/// <summary>Hangfire's logging for storage opened outside a host (the host sets its own provider when it starts).</summary>
internal sealed class SilentHangfireLogs : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
{
    public Hangfire.Logging.ILog GetLogger(string name) => this;

    public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
}
