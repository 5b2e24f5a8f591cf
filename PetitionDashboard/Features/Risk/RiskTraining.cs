using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Risk;

/// <summary>Section "Risk" of appsettings.json (docs/rules.md §15).</summary>
public sealed class RiskOptions
{
    public const string Section = "Risk";

    /// <summary>Length of the evaluation period: the 初件 registered in these days before the last one whose outcome is known.</summary>
    [Range(30, 365)]
    public int EvaluationDays { get; set; } = 120;

    /// <summary>Fewer training rows (or positives) than this: no model is trained.</summary>
    [Range(10, 1_000_000)]
    public int MinimumSamples { get; set; } = 500;

    /// <summary>More training rows than this are thinned, deterministically (every k-th), to bound time and memory at 1M petitions.</summary>
    [Range(1000, 10_000_000)]
    public int MaximumSamples { get; set; } = 400_000;
}

/// <summary>What a training printed and stored.</summary>
public sealed record RiskTrainingResult(RiskModel Model, TimeSpan Loading, TimeSpan Training, TimeSpan Scoring)
{
    /// <summary>The evaluation as the command line and the job log print it (zh-CN).</summary>
    public IEnumerable<string> Lines()
    {
        var m = Model;
        yield return $"训练日期 {BusinessTime.ToBusinessDate(m.TrainedAtUtc):yyyy-MM-dd}，截止日 {m.CutoffOn:yyyy-MM-dd}（训练：此前登记、90 日结果已知的初件）";
        yield return $"训练样本 {m.TrainSamples} 个（{m.TrainPetitions} 件初件，其中 90 日内转重 {m.TrainPositives} 个样本）";
        yield return $"评估期 {m.CutoffOn:yyyy-MM-dd} 至 {m.EvaluatedToOn:yyyy-MM-dd}：样本 {m.EvalSamples} 个（{m.EvalPetitions} 件初件，转重 {m.EvalPositives} 个，基率 {Percent(m.EvalSamples == 0 ? 0 : (double)m.EvalPositives / m.EvalSamples)}）";
        yield return $"            AUC      前5%精确率  前10%精确率";
        yield return $"  模型       {m.Auc:0.000}    {Percent(m.TopFivePrecision),8}    {Percent(m.TopTenPrecision),8}";
        yield return $"  基线       {m.BaselineAuc:0.000}    {Percent(m.BaselineTopFivePrecision),8}    {Percent(m.BaselineTopTenPrecision),8}    （责任单位历史初转重率）";
        yield return m.Deployed
            ? $"已部署：高风险阈值 {m.HighThreshold:0.000}（评估期前 10%），已评分在办初件 {m.ScoredPetitions} 件"
            : $"未部署：{m.NotDeployedReason}";
        yield return $"用时：读取 {Loading.TotalSeconds:F1} 秒，训练与评估 {Training.TotalSeconds:F1} 秒，评分 {Scoring.TotalSeconds:F1} 秒";
    }

    public static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);
}

