using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Scoring;

namespace PetitionDashboard.Features.Statistics;

public sealed record StoredWeek(IsoWeek Week, DateTime AsOfUtc, bool Published, DateTime? PublishedAtUtc, string? PublishedBy)
{
    public string Label => Published ? $"{Week}（已发布）" : Week.ToString();
}

/// <summary>One unit's week: its figures, its score under the week's scheme and its rank within its kind.</summary>
public sealed record UnitWeekRow(int? UnitId, string UnitName, UnitKind? Kind, WeeklyUnitStatistic Stats, UnitScore Score, int Rank);

/// <summary>A stored week; <see cref="Units"/> in ranking order (counties, city departments, townships; by score, ties by name).</summary>
public sealed record WeekReport(StoredWeek Week, WeeklyUnitStatistic All, IReadOnlyList<UnitWeekRow> Units, ScoringScheme Scheme);

public sealed record BreakdownRow(string Key, string Label, int NewPetitions, int RepeatPetitions);

public sealed record StatisticsUnitChoice(int Id, string Name);

/// <summary>
/// What the prerender of /statistics read, carried to the interactive render (<see cref="Components.FirstOpen{TKey, TData}"/>,
/// keyed by the week in the address): the circuit shows these figures without reading them again. The stored rows travel
/// as tables (<see cref="StatisticTable"/>) and the ranking is made again from them: the report as objects was most of the
/// page's carried state.
/// </summary>
public sealed record StatisticsFirstOpen(
    RecomputeStatus Status, IReadOnlyList<StatisticsUnitChoice> Units, IReadOnlyList<StoredWeek> Weeks, IsoWeek Week, CarriedWeekReport? Report,
    IReadOnlyList<BreakdownRow> ByCategory, IReadOnlyList<BreakdownRow> ByForm, StatisticTable Trend);

/// <summary>
/// A <see cref="WeekReport"/> as /statistics carries it: the week, its stored rows (all units first, then each unit's, in
/// ranking order), each unit's name and kind, and the scheme. <see cref="ToReport"/> scores and ranks the rows again with
/// <see cref="StatisticsService.Rank"/>, the rule that made the report: the same scores, grades and ranks.
/// </summary>
public sealed record CarriedWeekReport(StoredWeek Week, StatisticTable Rows, IReadOnlyList<CarriedUnit> Units, ScoringScheme Scheme)
{
    public static CarriedWeekReport From(WeekReport report) => new(report.Week, new StatisticTable([report.All, .. report.Units.Select(u => u.Stats)]),
        report.Units.Select(u => new CarriedUnit(u.UnitName, u.Kind)).ToList(), report.Scheme);

    public WeekReport ToReport() =>
        new(Week, Rows.Rows[0], StatisticsService.Rank(Rows.Rows.Skip(1).Zip(Units, (row, unit) => (row, unit.Name, unit.Kind)), Scheme), Scheme);
}

public sealed record CarriedUnit(string Name, UnitKind? Kind);

/// <summary>Which petitions (or assignments) a figure counts: the drill-down behind every number on the page.</summary>
public sealed record DrillDownQuery(IsoWeek Week, StatisticMeasure Measure, int? UnitId = null, string? Category = null, PetitionForm? Form = null);

public sealed record DrillDownRow(
    int PetitionId, string CaseNumber, DateOnly ReceivedOn, string UnitName, string Category, PetitionForm Form, int PeopleCount,
    PetitionState State, bool IsRepeat, DateOnly? FirstDecisionOn, DateOnly? AcceptedOn, int ExtensionDays, DateOnly? RepliedOn,
    Evaluation? Evaluation, DateOnly? FinishedOn, string? Leader, DateOnly? AssignedOn, DateOnly? ResolvedOn);

public sealed record DrillDownPage(IReadOnlyList<DrillDownRow> Rows, int Total);

/// <summary>What a drill-down list shows above its rows: the unit, and the stored figure it explains (null: week not computed).</summary>
public sealed record DrillDownHeader(string UnitName, int? StoredValue, bool Published, DateTime? AsOfUtc);

