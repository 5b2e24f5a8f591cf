using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Scoring;

/// <summary>Where the scheme in force came from: configuration, a Supervisor's choice, or nobody chose (默认).</summary>
public sealed record SchemeInForce(ScoringScheme Scheme, bool FromConfiguration, string? ChosenBy, DateTime? ChosenAtUtc);

/// <summary>
/// Which scoring scheme applies (docs/rules.md §14), read inside the caller's DbContext so the statistics page, the report
/// and publishing agree: the latest version of each scheme (saved versions over the shipped 默认 and 达川式), the scheme in
/// force (`Scoring:Scheme` when set, else the latest choice, else 默认) and the scheme a week was published under.
/// </summary>
public sealed class ScoringSchemeStore(IOptions<ScoringOptions> scoring, IOptions<StatisticsOptions> statistics, IOptions<ReportOptions> report)
{
    /// <summary>The configured name, or null when `Scoring:Scheme` is not set.</summary>
    public string? ConfiguredName => string.IsNullOrWhiteSpace(scoring.Value.Scheme) ? null : scoring.Value.Scheme.Trim();

    /// <summary>默认 as configured today (`Statistics:LeadershipWeights`, `Report:Targets`) and 达川式.</summary>
    public IReadOnlyList<ScoringScheme> Shipped =>
        [ScoringSchemes.Default(statistics.Value.LeadershipWeights, report.Value.Targets), ScoringSchemes.Dachuan];

    /// <summary>The latest version of every scheme, shipped ones first.</summary>
    public async Task<IReadOnlyList<(ScoringScheme Scheme, SavedScoringScheme? Saved)>> LatestAsync(AppDbContext db, CancellationToken ct)
    {
        var saved = await db.SavedScoringSchemes.AsNoTracking().ToListAsync(ct);
        var latest = saved.GroupBy(s => s.Name).Select(g => g.MaxBy(s => s.Version)!).ToDictionary(s => s.Name);
        var result = new List<(ScoringScheme, SavedScoringScheme?)>();
        foreach (var shipped in Shipped)
        {
            result.Add(latest.Remove(shipped.Name, out var s) ? (Load(s), s) : (shipped, null));
        }
        result.AddRange(latest.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (Load(s), (SavedScoringScheme?)s)));
        return result;
    }

    public async Task<ScoringScheme?> LatestAsync(AppDbContext db, string name, CancellationToken ct)
    {
        var saved = await db.SavedScoringSchemes.AsNoTracking().Where(s => s.Name == name).OrderByDescending(s => s.Version).FirstOrDefaultAsync(ct);
        return saved is not null ? Load(saved) : Shipped.FirstOrDefault(s => s.Name == name);
    }

    /// <summary>The scheme in force now; refused with a message naming the key when `Scoring:Scheme` names no scheme.</summary>
    public async Task<SchemeInForce> InForceAsync(AppDbContext db, CancellationToken ct)
    {
        if (ConfiguredName is { } configured)
        {
            var scheme = await LatestAsync(db, configured, ct);
            if (scheme is null)
            {
                var names = (await LatestAsync(db, ct)).Select(s => s.Scheme.Name);
                throw new ActionRefusedException($"配置项 Scoring:Scheme 指定的考核方案“{configured}”不存在；现有方案：{string.Join("、", names)}");
            }
            return new SchemeInForce(scheme, true, null, null);
        }
        var choice = await db.ScoringSchemeChoices.AsNoTracking().OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (choice is not null && await LatestAsync(db, choice.SchemeName, ct) is { } chosen)
            return new SchemeInForce(chosen, false, choice.ChosenBy, choice.ChosenAtUtc);
        return new SchemeInForce(Shipped[0], false, null, null);
    }

    /// <summary>
    /// A published week keeps the scheme it was published under; a week published before schemes existed was ranked by the
    /// 综合指数, i.e. 默认. Any other week uses the scheme in force.
    /// </summary>
    public async Task<ScoringScheme> ForWeekAsync(AppDbContext db, DateOnly monday, bool published, CancellationToken ct)
    {
        if (!published) return (await InForceAsync(db, ct)).Scheme;
        var kept = await db.PublishedWeekSchemes.AsNoTracking().FirstOrDefaultAsync(p => p.WeekMonday == monday, ct);
        return kept is not null ? ScoringScheme.FromJson(kept.Definition) : Shipped[0];
    }

    /// <summary>Adds the copy of the scheme in force to a week being published (the caller's transaction saves it).</summary>
    public async Task<ScoringScheme> KeepForPublishedWeekAsync(AppDbContext db, DateOnly monday, CancellationToken ct)
    {
        var scheme = (await InForceAsync(db, ct)).Scheme;
        if (!await db.PublishedWeekSchemes.AnyAsync(p => p.WeekMonday == monday, ct))
        {
            db.PublishedWeekSchemes.Add(new PublishedWeekScheme
            {
                WeekMonday = monday, SchemeName = scheme.Name, SchemeVersion = scheme.Version, Definition = scheme.ToJson(),
            });
        }
        return scheme;
    }

    private static ScoringScheme Load(SavedScoringScheme saved) => ScoringScheme.FromJson(saved.Definition) with { Name = saved.Name, Version = saved.Version };
}
