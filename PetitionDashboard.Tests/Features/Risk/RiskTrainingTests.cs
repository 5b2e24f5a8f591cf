using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Risk;
using PetitionDashboard.Tests.Data;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Risk;

/// <summary>
/// The 30,000-petition demo city (the app's default size and seed, pinned clock) trained once: the model must beat the
/// baseline on the held-out period, and what it stores and scores must be what the pages read.
/// </summary>
public sealed class RiskDemoFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public TestClock Clock { get; } = DemoTestSupport.Clock();
    public RiskTrainingResult Result { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await DemoTestSupport.Demo(Database, Clock, batchSize: 5_000).GenerateAsync(30_000, seed: 20261123, progress: null, TestContext.Current.CancellationToken);
        Result = await RiskTests.Trainer(Database, Clock).TrainAsync("测试", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}

internal static class RiskTests
{
    public static RiskScorer Scorer(TestDatabase db, TimeProvider clock) => new(
        db, () => TestRules.Deadlines(), Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()), clock);

    public static RiskTrainer Trainer(TestDatabase db, TimeProvider clock, RiskOptions? options = null) => new(
        db, () => TestRules.Deadlines(), Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()),
        Options.Create(options ?? new RiskOptions()), Scorer(db, clock), clock, NullLogger<RiskTrainer>.Instance);
}

