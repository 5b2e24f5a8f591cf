using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The §11 weekly figures per unit, in the database (grouped counts, never loading rows). The unit of a reception record is
/// the responsible unit of its petition at the end of W (§8), or, for a matter that never became one (不属于信访事项), the unit it was booked for;
/// so every record counts for exactly one unit and the all-units row is the column sums.
/// </summary>
public static class ReceptionWeeklyFigures
{
    public static async Task FillAsync(AppDbContext db, StatisticPopulations pop, Func<int, WeeklyUnitStatistic> row, CancellationToken ct)
    {
        var (monday, sunday) = (pop.Window.Monday, pop.Window.Sunday);
        var attended = db.ReceptionBookings.AsNoTracking()
            .Where(b => b.Attended == true && b.ReceptionDay.On >= monday && b.ReceptionDay.On <= sunday);
        // A record with a petition counts for the petition's unit at the end of W (like every §8 figure); one without
        // (不属于信访事项) for the unit it was booked for. Two grouped counts, each by a plain column SQL Server can group.
        var withPetition = await (
                from x in pop.WithUnitAtEnd(db, db.Petitions.AsNoTracking())
                join b in attended on (int?)x.Petition.Id equals b.PetitionId
                group b by x.UnitId into g
                select new { UnitId = g.Key, Batches = g.Count(), People = g.Sum(b => b.PeopleCount) })
            .TagWith("statistics: reception").ToListAsync(ct);
        var withoutPetition = await attended.Where(b => b.PetitionId == null && b.UnitId != null)
            .GroupBy(b => b.UnitId!.Value)
            .Select(g => new { UnitId = g.Key, Batches = g.Count(), People = g.Sum(b => b.PeopleCount) })
            .TagWith("statistics: reception").ToListAsync(ct);
        foreach (var r in withPetition.Concat(withoutPetition))
        {
            row(r.UnitId).ReceptionBatches += r.Batches;
            row(r.UnitId).ReceptionPeople += r.People;
        }
        var resolved = await pop.WithUnitAtEnd(db, db.Petitions.AsNoTracking()
                .Where(p => p.LeaderReceptionOn != null
                    && ((p.RepliedOn >= monday && p.RepliedOn <= sunday) || (p.RepliedOn == null && p.FinishedOn >= monday && p.FinishedOn <= sunday))))
            .GroupBy(x => x.UnitId).Select(g => new { UnitId = g.Key, Count = g.Count() }).TagWith("statistics: reception").ToListAsync(ct);
        foreach (var r in resolved) row(r.UnitId).ReceptionResolved = r.Count;
    }

    /// <summary>The all-units row: the column sums of the unit rows.</summary>
    public static void Total(WeeklyUnitStatistic all, IEnumerable<WeeklyUnitStatistic> units)
    {
        var list = units.ToList();
        all.ReceptionBatches = list.Sum(r => r.ReceptionBatches);
        all.ReceptionPeople = list.Sum(r => r.ReceptionPeople);
        all.ReceptionResolved = list.Sum(r => r.ReceptionResolved);
    }
}