/// <summary>
/// Trains the 初转重 model on the bureau's own history with an honest time split, compares it with the baseline, stores
/// it (deployed only when it beats the baseline) and scores the open 初件. Called by the weekly job and <c>train-risk</c>;
/// runs as the system, never on a page's request.
/// </summary>
public sealed class RiskTrainer(
    IDbContextFactory<AppDbContext> dbs, Func<DeadlineCalculator> deadlines, IOptions<DeadlineOptions> deadlineOptions,
    IOptions<SupervisionOptions> supervision, IOptions<RiskOptions> options, RiskScorer scorer, TimeProvider clock,
    ILogger<RiskTrainer> log)
{
    public async Task<RiskTrainingResult> TrainAsync(string trainedBy, CancellationToken ct)
    {
        var o = options.Value;
        var today = clock.Today();
        // A repeat registered up to yesterday is known: the 90-day outcome of a 初件 received before today − 90 is final.
        var lastKnown = today.AddDays(-RiskHistory.HorizonDays);
        var cutoff = lastKnown.AddDays(-o.EvaluationDays);
        // What was known on the cut-off day: outcomes of 初件 registered 90 days before it.
        var trainTo = cutoff.AddDays(-RiskHistory.HorizonDays);

        var started = Stopwatch.GetTimestamp();
        RiskHistory history;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            history = await RiskHistory.LoadAsync(db, deadlines(), deadlineOptions.Value.WarnDays, supervision.Value.ListedAfterDays, false, ct);
        var loading = Stopwatch.GetElapsedTime(started);

        started = Stopwatch.GetTimestamp();
        var train = Thin(history.Samples(DateOnly.MinValue, trainTo), o.MaximumSamples);
        var eval = history.Samples(cutoff, lastKnown);
        var model = new RiskModel
        {
            TrainedAtUtc = clock.GetUtcNow().UtcDateTime, CutoffOn = cutoff, EvaluatedToOn = lastKnown.AddDays(-1), TrainedBy = trainedBy,
            TrainSamples = train.Count, TrainPetitions = train.Select(s => s.PetitionId).Distinct().Count(),
            TrainPositives = train.Count(s => s.Case.Label),
            EvalSamples = eval.Count, EvalPetitions = eval.Select(s => s.PetitionId).Distinct().Count(),
            EvalPositives = eval.Count(s => s.Case.Label),
        };

        var labels = eval.Select(s => s.Case.Label).ToList();
        var baseline = Baseline(history, train, trainTo);
        var baselineScores = eval.Select(s => baseline(s)).ToList();
        var b = RankingMetrics.Of(baselineScores, labels);
        (model.BaselineAuc, model.BaselineTopFivePrecision, model.BaselineTopTenPrecision) = (b.Auc, b.TopFivePrecision, b.TopTenPrecision);

        ITransformer? fitted = null;
        MLContext? ml = null;
        if (train.Count < o.MinimumSamples || model.TrainPositives < 20 || eval.Count < 50 || model.EvalPositives < 5)
        {
            model.NotDeployedReason = $"历史数据不足（训练样本 {train.Count} 个、其中转重 {model.TrainPositives} 个；评估样本 {eval.Count} 个、其中转重 {model.EvalPositives} 个），未训练模型";
        }
        else
        {
            ml = RiskLearner.Context();
            fitted = RiskLearner.Fit(ml, [.. train.Select(s => s.Case)]);
            var scores = RiskLearner.Score(ml, fitted, [.. eval.Select(s => s.Case)]).Select(s => (double)s).ToList();
            var m = RankingMetrics.Of(scores, labels);
            (model.Auc, model.TopFivePrecision, model.TopTenPrecision) = (m.Auc, m.TopFivePrecision, m.TopTenPrecision);
            model.HighThreshold = RankingMetrics.Threshold(scores, 0.10);
            model.Deployed = m.Auc > b.Auc && m.TopTenPrecision > b.TopTenPrecision;
            if (model.Deployed)
            {
                model.Model = RiskLearner.Save(ml, fitted);
                model.Reference = JsonSerializer.Serialize(RiskExplainer.Reference([.. train.Select(s => s.Case)]));
            }
            else
            {
                model.NotDeployedReason =
                    $"模型在评估期未超过基线（AUC {m.Auc:0.000} 对 {b.Auc:0.000}，前10%精确率 {RiskTrainingResult.Percent(m.TopTenPrecision)} 对 {RiskTrainingResult.Percent(b.TopTenPrecision)}），不予部署，不显示风险评分";
            }
        }
        var training = Stopwatch.GetElapsedTime(started);
        model.TrainingMilliseconds = (long)training.TotalMilliseconds;

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.RiskModels.Add(model);
            await db.SaveChangesAsync(ct);
        }
        log.LogInformation("初转重模型已训练（编号 {Id}，AUC {Auc:0.000}，基线 {Baseline:0.000}，部署 {Deployed}）",
            model.Id, model.Auc, model.BaselineAuc, model.Deployed);

        // Scores follow the newest training: a model that is not deployed leaves no scores behind.
        started = Stopwatch.GetTimestamp();
        var scored = await scorer.ScoreAllAsync(ct);
        var scoring = Stopwatch.GetElapsedTime(started);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await db.RiskModels.Where(x => x.Id == model.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ScoredPetitions, scored)
                .SetProperty(x => x.ScoringMilliseconds, (long)scoring.TotalMilliseconds), ct);
        }
        model.ScoredPetitions = scored;
        model.ScoringMilliseconds = (long)scoring.TotalMilliseconds;
        return new RiskTrainingResult(model, loading, training, scoring);
    }

    /// <summary>
    /// The baseline: the responsible unit's 初转重 rate among the training 初件 (known on the cut-off day), shrunk towards the
    /// overall rate for units with few cases (20 cases' weight), so a unit with two cases does not rank first by chance.
    /// </summary>
    internal static Func<RiskSample, double> Baseline(RiskHistory history, IReadOnlyList<RiskSample> train, DateOnly trainTo)
    {
        var firsts = history.Firsts.Where(p => p.ReceivedOn < trainTo).ToList();
        var overall = firsts.Count == 0 ? 0 : firsts.Count(history.RepeatedWithinHorizon) / (double)firsts.Count;
        var rates = firsts.GroupBy(p => history.UnitName(p.UnitId))
            .ToDictionary(g => g.Key, g => (g.Count(history.RepeatedWithinHorizon) + 20 * overall) / (g.Count() + 20));
        return s => rates.GetValueOrDefault(s.Case.Unit, overall);
    }

    /// <summary>Every k-th row when there are too many (the rows are in petition order, so the thinning is spread evenly over time).</summary>
    private static List<RiskSample> Thin(List<RiskSample> rows, int max)
    {
        if (rows.Count <= max) return rows;
        var step = (double)rows.Count / max;
        return [.. Enumerable.Range(0, max).Select(i => rows[(int)(i * step)])];
    }
}