public sealed class RiskTrainingTests(RiskDemoFixture demo) : IClassFixture<RiskDemoFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void OnTheDemoCity_TheModelBeatsTheUnitBaseline_OnTheHeldOutPeriod_AndIsDeployed()
    {
        var m = demo.Result.Model;
        Assert.True(m.Deployed, m.NotDeployedReason);
        Assert.True(m.Auc > m.BaselineAuc + 0.02, $"AUC {m.Auc:0.000} vs baseline {m.BaselineAuc:0.000}");
        Assert.True(m.TopTenPrecision > m.BaselineTopTenPrecision, $"top 10 % {m.TopTenPrecision:P1} vs baseline {m.BaselineTopTenPrecision:P1}");
        // The split is in time: training outcomes were known on the cut-off, the evaluation period follows it.
        var today = demo.Clock.Today();
        Assert.Equal(today.AddDays(-90 - new RiskOptions().EvaluationDays), m.CutoffOn);
        Assert.Equal(today.AddDays(-91), m.EvaluatedToOn);
        Assert.True(m.TrainSamples > 10_000 && m.EvalSamples > 2_000, $"{m.TrainSamples} / {m.EvalSamples}");
        Assert.InRange(m.EvalPositives, 1, m.EvalSamples - 1);
    }

    [Fact]
    public async Task TheModel_IsStoredInTheDatabase_AndAnotherNodeScoresTheSame()
    {
        await using var db = demo.Database.CreateDbContext();
        var stored = await db.RiskModels.AsNoTracking().SingleAsync(m => m.Id == demo.Result.Model.Id, Ct);
        Assert.NotNull(stored.Model);
        Assert.NotEmpty(stored.Model);
        Assert.Equal(demo.Result.Model.Auc, stored.Auc);
        Assert.Equal(demo.Result.Model.ScoredPetitions, await db.RiskScores.CountAsync(Ct));

        // A second node: a scorer of its own that has only the database. Its scores are the first node's.
        var before = await db.RiskScores.AsNoTracking().OrderBy(r => r.PetitionId).Select(r => new { r.PetitionId, r.Score, r.Reasons }).ToListAsync(Ct);
        var scored = await RiskTests.Scorer(demo.Database, demo.Clock).ScoreAllAsync(Ct);
        var after = await db.RiskScores.AsNoTracking().OrderBy(r => r.PetitionId).Select(r => new { r.PetitionId, r.Score, r.Reasons }).ToListAsync(Ct);
        Assert.Equal(before.Count, scored);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Scores_GoToOpenFirstPetitionsInsideTheHorizon_WithReasons_AndTheTop10PercentAreHigh()
    {
        await using var db = demo.Database.CreateDbContext();
        var today = demo.Clock.Today();
        var scored = await db.RiskScores.AsNoTracking().Include(r => r.Petition).ThenInclude(p => p.Thread).ToListAsync(Ct);
        Assert.NotEmpty(scored);
        Assert.All(scored, r =>
        {
            Assert.False(r.Petition.IsRepeat);
            Assert.True(r.Petition.IsOpen);
            Assert.Equal(1, r.Petition.Thread.PetitionCount);
            Assert.InRange(today.DayNumber - r.Petition.ReceivedOn.DayNumber, 0, 89);
            Assert.InRange(r.Score, 0, 1);
            Assert.Equal(r.Score >= demo.Result.Model.HighThreshold, r.High);
        });
        Assert.Contains(scored, r => r.High);
        Assert.Contains(scored, r => !r.High);
        // The high ones say why, in the case's own values.
        var high = scored.Where(r => r.High).ToList();
        Assert.True(high.Count(r => r.Reasons is not null) > high.Count / 2);
        Assert.All(high.Where(r => r.Reasons is not null), r => Assert.Matches(@"^[^：\n]+：[^\n]+（\+\d+\.\d 个百分点）(\n|$)", r.Reasons!));
    }

    [Fact]
    public async Task TheCheckEveryFewMinutes_FindsOnlyWhatScoringWouldScore()
    {
        await using var db = demo.Database.CreateDbContext();
        var today = demo.Clock.Today();
        // Open 初件 inside the horizon are left without a score when their thread has repeated: the demo has some (else
        // this test could not fail), and after the training's scoring the check must find nothing to score.
        var since = today.AddDays(-RiskHistory.HorizonDays);
        var repeatedUnscored = await db.Petitions.Where(PetitionDashboard.Features.Backlog.BacklogQuery.IsOpen)
            .CountAsync(p => !p.IsRepeat && p.ReceivedOn > since && p.Risk == null, Ct);
        Assert.True(repeatedUnscored > 0, "the demo city has no repeated open 初件 inside the horizon");
        Assert.False(await RiskHistory.Unscored(db, today).AnyAsync(Ct));
        Assert.Equal(0, await RiskTests.Scorer(demo.Database, demo.Clock).ScoreNewAsync(Ct));

        // A case scoring would score, without its score, is what the check finds — and exactly that one.
        var history = await RiskHistory.LoadAsync(db, TestRules.Deadlines(), new DeadlineOptions().WarnDays,
            new SupervisionOptions().ListedAfterDays, true, Ct);
        var current = history.Current(today).Select(c => c.PetitionId).ToHashSet();
        await using var tx = await db.Database.BeginTransactionAsync(Ct);
        var id = await db.RiskScores.OrderBy(r => r.PetitionId).Select(r => r.PetitionId).FirstAsync(Ct);
        Assert.Contains(id, current);
        await db.RiskScores.Where(r => r.PetitionId == id).ExecuteDeleteAsync(Ct);
        Assert.Equal([id], await RiskHistory.Unscored(db, today).Select(p => p.Id).ToListAsync(Ct));
        await tx.RollbackAsync(Ct);
    }

    [Fact]
    public async Task TheCasePage_ReadsTheScoreReasonsAndModel()
    {
        int id;
        await using (var db = demo.Database.CreateDbContext())
            id = await db.RiskScores.Where(r => r.High && r.Reasons != null).OrderByDescending(r => r.Score).Select(r => r.PetitionId).FirstAsync(Ct);
        var service = new RiskService(demo.Database, TestUsers.Guard(Roles.Leader));
        var risk = await service.ForPetitionAsync(id, Ct);
        Assert.NotNull(risk);
        Assert.True(risk.High);
        Assert.NotEmpty(risk.Reasons);
        Assert.Equal(demo.Result.Model.Id, risk.Model.Id);
        Assert.Contains("AUC", risk.Model.Text);
        await Refused.NotAllowedAsync(() => new RiskService(demo.Database, TestUsers.Guard(Roles.SystemAdmin)).ForPetitionAsync(id, Ct));
    }
}

