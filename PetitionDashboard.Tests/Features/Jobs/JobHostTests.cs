using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PetitionDashboard.Domain;
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
