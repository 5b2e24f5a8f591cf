using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Risk;

/// <summary>The newest training as the pages show it: date, cut-off, sizes, metrics, and whether it is in force.</summary>
public sealed record RiskModelSummary(
    int Id, DateTime TrainedAtUtc, DateOnly CutoffOn, DateOnly EvaluatedToOn, int TrainPetitions, int TrainSamples,
    int EvalPetitions, int EvalSamples, int EvalPositives, double Auc, double TopTenPrecision, double BaselineAuc,
    double BaselineTopTenPrecision, double HighThreshold, bool Deployed, string? NotDeployedReason)
{
    /// <summary>One zh-CN line: "模型 2026-11-30 训练（截止 2026-01-25）：AUC 0.74（基线 0.61），前10%精确率 …".</summary>
    public string Text =>
        $"模型 {BusinessTime.ToBusinessDate(TrainedAtUtc):yyyy-MM-dd} 训练（截止日 {CutoffOn:yyyy-MM-dd}，训练样本 {TrainSamples} 个，评估期 {CutoffOn:yyyy-MM-dd} 至 {EvaluatedToOn:yyyy-MM-dd} 样本 {EvalSamples} 个）："
        + $"AUC {Auc:0.000}（基线 {BaselineAuc:0.000}），前10%精确率 {RiskTrainingResult.Percent(TopTenPrecision)}（基线 {RiskTrainingResult.Percent(BaselineTopTenPrecision)}）";
}

/// <summary>A case's risk for the case page.</summary>
public sealed record CaseRisk(double Score, bool High, DateTime ScoredAtUtc, IReadOnlyList<string> Reasons, RiskModelSummary Model);

/// <summary>What the pages read about the risk score (never trains or scores: that is the jobs' work).</summary>
public sealed class RiskService(IDbContextFactory<AppDbContext> dbs, AccessGuard guard)
{
    /// <summary>The newest training, or null when none was made.</summary>
    public async Task<RiskModelSummary?> LatestModelAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Summaries(db.RiskModels).FirstOrDefaultAsync(ct);
    }

    /// <summary>The petition's score and reasons, with the model that gave them; null when it has none.</summary>
    public async Task<CaseRisk?> ForPetitionAsync(int petitionId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var score = await db.RiskScores.AsNoTracking().FirstOrDefaultAsync(r => r.PetitionId == petitionId, ct);
        if (score is null) return null;
        var model = await Summaries(db.RiskModels.Where(m => m.Id == score.ModelId)).FirstOrDefaultAsync(ct);
        if (model is null) return null;
        return new CaseRisk(score.Score, score.High, score.ScoredAtUtc,
            (score.Reasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries), model);
    }

    private static IQueryable<RiskModelSummary> Summaries(IQueryable<RiskModel> models) =>
        models.AsNoTracking().OrderByDescending(m => m.Id).Select(m => new RiskModelSummary(
            m.Id, m.TrainedAtUtc, m.CutoffOn, m.EvaluatedToOn, m.TrainPetitions, m.TrainSamples, m.EvalPetitions, m.EvalSamples,
            m.EvalPositives, m.Auc, m.TopTenPrecision, m.BaselineAuc, m.BaselineTopTenPrecision, m.HighThreshold, m.Deployed,
            m.NotDeployedReason));
}