/// <summary>
/// Scores the open 初件 with the model in force (the newest training, when it was deployed) and writes one
/// <see cref="RiskScore"/> per petition with the reasons. All at once after a training and every night (days since
/// registration and lateness change daily); the new, unscored ones every few minutes.
/// </summary>
public sealed class RiskScorer(
    IDbContextFactory<AppDbContext> dbs, Func<DeadlineCalculator> deadlines, IOptions<DeadlineOptions> deadlineOptions,
    IOptions<SupervisionOptions> supervision, TimeProvider clock)
{
    /// <summary>Replaces every score; returns how many petitions were scored (0 when no model is in force).</summary>
    public Task<int> ScoreAllAsync(CancellationToken ct) => ScoreAsync(onlyNew: false, ct);

    /// <summary>Scores the open 初件 that have no score yet (registered or imported since the last run).</summary>
    public async Task<int> ScoreNewAsync(CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
            if (!await RiskHistory.Unscored(db, clock.Today()).AnyAsync(ct)) return 0;
        return await ScoreAsync(onlyNew: true, ct);
    }

    private async Task<int> ScoreAsync(bool onlyNew, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var model = await db.RiskModels.AsNoTracking().OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);
        if (model is not { Deployed: true, Model: not null })
        {
            if (!onlyNew) await db.RiskScores.ExecuteDeleteAsync(ct);
            return 0;
        }
        var history = await RiskHistory.LoadAsync(db, deadlines(), deadlineOptions.Value.WarnDays, supervision.Value.ListedAfterDays, true, ct);
        var today = clock.Today();
        var cases = history.Current(today);
        if (onlyNew)
        {
            var scoredIds = (await db.RiskScores.AsNoTracking().Select(r => r.PetitionId).ToListAsync(ct)).ToHashSet();
            cases = [.. cases.Where(c => !scoredIds.Contains(c.PetitionId))];
        }
        var ml = RiskLearner.Context();
        var fitted = RiskLearner.Load(ml, model.Model);
        var reference = JsonSerializer.Deserialize<RiskCase>(model.Reference ?? "{}") ?? new RiskCase();
        var explained = RiskExplainer.Explain(ml, fitted, reference, [.. cases.Select(c => c.Case)]);
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = cases.Select((c, i) => new RiskScore
        {
            PetitionId = c.PetitionId, Score = explained[i].Score, High = explained[i].Score >= model.HighThreshold,
            ModelId = model.Id, ScoredAtUtc = now, Reasons = explained[i].Reasons,
        }).ToList();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (onlyNew)
        {
            var ids = rows.Select(r => r.PetitionId).ToList();
            foreach (var chunk in ids.Chunk(SqlLimits.KeysPerStatement))
                await db.RiskScores.Where(r => chunk.Contains(r.PetitionId)).ExecuteDeleteAsync(ct);
        }
        else
        {
            await db.RiskScores.ExecuteDeleteAsync(ct);
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var chunk in rows.Chunk(5_000))
        {
            db.RiskScores.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await tx.CommitAsync(ct);
        return rows.Count;
    }
}

