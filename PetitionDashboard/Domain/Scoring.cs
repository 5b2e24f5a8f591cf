using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PetitionDashboard.Domain;

/// <summary>Section "Scoring" of appsettings.json (docs/rules.md §14).</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>
    /// The scheme in force by name (默认, 达川式 or one saved in the editor). Set, it wins over a Supervisor's choice on the
    /// 考核方案 page, for the web app and the command line alike; empty, the page's choice holds (默认 until one is made).
    /// </summary>
    public string? Scheme { get; set; }
}

/// <summary>How one item of a scheme turns a unit's week into points (docs/rules.md §14).</summary>
public enum ScoringItemKind
{
    /// <summary>rate × points; a rate that is "—" earns the full points (nothing was due).</summary>
    RateTimesPoints = 1,
    /// <summary>−points × a count (e.g. −1 per 重件).</summary>
    DeductionPerCount = 2,
    /// <summary>−points when a rate is below the line; "—" loses nothing.</summary>
    Threshold = 3,
    /// <summary>The points when a rate reaches the line, else 0 (the 综合指数 of 默认).</summary>
    TargetMet = 4,
}

/// <summary>One item of a scheme. <see cref="Points"/> is always positive: a deduction subtracts it.</summary>
public sealed record ScoringItem(ScoringItemKind Kind, StatisticFigure Figure, double Points, double? Line = null)
{
    /// <summary>The most this item can add to a score (deductions add nothing).</summary>
    [JsonIgnore]
    public double MaxPoints => Kind is ScoringItemKind.RateTimesPoints or ScoringItemKind.TargetMet ? Points : 0;

    /// <summary>What a reader sees above the item's column: "及时受理率×5", "重件每件扣1分", "满意率低于90%扣2分".</summary>
    [JsonIgnore]
    public string Label
    {
        get
        {
            var name = StatisticFigures.Of(Figure).Name;
            return Kind switch
            {
                ScoringItemKind.RateTimesPoints => $"{name}×{ScoringSchemes.FormatPoints(Points)}",
                ScoringItemKind.DeductionPerCount => $"{name}每件扣{ScoringSchemes.FormatPoints(Points)}分",
                ScoringItemKind.Threshold => $"{name}低于{ScoringSchemes.FormatShare(Line)}扣{ScoringSchemes.FormatPoints(Points)}分",
                ScoringItemKind.TargetMet => $"{name}达到{ScoringSchemes.FormatShare(Line)}得{ScoringSchemes.FormatPoints(Points)}分",
                _ => name,
            };
        }
    }

    /// <summary>The item's points for a week's row; null when its rate is "—" and the scheme leaves such items out.</summary>
    public double? Earned(WeeklyUnitStatistic row, bool leaveOutNoData)
    {
        var value = row.Value(Figure);
        switch (Kind)
        {
            case ScoringItemKind.RateTimesPoints:
                if (value is not { } rate) return leaveOutNoData ? null : Points;
                return rate * Points;
            case ScoringItemKind.DeductionPerCount:
                return -Points * (value ?? 0);
            case ScoringItemKind.Threshold:
                if (value is null) return leaveOutNoData ? null : 0;
                return ScoringSchemes.Reaches(value, Line) ? 0 : -Points;
            case ScoringItemKind.TargetMet:
                if (value is null) return leaveOutNoData ? null : Points;
                return ScoringSchemes.Reaches(value, Line) ? Points : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind));
        }
    }
}

/// <summary>A grade and the least share of the maximum score that earns it.</summary>
public sealed record GradeBand(string Grade, double MinShare);

/// <summary>One item's points in a unit's score (null: "—", left out).</summary>
public sealed record ItemScore(ScoringItem Item, double? Points);

/// <summary>A unit's score for a week under one scheme: the total (null: nothing to judge), each item's share and the grade.</summary>
public sealed record UnitScore(double? Total, IReadOnlyList<ItemScore> Items, string? Grade);

