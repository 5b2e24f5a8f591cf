using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// Computes the §8 rows of one week in the database: one GROUP BY UnitId scan of the petitions with a conditional
/// COUNT per measure, one for the 积案 threads and one for the assignments — never by loading petitions.
/// </summary>
public sealed class WeeklyStatisticsCalculator(
    Func<DeadlineCalculator> deadlines, IOptions<BacklogOptions> backlog, IOptions<PetitionOptions> groupVisit)
{
    public WeeklyStatisticsCalculator(DeadlineCalculator deadlines, IOptions<BacklogOptions> backlog, IOptions<PetitionOptions> groupVisit)
        : this(() => deadlines, backlog, groupVisit)
    {
    }

    /// <summary>Measures counted in the single scan of the petitions table.</summary>
    private static readonly StatisticMeasure[] ScanMeasures =
    [
        StatisticMeasure.NewPetitions, StatisticMeasure.FirstPetitions, StatisticMeasure.RepeatPetitions,
        StatisticMeasure.GroupVisitBatches, StatisticMeasure.FirstDecisionDue, StatisticMeasure.FirstDecisionOnTime,
        StatisticMeasure.ReplyDue, StatisticMeasure.RepliedOnTime, StatisticMeasure.RepliedInWeek, StatisticMeasure.Evaluated,
        StatisticMeasure.Satisfied, StatisticMeasure.Open, StatisticMeasure.Overdue,
    ];

    public StatisticPopulations Populations(IsoWeek week) =>
        new(new WeekWindow(week, deadlines(), backlog.Value.AgeDays), groupVisit.Value.GroupSize);

    /// <summary>One row per unit (every unit, zeros included) and the all-units row, not yet saved.</summary>
    public async Task<List<WeeklyUnitStatistic>> ComputeAsync(AppDbContext db, IsoWeek week, DateTime asOfUtc, CancellationToken ct)
    {
        var pop = Populations(week);
        var rows = await db.Units.AsNoTracking().OrderBy(u => u.Id)
            .Select(u => new WeeklyUnitStatistic { UnitId = u.Id })
            .ToDictionaryAsync(r => r.UnitId!.Value, ct);
        WeeklyUnitStatistic Row(int unitId) => rows.TryGetValue(unitId, out var r) ? r : rows[unitId] = new WeeklyUnitStatistic { UnitId = unitId };

        var scan = await ScanQuery(db, pop).TagWith("statistics: scan").ToListAsync(ct);
        foreach (var counted in scan)
        {
            var row = Row(counted.UnitId!.Value);
            foreach (var m in ScanMeasures) row[m] = counted[m];
            row.GroupVisitPeople = counted.GroupVisitPeople;
        }

        // 积案 and their 化解 in one grouped query: the resolved ones are a subset of the backlog population.
        var backlog = await pop.WithUnitAtEnd(db, pop.Petitions(db, StatisticMeasure.BacklogThreads, null)).GroupBy(x => x.UnitId)
            .Select(BacklogSelector(PetitionAtEnd.Of.Then(pop.NoOpenPetitionInThread(db)))).TagWith("statistics: backlog").ToListAsync(ct);
        foreach (var c in backlog)
        {
            Row(c.UnitId!.Value).BacklogThreads = c.BacklogThreads;
            Row(c.UnitId!.Value).BacklogResolved = c.BacklogResolved;
        }
        foreach (var m in new[] { StatisticMeasure.Assignments, StatisticMeasure.AssignmentsResolved })
        {
            var counts = await pop.Assignments(db, m, null).GroupBy(a => a.LeadUnitId)
                .Select(g => new { UnitId = g.Key, Count = g.Count() }).TagWith("statistics: assignments").ToListAsync(ct);
            foreach (var c in counts) Row(c.UnitId)[m] = c.Count;
        }

        // Every petition and assignment counts for exactly one unit, so the all-units row is the column sums.
        var all = new WeeklyUnitStatistic { UnitId = null };
        foreach (var m in Enum.GetValues<StatisticMeasure>()) all[m] = rows.Values.Sum(r => r[m]);
        // §11 领导接访 figures: their own grouped queries, additive to the §8 ones.
        await ReceptionWeeklyFigures.FillAsync(db, pop, Row, ct);
        ReceptionWeeklyFigures.Total(all, rows.Values);

        var result = rows.Values.OrderBy(r => r.UnitId).Prepend(all).ToList();
        foreach (var r in result)
        {
            r.WeekYear = week.Year;
            r.WeekNumber = week.Week;
            r.WeekMonday = week.Monday;
            r.AsOfUtc = asOfUtc;
        }
        return result;
    }

    private static Expression<Func<IGrouping<int, PetitionAtEnd>, WeeklyUnitStatistic>> BacklogSelector(Expression<Func<PetitionAtEnd, bool>> resolved)
    {
        var g = Expression.Parameter(typeof(IGrouping<int, PetitionAtEnd>), "g");
        return Expression.Lambda<Func<IGrouping<int, PetitionAtEnd>, WeeklyUnitStatistic>>(Expression.MemberInit(
            Expression.New(typeof(WeeklyUnitStatistic)),
            Expression.Bind(typeof(WeeklyUnitStatistic).GetProperty(nameof(WeeklyUnitStatistic.UnitId))!,
                Expression.Convert(Expression.Property(g, nameof(IGrouping<int, PetitionAtEnd>.Key)), typeof(int?))),
            Expression.Bind(typeof(WeeklyUnitStatistic).GetProperty(nameof(WeeklyUnitStatistic.BacklogThreads))!,
                Expression.Call(CountAll.MakeGenericMethod(typeof(PetitionAtEnd)), g)),
            Expression.Bind(typeof(WeeklyUnitStatistic).GetProperty(nameof(WeeklyUnitStatistic.BacklogResolved))!,
                Expression.Call(CountWhere.MakeGenericMethod(typeof(PetitionAtEnd)), g, resolved))), g);
    }

    private static readonly MethodInfo CountAll = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1);

    /// <summary>The single GROUP BY UnitId scan that counts every petition measure but the 积案 ones (public for the benchmark's SQL dump).</summary>
    public static IQueryable<WeeklyUnitStatistic> ScanQuery(AppDbContext db, StatisticPopulations pop)
    {
        var sunday = pop.Window.Sunday;
        // Grouped by the unit at the end of W (§8): a petition transferred after W counts for the unit it had then.
        return pop.WithUnitAtEnd(db, db.Petitions.AsNoTracking().Where(p => p.ReceivedOn <= sunday).Where(pop.InAnyScanMeasure))
            .GroupBy(x => x.UnitId)
            .Select(ScanSelector(pop));
    }

    /// <summary>g => new WeeklyUnitStatistic { UnitId = g.Key, NewPetitions = g.Count(pred), … } from the population predicates.</summary>
    private static Expression<Func<IGrouping<int, PetitionAtEnd>, WeeklyUnitStatistic>> ScanSelector(StatisticPopulations pop)
    {
        var g = Expression.Parameter(typeof(IGrouping<int, PetitionAtEnd>), "g");
        var count = CountWhere.MakeGenericMethod(typeof(PetitionAtEnd));
        var bindings = new List<MemberBinding>
        {
            Expression.Bind(typeof(WeeklyUnitStatistic).GetProperty(nameof(WeeklyUnitStatistic.UnitId))!,
                Expression.Convert(Expression.Property(g, nameof(IGrouping<int, PetitionAtEnd>.Key)), typeof(int?))),
        };
        foreach (var m in ScanMeasures)
        {
            var property = typeof(WeeklyUnitStatistic).GetProperty(m.ToString())!;
            bindings.Add(Expression.Bind(property, Expression.Call(count, g, PetitionAtEnd.Of.Then(pop.Petitions(m)))));
        }
        // 集体访人次: SUM(人数) over the same population as the batches.
        Expression<Func<PetitionAtEnd, int>> people = x => x.Petition.PeopleCount;
        var where = Expression.Call(WhereMethod.MakeGenericMethod(typeof(PetitionAtEnd)), g,
            PetitionAtEnd.Of.Then(pop.Petitions(StatisticMeasure.GroupVisitPeople)));
        bindings.Add(Expression.Bind(typeof(WeeklyUnitStatistic).GetProperty(nameof(WeeklyUnitStatistic.GroupVisitPeople))!,
            Expression.Call(SumInt.MakeGenericMethod(typeof(PetitionAtEnd)), where, people)));
        return Expression.Lambda<Func<IGrouping<int, PetitionAtEnd>, WeeklyUnitStatistic>>(
            Expression.MemberInit(Expression.New(typeof(WeeklyUnitStatistic)), bindings), g);
    }

    private static readonly MethodInfo CountWhere = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 2);

    private static readonly MethodInfo WhereMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Where) && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2);

    private static readonly MethodInfo SumInt = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Sum) && m.IsGenericMethodDefinition && m.GetParameters().Length == 2
            && m.GetParameters()[1].ParameterType.GetGenericArguments()[1] == typeof(int));
}