/// <summary>Reads for the statistics page: stored weeks, trends, the unit ranking, breakdowns, drill-down lists; publishing.</summary>
public sealed class StatisticsService(
    IDbContextFactory<AppDbContext> dbs, WeeklyStatisticsCalculator calculator, IOptions<StatisticsOptions> statistics,
    IOptions<ReportOptions> report, ScoringSchemeStore schemes, TimeProvider clock, AccessGuard guard,
    WeekBreakdownCache? breakdowns = null)
{
    public IReadOnlyDictionary<string, double> Targets => report.Value.Targets;

    public double AmberMargin => statistics.Value.AmberMargin;

    public IReadOnlyDictionary<string, double> LeadershipWeights => statistics.Value.LeadershipWeights;

    public double? TargetOf(StatisticFigure figure) =>
        Targets.TryGetValue(StatisticFigures.Of(figure).Name, out var t) ? t : null;

    public TargetStatus Status(WeeklyUnitStatistic row, StatisticFigure figure) =>
        Kpi.Status(row.Value(figure), TargetOf(figure), AmberMargin);

    public double? LeadershipIndex(WeeklyUnitStatistic row) =>
        Kpi.LeadershipIndex(StatisticFigures.Rates.ToDictionary(f => f.Name, f => row.Value(f.Figure)), Targets, LeadershipWeights);

    public async Task<IReadOnlyList<StoredWeek>> WeeksAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.WeeklyUnitStatistics.AsNoTracking().Where(s => s.UnitId == null)
            .OrderByDescending(s => s.WeekMonday)
            .Select(s => new { s.WeekYear, s.WeekNumber, s.AsOfUtc, s.Published, s.PublishedAtUtc, s.PublishedBy })
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, rows.Select(r => r.PublishedBy), ct);
        return rows.Select(r => new StoredWeek(new IsoWeek(r.WeekYear, r.WeekNumber), r.AsOfUtc, r.Published, r.PublishedAtUtc, people.Of(r.PublishedBy))).ToList();
    }

    /// <summary>The stored rows of one unit (null: all units) for the <paramref name="weeks"/> weeks ending with <paramref name="last"/>.</summary>
    public async Task<IReadOnlyList<WeeklyUnitStatistic>> TrendAsync(int? unitId, IsoWeek last, int weeks, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        var from = last.Monday.AddDays(-7 * (weeks - 1));
        var to = last.Monday;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.WeeklyUnitStatistics.AsNoTracking()
            .Where(s => s.UnitId == unitId && s.WeekMonday >= from && s.WeekMonday <= to)
            .OrderBy(s => s.WeekMonday).ToListAsync(ct);
    }

    public async Task<WeekReport?> WeekAsync(IsoWeek week, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        var monday = week.Monday;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.WeeklyUnitStatistics.AsNoTracking().Include(s => s.Unit)
            .Where(s => s.WeekMonday == monday).ToListAsync(ct);
        var all = rows.FirstOrDefault(r => r.UnitId == null);
        if (all is null) return null;
        var scheme = await schemes.ForWeekAsync(db, monday, all.Published, ct);
        var units = Rank(rows.Where(r => r.Unit is not null).Select(r => (r, r.Unit!.Name, (UnitKind?)r.Unit.Kind)), scheme);
        var people = await PeopleNames.LoadAsync(db, [all.PublishedBy], ct);
        return new WeekReport(new StoredWeek(week, all.AsOfUtc, all.Published, all.PublishedAtUtc, people.Of(all.PublishedBy)), all, units, scheme);
    }

    /// <summary>
    /// The one ranking (docs/rules.md §14) of a week's unit rows under a scheme: each unit scored, ranked within its kind
    /// (counties, city departments, townships; by score, ties by name). The statistics page and the 单位排名 sheet both show
    /// this list; the page's circuit ranks the rows its prerender carried with it (<see cref="CarriedWeekReport"/>).
    /// </summary>
    public static IReadOnlyList<UnitWeekRow> Rank(IEnumerable<(WeeklyUnitStatistic Row, string Name, UnitKind? Kind)> rows, ScoringScheme scheme)
    {
        var scored = rows.Select(r => (r.Row, r.Name, r.Kind, Score: scheme.Score(r.Row)));
        return ScoringSchemes.Rank(scored, s => s.Kind, s => s.Name, s => s.Score.Total)
            .Select(x => new UnitWeekRow(x.Row.Row.UnitId, x.Row.Name, x.Row.Kind, x.Row.Row, x.Row.Score, x.Rank))
            .ToList();
    }

    /// <summary>New petitions of the week by 一级 category or by form (one of <see cref="BreakdownsAsync"/>).</summary>
    public async Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(IsoWeek week, int? unitId, bool byForm, CancellationToken ct = default)
    {
        var both = await BreakdownsAsync(week, unitId, ct);
        return byForm ? both.ByForm : both.ByCategory;
    }

    /// <summary>
    /// New petitions of the week by 一级 category and by form, counted live with the 新增件次 / 重件 definitions; shared by
    /// every viewer of this node until the data change (<see cref="WeekBreakdownCache"/>), computed on every call without it.
    /// </summary>
    public Task<WeekBreakdowns> BreakdownsAsync(IsoWeek week, int? unitId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        return breakdowns is null ? CountBreakdownsAsync(week, unitId, ct) : breakdowns.GetAsync((week, unitId), c => CountBreakdownsAsync(week, unitId, c), ct);
    }

    private async Task<WeekBreakdowns> CountBreakdownsAsync(IsoWeek week, int? unitId, CancellationToken ct)
    {
        var pop = calculator.Populations(week);
        await using var db = await dbs.CreateDbContextAsync(ct);
        // One connection for both counts: EF would open and close one per statement.
        await db.Database.OpenConnectionAsync(ct);
        var fresh = pop.Petitions(db, StatisticMeasure.NewPetitions, unitId);
        var repeat = pop.Petitions(StatisticMeasure.RepeatPetitions);
        var forms = await fresh.GroupBy(p => p.Form)
            .Select(g => new { g.Key, Count = g.Count(), Repeats = g.AsQueryable().Count(repeat) }).ToListAsync(ct);
        var categories = await fresh.GroupBy(p => p.Category)
            .Select(g => new { g.Key, Count = g.Count(), Repeats = g.AsQueryable().Count(repeat) }).ToListAsync(ct);
        return new WeekBreakdowns(
            categories.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new BreakdownRow(r.Key, r.Key, r.Count, r.Repeats)).ToList(),
            forms.OrderByDescending(r => r.Count).ThenBy(r => r.Key)
                .Select(r => new BreakdownRow(r.Key.ToString(), r.Key.ToChinese(), r.Count, r.Repeats)).ToList());
    }

    /// <summary>How many rows the drill-down list has (the same predicate the weekly count used).</summary>
    public async Task<int> CountAsync(DrillDownQuery query, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return StatisticFigures.CountsAssignments(query.Measure)
            ? await Assignments(db, query).CountAsync(ct)
            : await Petitions(db, query).CountAsync(ct);
    }

    /// <summary>One page of the drill-down list, paged and sorted in SQL (sort: "CaseNumber", "ReceivedOn", "UnitName").</summary>
    public async Task<DrillDownPage> ListAsync(DrillDownQuery query, int page, int pageSize, string? sortBy = null, bool descending = false,
        CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var skip = Math.Max(page, 0) * pageSize;
        if (StatisticFigures.CountsAssignments(query.Measure))
        {
            var q = Assignments(db, query);
            var total = await q.CountAsync(ct);
            q = (sortBy, descending) switch
            {
                ("UnitName", false) => q.OrderBy(a => a.LeadUnit.Name).ThenBy(a => a.Id),
                ("UnitName", true) => q.OrderByDescending(a => a.LeadUnit.Name).ThenBy(a => a.Id),
                ("ReceivedOn", false) => q.OrderBy(a => a.AssignedOn).ThenBy(a => a.Id),
                _ => q.OrderByDescending(a => a.AssignedOn).ThenBy(a => a.Id),
            };
            var list = await q.Skip(skip).Take(pageSize)
                .SelectMany(a => a.Thread.Petitions.Where(p => !p.IsRepeat).Take(1), (a, p) => new DrillDownRow(
                    p.Id, p.CaseNumber, p.ReceivedOn, a.LeadUnit.Name, p.Category, p.Form, p.PeopleCount, p.State, p.IsRepeat,
                    p.FirstDecisionOn, p.AcceptedOn, p.ExtensionDays, p.RepliedOn, p.Evaluation, p.FinishedOn, a.Leader.Name,
                    a.AssignedOn, a.ResolvedOn))
                .ToListAsync(ct);
            return new DrillDownPage(list, total);
        }
        else
        {
            var q = Petitions(db, query);
            var total = await q.CountAsync(ct);
            // The unit and 初件/重件 the petition had at the end of the week: the ones it was counted with (§8).
            var pop = calculator.Populations(query.Week);
            var unitName = pop.UnitNameAtEnd(db);
            q = (sortBy, descending) switch
            {
                ("CaseNumber", false) => q.OrderBy(p => p.CaseNumber),
                ("CaseNumber", true) => q.OrderByDescending(p => p.CaseNumber),
                ("UnitName", false) => q.OrderBy(unitName).ThenBy(p => p.CaseNumber),
                ("UnitName", true) => q.OrderByDescending(unitName).ThenBy(p => p.CaseNumber),
                ("ReceivedOn", false) => q.OrderBy(p => p.ReceivedOn).ThenBy(p => p.CaseNumber),
                _ => q.OrderByDescending(p => p.ReceivedOn).ThenBy(p => p.CaseNumber),
            };
            var list = await q.Skip(skip).Take(pageSize)
                .Select(PredicateExtensions.With(unitName, pop.RepeatAtEnd, (Petition p, string unit, bool repeat) => new DrillDownRow(
                    p.Id, p.CaseNumber, p.ReceivedOn, unit, p.Category, p.Form, p.PeopleCount, p.State, repeat,
                    p.FirstDecisionOn, p.AcceptedOn, p.ExtensionDays, p.RepliedOn, p.Evaluation, p.FinishedOn, null, null, null)))
                .ToListAsync(ct);
            return new DrillDownPage(list, total);
        }
    }

    public async Task<DrillDownHeader> HeaderAsync(DrillDownQuery query, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var unitName = query.UnitId is { } id ? await db.Units.Where(u => u.Id == id).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "（未知单位）" : "全部单位";
        var monday = query.Week.Monday;
        var row = await db.WeeklyUnitStatistics.AsNoTracking().FirstOrDefaultAsync(s => s.WeekMonday == monday && s.UnitId == query.UnitId, ct);
        var stored = row is null || query.Category is not null || query.Form is not null ? (int?)null : row[query.Measure];
        return new DrillDownHeader(unitName, stored, row?.Published ?? false, row?.AsOfUtc);
    }

    /// <summary>Units for the trend filter.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        return units.Select(u => (u.Id, u.Name)).ToList();
    }

    /// <summary>
    /// Freezes a week's rows (all units and every unit) and keeps a copy of the scoring scheme in force with them, in one
    /// transaction; Supervisor only.
    /// </summary>
    public async Task PublishAsync(IsoWeek week, CancellationToken ct = default)
    {
        // 发布 freezes a week: the supervisors' call, like supervision levels.
        guard.Ensure(Policies.CanManageLevels);
        var actor = guard.User.UserName!;
        var monday = week.Monday;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var all = await db.WeeklyUnitStatistics.AsNoTracking().FirstOrDefaultAsync(s => s.WeekMonday == monday && s.UnitId == null, ct)
            ?? throw new ActionRefusedException($"{week} 尚未统计，不能发布；请先重新计算");
        if (all.Published)
            throw new ActionRefusedException($"{week} 已于 {BusinessTime.ToBusinessDate(all.PublishedAtUtc ?? now):yyyy-MM-dd} 由 {(await PeopleNames.LoadAsync(db, [all.PublishedBy], ct)).Of(all.PublishedBy)} 发布，发布后不再变动");
        var scheme = await schemes.KeepForPublishedWeekAsync(db, monday, ct);
        await db.WeeklyUnitStatistics.Where(s => s.WeekMonday == monday).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Published, true)
            .SetProperty(x => x.PublishedAtUtc, now)
            .SetProperty(x => x.PublishedBy, actor), ct);
        db.AuditEntries.Add(AuditEntry.Create(now, actor, AuditActions.Publish, nameof(WeeklyUnitStatistic), week.ToString(),
            field: nameof(WeeklyUnitStatistic.Published), oldValue: AuditInterceptor.Format(false), newValue: AuditInterceptor.Format(true),
            detail: $"发布 {week} 周统计，考核方案 {scheme.Title}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private IQueryable<Petition> Petitions(AppDbContext db, DrillDownQuery query)
    {
        var q = calculator.Populations(query.Week).Petitions(db, query.Measure, query.UnitId);
        if (query.Category is { } c) q = q.Where(p => p.Category == c);
        if (query.Form is { } f) q = q.Where(p => p.Form == f);
        return q;
    }

    private IQueryable<LeaderAssignment> Assignments(AppDbContext db, DrillDownQuery query) =>
        calculator.Populations(query.Week).Assignments(db, query.Measure, query.UnitId);
}