/// <summary>
/// A named, versioned scoring scheme (考核方案, docs/rules.md §14). A saved version never changes: editing saves the next
/// version, and a published week keeps a copy of the version it was published under.
/// </summary>
public sealed record ScoringScheme(
    string Name, int Version, IReadOnlyList<ScoringItem> Items, IReadOnlyList<GradeBand> GradeBands, bool LeaveOutNoData = false)
{
    /// <summary>The sum of the items' full points (deductions excluded).</summary>
    [JsonIgnore]
    public double MaxScore => Math.Round(Items.Sum(i => i.MaxPoints), 6);

    [JsonIgnore]
    public string Title => $"{Name}（第 {Version} 版，满分 {ScoringSchemes.FormatPoints(MaxScore)}）";

    public UnitScore Score(WeeklyUnitStatistic row)
    {
        var earned = Items.Select(i => (Item: i, Points: i.Earned(row, LeaveOutNoData))).ToList();
        if (LeaveOutNoData)
        {
            // The 默认 index: the share over the items that have data, scaled to the maximum; nothing to judge is "—".
            var withData = earned.Where(e => e.Points is not null).Sum(e => e.Item.MaxPoints);
            if (withData <= 0) return new UnitScore(null, earned.Select(e => new ItemScore(e.Item, e.Points)).ToList(), null);
            var factor = MaxScore / withData;
            earned = earned.Select(e => (e.Item, e.Points * (e.Item.MaxPoints > 0 ? factor : 1))).ToList();
        }
        var items = earned.Select(e => new ItemScore(e.Item, e.Points is { } p ? ScoringSchemes.Clean(p) : null)).ToList();
        var total = ScoringSchemes.Clean(items.Sum(i => i.Points ?? 0));
        return new UnitScore(total, items, GradeOf(total));
    }

    /// <summary>The first band (highest first) whose share the total reaches; null without bands or a maximum.</summary>
    public string? GradeOf(double? total)
    {
        if (total is not { } t || GradeBands.Count == 0 || MaxScore <= 0) return null;
        var share = t / MaxScore;
        foreach (var band in GradeBands.OrderByDescending(b => b.MinShare))
        {
            if (ScoringSchemes.Reaches(share, band.MinShare)) return band.Grade;
        }
        return GradeBands.OrderBy(b => b.MinShare).First().Grade;
    }

    /// <summary>Every broken rule of a draft, each naming its field (zh-CN); empty when it may be saved.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("方案名称：不能为空");
        else if (Name.Trim().Length > ScoringSchemes.MaxNameLength) problems.Add($"方案名称：不能超过 {ScoringSchemes.MaxNameLength} 个字");
        if (Items.Count == 0) problems.Add("计分项：至少需要一项");
        if (Items.Count > ScoringSchemes.MaxItems) problems.Add($"计分项：不能超过 {ScoringSchemes.MaxItems} 项");
        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            var at = $"第 {i + 1} 项";
            if (!Enum.IsDefined(item.Kind)) { problems.Add($"{at}“计分方式”：请选择"); continue; }
            if (!Enum.IsDefined(item.Figure)) { problems.Add($"{at}“指标”：请选择"); continue; }
            var figure = StatisticFigures.Of(item.Figure);
            var wantsRate = item.Kind != ScoringItemKind.DeductionPerCount;
            if (wantsRate && figure.Kind != FigureKind.Rate)
                problems.Add($"{at}“指标”：{item.Kind.ToChinese()}只能用比率指标，“{figure.Name}”是件数");
            if (!wantsRate && figure.Kind != FigureKind.Count)
                problems.Add($"{at}“指标”：每件扣分只能用件数指标，“{figure.Name}”是比率");
            if (!(item.Points > 0) || item.Points > ScoringSchemes.MaxPoints)
                problems.Add($"{at}“分值”：必须大于 0 且不超过 {ScoringSchemes.MaxPoints}");
            if (item.Kind is ScoringItemKind.Threshold or ScoringItemKind.TargetMet)
            {
                if (item.Line is not { } line || line <= 0 || line > 1)
                    problems.Add($"{at}“界线”：{item.Kind.ToChinese()}须填写大于 0%、不超过 100% 的界线");
            }
        }
        if (!Items.Any(i => i.MaxPoints > 0) && Items.Count > 0 && GradeBands.Count > 0)
            problems.Add("等级：方案只有扣分项、满分为 0，不能分等级；请删除等级或加入得分项");
        var seen = new HashSet<string>();
        for (var i = 0; i < GradeBands.Count; i++)
        {
            var band = GradeBands[i];
            var at = $"第 {i + 1} 个等级";
            if (string.IsNullOrWhiteSpace(band.Grade)) problems.Add($"{at}“等级名称”：不能为空");
            else if (band.Grade.Trim().Length > 10) problems.Add($"{at}“等级名称”：不能超过 10 个字");
            else if (!seen.Add(band.Grade.Trim())) problems.Add($"{at}“等级名称”：“{band.Grade.Trim()}”重复");
            if (band.MinShare < 0 || band.MinShare > 1) problems.Add($"{at}“最低得分率”：必须在 0%～100% 之间");
            if (i > 0 && band.MinShare >= GradeBands[i - 1].MinShare)
                problems.Add($"{at}“最低得分率”：必须低于上一个等级（按从高到低排列）");
        }
        if (GradeBands.Count > 0 && GradeBands[^1].MinShare != 0)
            problems.Add($"第 {GradeBands.Count} 个等级“最低得分率”：最后一个等级必须为 0%，否则低分单位没有等级");
        return problems;
    }

    public string ToJson() => JsonSerializer.Serialize(this, ScoringSchemes.Json);

    public static ScoringScheme FromJson(string json) =>
        JsonSerializer.Deserialize<ScoringScheme>(json, ScoringSchemes.Json) ?? throw new InvalidOperationException("考核方案内容为空");
}