public sealed class RiskSnapshotTests(RiskDemoFixture demo) : IClassFixture<RiskDemoFixture>
{
    [Fact]
    public async Task ACase_AsOfASnapshot_KnowsNothingOfLaterEvents()
    {
        await using var db = demo.Database.CreateDbContext();
        var history = await RiskHistory.LoadAsync(db, TestRules.Deadlines(), 5, 30, false, TestContext.Current.CancellationToken);
        var late = history.Firsts.First(p => p.FirstDecisionOn is { } d && d.DayNumber - p.ReceivedOn.DayNumber > 20 && p.ExtensionDays > 0);
        var decided = late.FirstDecisionOn!.Value;

        var before = history.CaseOn(late, decided.AddDays(-1));
        Assert.Equal(0, before.FirstDecisionMade);
        Assert.Equal(0, before.Extended);
        Assert.Equal(decided.DayNumber - 1 - late.ReceivedOn.DayNumber, before.FirstDecisionDays);
        var on = history.CaseOn(late, decided);
        Assert.Equal(1, on.FirstDecisionMade);
        Assert.True(on.FirstDecisionLateDays > 0);

        // The label's repeat is after the snapshot: a thread whose repeat came is no longer a sample from that day on.
        var repeated = history.Firsts.First(p => history.RepeatedWithinHorizon(p) && !history.RepeatedBy(p, p.ReceivedOn.AddDays(15)));
        var samples = history.Samples(repeated.ReceivedOn, repeated.ReceivedOn.AddDays(1)).Where(s => s.PetitionId == repeated.Id).ToList();
        Assert.All(samples, s => Assert.True(s.Case.Label));
        Assert.All(samples, s => Assert.False(history.RepeatedBy(repeated, s.SnapshotOn)));
    }
}

public sealed class RiskRulesTests
{
    [Fact]
    public void Auc_IsOneForAPerfectRanking_ZeroForAReversedOne_AndAHalfForTies()
    {
        bool[] labels = [false, false, true, true];
        Assert.Equal(1.0, RankingMetrics.Of([0.1, 0.2, 0.8, 0.9], labels).Auc);
        Assert.Equal(0.0, RankingMetrics.Of([0.9, 0.8, 0.2, 0.1], labels).Auc);
        Assert.Equal(0.5, RankingMetrics.Of([0.5, 0.5, 0.5, 0.5], labels).Auc);
        Assert.Equal(0.75, RankingMetrics.Of([0.1, 0.6, 0.5, 0.9], labels).Auc);
    }

    [Fact]
    public void TopPrecision_CountsPositivesAmongTheHighestShare()
    {
        var scores = Enumerable.Range(0, 100).Select(i => i / 100.0).ToList();
        var labels = Enumerable.Range(0, 100).Select(i => i >= 97 || i == 50).ToList();
        Assert.Equal(0.6, RankingMetrics.TopPrecision(scores, labels, 0.05), 6);
        Assert.Equal(0.3, RankingMetrics.TopPrecision(scores, labels, 0.10), 6);
        Assert.Equal(0.90, RankingMetrics.Threshold(scores, 0.10), 6);
    }

    [Fact]
    public async Task WithTooLittleHistory_NoModelIsDeployed_AndNoCaseKeepsAScore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var clock = DemoTestSupport.Clock();
        await DemoTestSupport.Demo(database, clock).GenerateAsync(150, seed: 7, progress: null, ct);
        await using (var db = database.CreateDbContext())
        {
            // A score left by an earlier model must not outlive a training that was not deployed.
            var open = await db.Petitions.Where(p => !p.IsRepeat).Select(p => p.Id).FirstAsync(ct);
            db.RiskModels.Add(new RiskModel { TrainedBy = "测试", Deployed = true });
            await db.SaveChangesAsync(ct);
            db.RiskScores.Add(new RiskScore { PetitionId = open, Score = 0.9, High = true, ModelId = db.RiskModels.Local.Single().Id });
            await db.SaveChangesAsync(ct);
        }

        var result = await RiskTests.Trainer(database, clock).TrainAsync("测试", ct);

        Assert.False(result.Model.Deployed);
        Assert.Null(result.Model.Model);
        Assert.Contains("历史数据不足", result.Model.NotDeployedReason);
        Assert.Contains(result.Lines(), l => l.StartsWith("未部署：", StringComparison.Ordinal));
        await using var check = database.CreateDbContext();
        Assert.Equal(0, await check.RiskScores.CountAsync(ct));
        var latest = await new RiskService(database, TestUsers.Leader).LatestModelAsync(ct);
        Assert.False(latest!.Deployed);
    }
}
