using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Features.Statistics;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Scoring;

/// <summary>
/// Scoring schemes (docs/rules.md §14) on the hand-built week 2026-W46 of <see cref="StatisticsWorld"/>. Its figures, worked
/// out by hand in <see cref="WeeklyFiguresTests"/>:
/// <code>
///            及时受理率  按期答复率  参评率     满意率     重件
/// 甲县 (A)   1/2         1/2         1/2        1/1        0
/// 乙局 (B)   0/1         1/1         2/2        1/2        1
/// 丙镇 (C)   —           —           —          —          0
/// </code>
/// </summary>
public class ScoringServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<StatisticsWorld> ComputedAsync(params IsoWeek[] weeks) => HandBuiltComputedAsync(weeks);

    private static async Task<UnitWeekRow> UnitAsync(StatisticsWorld w, IsoWeek week, int unitId) =>
        (await w.Service.WeekAsync(week, Ct))!.Units.Single(u => u.UnitId == unitId);

    private static double?[] Items(UnitWeekRow u) => [.. u.Score.Items.Select(i => i.Points)];

    [Fact]
    public async Task Dachuan_ScoresOfW46_EqualTheHandComputation_ForEveryUnit_IncludingAllDashRates()
    {
        await using var w = await ComputedAsync();
        await w.ScoringAs(SupervisorActor).ChooseAsync("达川式", Ct);
        var week = (await w.Service.WeekAsync(W46, Ct))!;
        Assert.Equal(("达川式", 1, 30.0), (week.Scheme.Name, week.Scheme.Version, week.Scheme.MaxScore));
        Assert.Equal(["及时受理率×5", "按期答复率×10", "满意率×10", "参评率×5", "重件每件扣1分"], week.Scheme.Items.Select(i => i.Label));

        // 甲县: 1/2 × 5 + 1/2 × 10 + 1 × 10 + 1/2 × 5 − 1 × 0 = 2.5 + 5 + 10 + 2.5 − 0 = 20; 20/30 = 66.7 % < 70 % → D.
        var a = await UnitAsync(w, W46, w.A);
        Assert.Equal([2.5, 5, 10, 2.5, 0], Items(a));
        Assert.Equal((20.0, "D"), (a.Score.Total, a.Score.Grade));
        // 乙局: 0 × 5 + 1 × 10 + 1/2 × 10 + 1 × 5 − 1 × 1 = 0 + 10 + 5 + 5 − 1 = 19; 63.3 % → D.
        var b = await UnitAsync(w, W46, w.B);
        Assert.Equal([0, 10, 5, 5, -1], Items(b));
        Assert.Equal((19.0, "D"), (b.Score.Total, b.Score.Grade));
        // 丙镇: every rate "—" earns its full points, no 重件: 5 + 10 + 10 + 5 − 0 = 30; 100 % → A.
        var c = await UnitAsync(w, W46, w.C);
        Assert.Equal([5, 10, 10, 5, 0], Items(c));
        Assert.Equal((30.0, "A"), (c.Score.Total, c.Score.Grade));

        // Each is alone in its kind: first of its block; blocks in the order county, city department, township.
        Assert.Equal([("甲县", 1), ("乙局", 1), ("丙镇", 1)], week.Units.Select(u => (u.UnitName, u.Rank)));
    }

    [Fact]
    public async Task Default_IsTheLeadershipIndexTheAppHad_OnAHundredPointScale()
    {
        await using var w = await ComputedAsync();
        var week = (await w.Service.WeekAsync(W46, Ct))!;
        Assert.Equal(("默认", 100.0), (week.Scheme.Name, week.Scheme.MaxScore));
        // Weights 0.3 / 0.3 / 0.2 / 0.2 over 及时受理率 95 %, 按期答复率 90 %, 参评率 60 %, 满意率 90 %.
        // 甲县: only 满意率 (1/1) is met: 0.2 / 1.0 = 20 %.  乙局: 按期答复率 1/1 and 参评率 2/2 met: 0.5 → 50.
        // 丙镇: no rate has data: "—", no grade, ranked last of its (one-unit) block.
        var a = await UnitAsync(w, W46, w.A);
        Assert.Equal([0, 0, 0, 20], Items(a).Select(p => Math.Round(p!.Value, 6)));
        Assert.Equal((20.0, "D"), (a.Score.Total, a.Score.Grade));
        Assert.Equal(50.0, (await UnitAsync(w, W46, w.B)).Score.Total);
        var c = await UnitAsync(w, W46, w.C);
        Assert.Equal((null, null), (c.Score.Total, c.Score.Grade));
        foreach (var u in week.Units)
        {
            var index = w.Service.LeadershipIndex(u.Stats);
            Assert.Equal(index is { } i ? Math.Round(i * 100, 6) : null, u.Score.Total);
        }
    }

    [Fact]
    public async Task APublishedWeek_KeepsItsSchemesScores_AfterTheSchemeIsEditedAndAnotherChosen()
    {
        await using var w = await ComputedAsync(W45, W46);
        var scoring = w.ScoringAs(SupervisorActor);
        await scoring.ChooseAsync("达川式", Ct);
        await w.ServiceAs(SupervisorActor).PublishAsync(W46, Ct);

        // 达川式 version 2 doubles the deduction; then 默认 is put in force.
        var v2 = await scoring.SaveAsync(ScoringSchemes.Dachuan with
        {
            Items = [.. ScoringSchemes.Dachuan.Items.Select(i => i.Kind == ScoringItemKind.DeductionPerCount ? i with { Points = 2 } : i)],
        }, Ct);
        Assert.Equal(2, v2.Version);
        Assert.Equal(2, (await w.Service.WeekAsync(W45, Ct))!.Scheme.Version);   // unpublished: the new version at once
        await scoring.ChooseAsync("默认", Ct);

        var published = (await w.Service.WeekAsync(W46, Ct))!;
        Assert.Equal(("达川式", 1), (published.Scheme.Name, published.Scheme.Version));
        Assert.Equal([20.0, 19.0, 30.0], new[] { w.A, w.B, w.C }.Select(id => published.Units.Single(u => u.UnitId == id).Score.Total));
        Assert.Equal("默认", (await w.Service.WeekAsync(W45, Ct))!.Scheme.Name);

        // Configuration names another scheme: the published week still keeps its own.
        w.Scoring.Scheme = "默认";
        Assert.Equal(19.0, (await UnitAsync(w, W46, w.B)).Score.Total);
        await using var db = w.Db.CreateDbContext();
        var kept = await db.PublishedWeekSchemes.SingleAsync(Ct);
        Assert.Equal((W46.Monday, "达川式", 1), (kept.WeekMonday, kept.SchemeName, kept.SchemeVersion));
    }

    [Fact]
    public async Task Configuration_WinsOverTheChoiceOnThePage_ForTheWebAppAndCommandLineAlike()
    {
        await using var w = await ComputedAsync();
        var scoring = w.ScoringAs(SupervisorActor);
        await scoring.ChooseAsync("默认", Ct);
        w.Scoring.Scheme = "达川式";

        var inForce = await scoring.InForceAsync(Ct);
        Assert.True(inForce.FromConfiguration);
        Assert.Equal("达川式", (await w.Service.WeekAsync(W46, Ct))!.Scheme.Name);
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() => scoring.ChooseAsync("默认", Ct));
        Assert.Contains("Scoring:Scheme", refusal.Message);

        w.Scoring.Scheme = "不存在的方案";
        var unknown = await Assert.ThrowsAsync<ActionRefusedException>(() => w.Service.WeekAsync(W46, Ct));
        Assert.Equal("配置项 Scoring:Scheme 指定的考核方案“不存在的方案”不存在；现有方案：默认、达川式", unknown.Message);
    }

    [Fact]
    public async Task Editor_RefusesABadScheme_NamingEveryField_AndSavesNothing()
    {
        await using var w = await ComputedAsync();
        var scoring = w.ScoringAs(SupervisorActor);
        var bad = new ScoringScheme(" ", 0,
        [
            new(ScoringItemKind.RateTimesPoints, StatisticFigure.RepeatPetitions, 5),
            new(ScoringItemKind.DeductionPerCount, StatisticFigure.SatisfactionRate, 1),
            new(ScoringItemKind.RateTimesPoints, StatisticFigure.TimelyAcceptanceRate, 0),
            new(ScoringItemKind.Threshold, StatisticFigure.SatisfactionRate, 2, null),
            new(ScoringItemKind.TargetMet, StatisticFigure.OnTimeReplyRate, 10, 1.5),
        ],
        [new("A", 0.9), new("A", 0.95), new("", 1.2)]);

        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() => scoring.SaveAsync(bad, Ct));

        Assert.Equal("考核方案未保存，请更正以下 12 处：", refusal.Message);
        Assert.Equal(
        [
            "方案名称：不能为空",
            "第 1 项“指标”：比率×分值只能用比率指标，“重件”是件数",
            "第 2 项“指标”：每件扣分只能用件数指标，“满意率”是比率",
            "第 3 项“分值”：必须大于 0 且不超过 1000",
            "第 4 项“界线”：低于界线扣分须填写大于 0%、不超过 100% 的界线",
            "第 5 项“界线”：达到界线得分须填写大于 0%、不超过 100% 的界线",
            "第 2 个等级“等级名称”：“A”重复",
            "第 2 个等级“最低得分率”：必须低于上一个等级（按从高到低排列）",
            "第 3 个等级“等级名称”：不能为空",
            "第 3 个等级“最低得分率”：必须在 0%～100% 之间",
            "第 3 个等级“最低得分率”：必须低于上一个等级（按从高到低排列）",
            "第 3 个等级“最低得分率”：最后一个等级必须为 0%，否则低分单位没有等级",
        ], refusal.Problems);
        await using var db = w.Db.CreateDbContext();
        Assert.Equal(0, await db.SavedScoringSchemes.CountAsync(Ct));
    }

    [Fact]
    public async Task Editor_SavesVersions_ANewNameStartsAt1_AShippedNameAt2_AndOnlySupervisorsMay()
    {
        await using var w = await ComputedAsync();
        var scoring = w.ScoringAs(SupervisorActor);
        var mine = new ScoringScheme(" 本局考核 ", 0,
            [new(ScoringItemKind.RateTimesPoints, StatisticFigure.OnTimeReplyRate, 20), new(ScoringItemKind.Threshold, StatisticFigure.SatisfactionRate, 5, 0.9)],
            []);
        var first = await scoring.SaveAsync(mine, Ct);
        Assert.Equal(("本局考核", 1), (first.Name, first.Version));
        Assert.Equal(2, (await scoring.SaveAsync(mine, Ct)).Version);
        Assert.Equal(2, (await scoring.SaveAsync(ScoringSchemes.Dachuan, Ct)).Version);
        var listed = await scoring.SchemesAsync(Ct);
        Assert.Equal([("默认", 1), ("达川式", 2), ("本局考核", 2)], listed.Select(s => (s.Scheme.Name, s.Scheme.Version)));

        // 本局考核 in force: 乙局's 按期答复率 1/1 × 20 = 20, 满意率 1/2 below 90 % loses 5 → 15; no bands, no grade.
        await scoring.ChooseAsync("本局考核", Ct);
        var b = await UnitAsync(w, W46, w.B);
        Assert.Equal((15.0, (string?)null), (b.Score.Total, b.Score.Grade));

        await Refused.NotAllowedAsync(() => w.ScoringAs(LeaderActor).SaveAsync(mine, Ct));
        await Refused.NotAllowedAsync(() => w.ScoringAs(AdminActor).ChooseAsync("默认", Ct));
        await using var db = w.Db.CreateDbContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Entity == "考核方案" && a.Detail!.StartsWith("保存考核方案 本局考核"), Ct));
    }
}