/// <summary>
/// Why a case scored high: for each feature group, how much the score falls when that group is set to its typical value
/// (the most common category, the median number, no demand text) with the rest of the case unchanged. The groups that
/// raise the score most are the reasons. Model-agnostic and stated in the case's own values, so a leader can check it.
/// </summary>
public static class RiskExplainer
{
    /// <summary>A feature group: its zh-CN label, how to show the case's value, how to set the reference value.</summary>
    private sealed record Group(string Label, Func<RiskCase, string> Value, Action<RiskCase, RiskCase> Reset);

    private static readonly Group[] Groups =
    [
        new("问题类别", c => c.Category, (c, r) => c.Category = r.Category),
        new("问题属地", c => c.Locality, (c, r) => c.Locality = r.Locality),
        new("责任单位", c => c.Unit, (c, r) => c.Unit = r.Unit),
        new("信访形式", c => c.Form, (c, r) => c.Form = r.Form),
        new("信访目的", c => c.Purpose, (c, r) => c.Purpose = r.Purpose),
        new("人数", c => $"{c.People:0} 人", (c, r) => c.People = r.People),
        new("登记以来", c => $"{c.DaysSinceRegistration:0} 天", (c, r) => c.DaysSinceRegistration = r.DaysSinceRegistration),
        new("首次办理", c => c.FirstDecisionMade > 0
                ? (c.FirstDecisionLateDays > 0 ? $"登记后 {c.FirstDecisionDays:0} 天才作出，超期 {c.FirstDecisionLateDays:0} 天" : $"登记后 {c.FirstDecisionDays:0} 天作出")
                : (c.FirstDecisionLateDays > 0 ? $"尚未作出，已超期 {c.FirstDecisionLateDays:0} 天" : "尚未作出"),
            (c, r) => (c.FirstDecisionMade, c.FirstDecisionDays, c.FirstDecisionLateDays) = (r.FirstDecisionMade, r.FirstDecisionDays, r.FirstDecisionLateDays)),
        new("延期", c => c.Extended > 0 ? "已延期" : "未延期", (c, r) => c.Extended = r.Extended),
        new("当前环节超期", c => c.OverdueDays > 0 ? $"{c.OverdueDays:0} 天" : "未超期", (c, r) => c.OverdueDays = r.OverdueDays),
        new("督办与催办", c => $"{((SupervisionLevel)(int)c.Supervision).ToChinese()}，催办 {c.Reminders:0} 次",
            (c, r) => (c.Supervision, c.Reminders) = (r.Supervision, r.Reminders)),
        new("信访人此前信访事项", c => $"{c.EarlierThreads:0} 件", (c, r) => c.EarlierThreads = r.EarlierThreads),
        new("责任单位近 90 日重件占比", c => RiskTrainingResult.Percent(c.UnitRepeatRate), (c, r) => c.UnitRepeatRate = r.UnitRepeatRate),
        new("诉求内容", c => c.Demand.Length > 0 ? "本件诉求用语" : "", (c, r) => c.Demand = r.Demand),
    ];

