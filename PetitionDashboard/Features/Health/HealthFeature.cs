using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Health;

/// <summary>
/// What a load balancer and an operator ask: <c>/healthz</c> (the process answers) and <c>/readyz</c> (this node can
/// serve: database reachable, migrations applied, the holiday calendar of this year present, job storage reachable).
/// Anonymous, JSON, and naming only each check and its state — no data, no connection strings, no exception texts.
/// </summary>
public static class HealthFeature
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    private const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag])
            .AddCheck<CalendarReadyCheck>("calendar", tags: [ReadyTag])
            .AddCheck<JobStorageReadyCheck>("jobs", tags: [ReadyTag]);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

/// <summary>Reachable and fully migrated: a node on an older schema than its code is not ready.</summary>
public sealed class DatabaseReadyCheck(IDbContextFactory<AppDbContext> dbs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("数据库无法连接");
            return (await db.Database.GetPendingMigrationsAsync(ct)).Any()
                ? HealthCheckResult.Unhealthy("数据库结构未更新到当前版本")
                : HealthCheckResult.Healthy("数据库可用");
        }
        catch (Exception)
        {
            return HealthCheckResult.Unhealthy("数据库无法连接");
        }
    }
}

/// <summary>Every deadline of this year needs its holiday calendar (docs/rules.md §2), in the table every node reads.</summary>
public sealed class CalendarReadyCheck(IDbContextFactory<AppDbContext> dbs, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var year = clock.Today().Year;
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            return await db.HolidayCalendarYears.AnyAsync(y => y.Year == year, ct)
                ? HealthCheckResult.Healthy($"已有 {year} 年节假日安排")
                : HealthCheckResult.Unhealthy($"缺少 {year} 年节假日安排，期限无法计算");
        }
        catch (Exception)
        {
            return HealthCheckResult.Unhealthy("节假日日历表无法读取");
        }
    }
}

/// <summary>The Hangfire storage answers (the jobs are shared through it by every node).</summary>
public sealed class JobStorageReadyCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            connection.GetAllItemsFromSet("recurring-jobs");
            return Task.FromResult(HealthCheckResult.Healthy("后台任务存储可用"));
        }
        catch (Exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("后台任务存储无法访问"));
        }
    }
}
