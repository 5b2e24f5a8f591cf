using System.ComponentModel;
using Hangfire;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Risk;

/// <summary>
/// The risk score's recurring jobs (schedules in Features/Jobs/RecurringJobs): the weekly training (which scores after),
/// the nightly rescoring, and the scoring of new 初件 every few minutes. As the system user, off every page's request.
/// </summary>
public sealed class RiskJobs(IServiceScopeFactory scopes)
{
    public const string TrainId = "risk-train-weekly";
    public const string RescoreId = "risk-rescore-daily";
    public const string ScoreNewId = "risk-score-new";

    [DisplayName("每周训练初转重风险模型")]
    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task TrainAsync(CancellationToken ct)
    {
        await using var system = SystemScope.Begin(scopes);
        await system.Services.GetRequiredService<RiskTrainer>().TrainAsync("定时任务", ct);
    }

    [DisplayName("每日重新评分在办初件")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RescoreAsync(CancellationToken ct)
    {
        await using var system = SystemScope.Begin(scopes);
        await system.Services.GetRequiredService<RiskScorer>().ScoreAllAsync(ct);
    }

    [DisplayName("为新登记、新导入的初件评分")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    public async Task ScoreNewAsync(CancellationToken ct)
    {
        await using var system = SystemScope.Begin(scopes);
        await system.Services.GetRequiredService<RiskScorer>().ScoreNewAsync(ct);
    }
}
