using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>
/// The 转重风险 order is read in two parts (the scores in their index's order, then the unscored by case number): page by
/// page, in both directions and scopes, it must give exactly the one query's order (<see cref="BacklogService.Sort"/>) —
/// ties on a score broken by case number, no row on two pages, none skipped where the scored rows end.
/// </summary>
public class BacklogRiskOrderTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RiskOrder_PageByPage_IsTheOneQuerysOrder()
    {
        var (db, data) = await SeedAsync();
        await using var _ = db;
        var service = new BacklogService(db, data.Deadlines, data.Clock(), TestUsers.Leader);
        foreach (var scope in new[] { BacklogScope.Open, BacklogScope.All })
            await AssertPagesAsync(db, service, new BacklogFilter { Scope = scope }, scope == BacklogScope.All ? 11 : 9);
        // With a filter the scored rows are tested against it: 高风险 on 全部 gives the finished one too.
        var high = await service.QueryAsync(new BacklogFilter { Scope = BacklogScope.All, HighRisk = true }, new BacklogSort(BacklogSortField.Risk, true), 0, 20, Ct);
        Assert.Equal(["DONE-SCORED", "R-8", "R-2", "R-5"], high.Rows.Select(r => r.CaseNumber));
    }

    /// <summary>
    /// With free text the walk tests each score's row against the text: through the full-text candidates, or — many
    /// matches (forced here: <c>ProbePageFrom = 0</c>) — by the exact predicate alone. Either way the scan's rows, in
    /// the one query's order: 1–2 characters (candidates exact), 3+ (candidates a superset), a text in no row.
    /// </summary>
    [Fact]
    public async Task RiskOrder_WithFreeText_PageByPage_IsTheOneQuerysOrder()
    {
        var (db, data) = await SeedAsync();
        await using var _ = db;
        var services = new[]
        {
            new BacklogService(db, data.Deadlines, data.Clock(), TestUsers.Leader),
            new BacklogService(db, data.Deadlines, data.Clock(), TestUsers.Leader) { ProbePageFrom = 0 },
        };
        foreach (var service in services)
            foreach (var (text, open, all) in new[] { ("物业", 5, 6), ("张", 5, 6), ("物业费", 2, 3), ("R-1", 1, 1), ("无此诉求", 0, 0) })
            {
                await AssertPagesAsync(db, service, new BacklogFilter { Scope = BacklogScope.Open, Text = text }, open);
                await AssertPagesAsync(db, service, new BacklogFilter { Scope = BacklogScope.All, Text = text }, all);
            }
    }

    /// <summary>Nine open petitions R-0 … R-8 and two finished, five of them scored; demands and names to search.</summary>
    private static async Task<(TestDatabase Db, TestData Data)> SeedAsync()
    {
        var data = new TestData(Today);
        for (var i = 0; i < 9; i++)
        {
            var p = data.Petition($"R-{i}").InHandling(20).DueInDays(10 + i).By(i % 2 == 0 ? $"张{i}" : $"李{i}");
            // 物业 in, R-8 (物业费 in ): scored and unscored rows on both sides of the text.
            if (i is 1 or 2 or 5 or 7 or 8) p.Demand(i is 2 or 8 ? "要求退还多收的物业费" : "反映物业服务不到位");
        }
        data.Petition("DONE-SCORED").ReceivedOn(Today.AddDays(-40)).Finished().Demand("物业费纠纷").By("张某");
        data.Petition("DONE-PLAIN").ReceivedOn(Today.AddDays(-41)).Finished().By("王五");
        var db = await TestDatabase.CreateAsync();
        await data.SaveAsync(db, Ct);
        await using var ctx = db.CreateDbContext();
        var model = new RiskModel { TrainedBy = "测试", Deployed = true, HighThreshold = 0.3, TrainedAtUtc = new DateTime(2026, 11, 22, 19, 0, 0, DateTimeKind.Utc) };
        ctx.RiskModels.Add(model);
        await ctx.SaveChangesAsync(Ct);
        var ids = await ctx.Petitions.ToDictionaryAsync(p => p.CaseNumber, p => p.Id, Ct);
        // tie (case number decides); R-7 scores lowest; a finished petition keeps an old score.
        foreach (var (number, score) in new[] { ("R-5", 0.4), ("R-2", 0.4), ("R-8", 0.6), ("R-7", 0.01), ("DONE-SCORED", 0.9) })
            ctx.RiskScores.Add(new RiskScore { PetitionId = ids[number], Score = score, High = score >= 0.3, ModelId = model.Id });
        await ctx.SaveChangesAsync(Ct);
        return (db, data);
    }

    /// <summary>Every page size, page by page in both directions, against the one query's order over a scan.</summary>
    private static async Task AssertPagesAsync(TestDatabase db, BacklogService service, BacklogFilter filter, int rows)
    {
        foreach (var descending in new[] { true, false })
        {
            var sort = new BacklogSort(BacklogSortField.Risk, descending);
            await using var ctx = db.CreateDbContext();
            var expected = await BacklogService.Sort(ctx.Petitions.Apply(filter, Today, 5), sort, filter.Scope).Select(p => p.CaseNumber).ToListAsync(Ct);
            Assert.Equal(rows, expected.Count);
            foreach (var pageSize in new[] { 1, 2, 3, 4, 20 })
            {
                var shown = new List<string>();
                for (var page = 0; page * pageSize < expected.Count + pageSize; page++)
                {
                    var result = await service.QueryAsync(filter, sort, page, pageSize, Ct);
                    Assert.Equal(expected.Count, result.Total);
                    shown.AddRange(result.Rows.Select(r => r.CaseNumber));
                }
                Assert.Equal(expected, shown);
            }
        }
    }
}

public sealed class BacklogRiskOrderPostgresTests : BacklogRiskOrderTests, IRunsOnPostgres;