    /// <summary>How many reasons a case shows, and the smallest rise (in probability) worth showing.</summary>
    private const int MaxReasons = 3;
    private const double MinRise = 0.005;

    /// <summary>The typical case of the training rows: the most common text of each category, the median of each number, no text.</summary>
    public static RiskCase Reference(IReadOnlyList<RiskCase> rows)
    {
        string Mode(Func<RiskCase, string> f) => rows.GroupBy(f).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        float Median(Func<RiskCase, float> f)
        {
            var sorted = rows.Select(f).Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        return new RiskCase
        {
            Category = Mode(c => c.Category), Locality = Mode(c => c.Locality), Unit = Mode(c => c.Unit), Form = Mode(c => c.Form),
            Purpose = Mode(c => c.Purpose), People = Median(c => c.People), DaysSinceRegistration = Median(c => c.DaysSinceRegistration),
            FirstDecisionMade = Median(c => c.FirstDecisionMade), FirstDecisionDays = Median(c => c.FirstDecisionDays),
            FirstDecisionLateDays = Median(c => c.FirstDecisionLateDays), Extended = Median(c => c.Extended),
            OverdueDays = Median(c => c.OverdueDays), Supervision = Median(c => c.Supervision), Reminders = Median(c => c.Reminders),
            EarlierThreads = Median(c => c.EarlierThreads), UnitRepeatRate = Median(c => c.UnitRepeatRate), Demand = "",
        };
    }

    /// <summary>The score of each case and its reasons (one line each, highest first; null when nothing stands out).</summary>
    public static IReadOnlyList<(double Score, string? Reasons)> Explain(MLContext ml, ITransformer model, RiskCase reference, IReadOnlyList<RiskCase> cases)
    {
        // One batch: every case, then every case with each group reset.
        var rows = new List<RiskCase>(cases.Count * (Groups.Length + 1));
        rows.AddRange(cases);
        foreach (var g in Groups)
            foreach (var c in cases)
            {
                var copy = Copy(c);
                g.Reset(copy, reference);
                rows.Add(copy);
            }
        var scores = RiskLearner.Score(ml, model, rows);
        var result = new List<(double, string?)>(cases.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var score = (double)scores[i];
            var reasons = Groups.Select((g, k) => (Group: g, Rise: score - scores[(k + 1) * cases.Count + i]))
                .Where(x => x.Rise >= MinRise && x.Group.Value(cases[i]) != x.Group.Value(reference))
                .OrderByDescending(x => x.Rise).Take(MaxReasons)
                .Select(x => $"{x.Group.Label}：{x.Group.Value(cases[i])}（+{x.Rise * 100:0.0} 个百分点）")
                .ToList();
            result.Add((score, reasons.Count == 0 ? null : string.Join('\n', reasons)));
        }
        return result;
    }

    private static RiskCase Copy(RiskCase c) => new()
    {
        Category = c.Category, Locality = c.Locality, Unit = c.Unit, Form = c.Form, Purpose = c.Purpose, People = c.People,
        DaysSinceRegistration = c.DaysSinceRegistration, FirstDecisionMade = c.FirstDecisionMade, FirstDecisionDays = c.FirstDecisionDays,
        FirstDecisionLateDays = c.FirstDecisionLateDays, Extended = c.Extended, OverdueDays = c.OverdueDays, Supervision = c.Supervision,
        Reminders = c.Reminders, EarlierThreads = c.EarlierThreads, UnitRepeatRate = c.UnitRepeatRate, Demand = c.Demand,
    };
}
