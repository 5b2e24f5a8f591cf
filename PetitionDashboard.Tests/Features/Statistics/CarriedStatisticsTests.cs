using System.Text.Json;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// /statistics carries its prerender's reads to its circuit as JSON (persisted component state, ASP.NET Core's web
/// defaults) in a compact form — stored rows as tables, the ranking made again: what the circuit shows must be exactly
/// what was read (every stored value, score, grade and rank) on the hand-built week 2026-W46.
/// </summary>
public class CarriedStatisticsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // Every value a row shows, read independently of the table's own column list (computed ones included).
    private static string Values(WeeklyUnitStatistic row) => string.Join("|", typeof(WeeklyUnitStatistic).GetProperties()
        .Where(p => p.Name != nameof(WeeklyUnitStatistic.Unit) && p.GetIndexParameters().Length == 0)
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.GetValue(row)}"));

    private static string Line(UnitWeekRow u) =>
        $"{u.UnitId} {u.UnitName} {u.Kind} 第{u.Rank}名 {u.Score.Total} {u.Score.Grade} [{string.Join(",", u.Score.Items.Select(i => $"{i.Item.Label}:{i.Points}"))}] {Values(u.Stats)}";

    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Web), Web)!;

    [Fact]
    public async Task WeekReport_CarriedThroughJson_IsTheReportRead_EveryValueScoreAndRank()
    {
        await using var w = await HandBuiltComputedAsync();
        var read = (await w.Service.WeekAsync(W46, Ct))!;
        Assert.True(read.Units.Count >= 3);

        var carried = RoundTrip(CarriedWeekReport.From(read)).ToReport();

        Assert.Equal(read.Week, carried.Week);
        Assert.Equal(Values(read.All), Values(carried.All));
        Assert.Equal(read.Units.Select(Line), carried.Units.Select(Line));
        Assert.Equal(read.Scheme.Title, carried.Scheme.Title);
    }

    [Fact]
    public async Task Trend_CarriedAsATable_HasEveryStoredValueOfEveryWeek()
    {
        await using var w = await HandBuiltComputedAsync(new IsoWeek(2026, 45), W46);
        var read = await w.Service.TrendAsync(null, W46, 12, Ct);
        Assert.Equal(2, read.Count);

        var carried = RoundTrip(new StatisticTable(read)).Rows;

        Assert.Equal(read.Select(Values), carried.Select(Values));
    }

    [Fact]
    public void Table_ReadsColumnsByName_AndSkipsOnesItDoesNotKnow()
    {
        // A row written by another build (a column renamed or added): known columns are read by name, others skipped.
        const string json = """{"columns":["overdue","NoSuchColumn","Open","WeekNumber"],"rows":[[1,"x",7,46]]}""";
        var row = JsonSerializer.Deserialize<StatisticTable>(json, Web)!.Rows.Single();
        Assert.Equal((0, 7, 46), (row.Overdue, row.Open, row.WeekNumber));
    }
}