/// <summary>The shipped schemes and the shared arithmetic of docs/rules.md §14.</summary>
public static class ScoringSchemes
{
    public const string DefaultName = "默认";
    public const string DachuanName = "达川式";
    public const int MaxNameLength = 50;
    public const int MaxItems = 30;
    public const double MaxPoints = 1000;

    /// <summary>A ≥ 90 % of the maximum, B ≥ 80 %, C ≥ 70 %, else D.</summary>
    public static readonly IReadOnlyList<GradeBand> StandardBands =
        [new("A", 0.9), new("B", 0.8), new("C", 0.7), new("D", 0)];

    /// <summary>
    /// 默认: the 综合指数 the app had, unchanged — the weighted share of targets met over the rates with a target, a positive
    /// weight and data — on a 100-point scale (so 50 points = 50 %).
    /// </summary>
    public static ScoringScheme Default(IReadOnlyDictionary<string, double> weights, IReadOnlyDictionary<string, double> targets)
    {
        var total = StatisticFigures.Rates.Where(f => targets.ContainsKey(f.Name) && weights.TryGetValue(f.Name, out var w) && w > 0)
            .Sum(f => weights[f.Name]);
        var items = StatisticFigures.Rates
            .Where(f => targets.ContainsKey(f.Name) && weights.TryGetValue(f.Name, out var w) && w > 0)
            .Select(f => new ScoringItem(ScoringItemKind.TargetMet, f.Figure, Math.Round(100 * weights[f.Name] / total, 4), targets[f.Name]))
            .ToList();
        return new ScoringScheme(DefaultName, 1, items, StandardBands, LeaveOutNoData: true);
    }

    /// <summary>达川式: 及时受理率 × 5 + 按期答复率 × 10 + 满意率 × 10 + 参评率 × 5 − 1 × 重件; maximum 30.</summary>
    public static readonly ScoringScheme Dachuan = new(DachuanName, 1,
    [
        new(ScoringItemKind.RateTimesPoints, StatisticFigure.TimelyAcceptanceRate, 5),
        new(ScoringItemKind.RateTimesPoints, StatisticFigure.OnTimeReplyRate, 10),
        new(ScoringItemKind.RateTimesPoints, StatisticFigure.SatisfactionRate, 10),
        new(ScoringItemKind.RateTimesPoints, StatisticFigure.EvaluationRate, 5),
        new(ScoringItemKind.DeductionPerCount, StatisticFigure.RepeatPetitions, 1),
    ], StandardBands);

    /// <summary>
    /// Units ranked by score within their kind (county / city department / township), ties by name: the one ranking of the
    /// statistics page and the 单位排名 sheet. A score of "—" ranks last.
    /// </summary>
    public static IReadOnlyList<(T Row, int Rank)> Rank<T>(IEnumerable<T> rows, Func<T, UnitKind?> kind, Func<T, string> name, Func<T, double?> score) =>
        rows.GroupBy(r => kind(r) ?? UnitKind.County).OrderBy(g => g.Key)
            .SelectMany(g => g.OrderByDescending(r => score(r) is { } s ? Math.Round(s, 6) : double.NegativeInfinity)
                .ThenBy(name, StringComparer.Ordinal)
                .Select((r, i) => (r, i + 1)))
            .ToList();

    /// <summary>rate ≥ line, compared in whole basis points like the targets (<see cref="Kpi.Status"/>).</summary>
    public static bool Reaches(double? rate, double? line) =>
        line is null || Kpi.Status(rate, line, 0) == TargetStatus.Met;

    public static string FormatPoints(double? points) =>
        points is { } p ? Clean(Math.Round(p, 2)).ToString("0.##", CultureInfo.InvariantCulture) : "—";

    /// <summary>Rounded to 6 places, and the −0 of a deduction on no count made 0 (shown "0", not "-0").</summary>
    public static double Clean(double points)
    {
        var rounded = Math.Round(points, 6);
        return rounded == 0 ? 0 : rounded;
    }

    public static string FormatShare(double? share) =>
        share is { } s ? (s * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    public static string ToChinese(this ScoringItemKind kind) => kind switch
    {
        ScoringItemKind.RateTimesPoints => "比率×分值",
        ScoringItemKind.DeductionPerCount => "每件扣分",
        ScoringItemKind.Threshold => "低于界线扣分",
        ScoringItemKind.TargetMet => "达到界线得分",
        _ => kind.ToString(),
    };

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
