using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The §11 weekly figures per unit, in the database (grouped counts, never loading rows). The unit of a reception record is
/// the responsible unit of its petition, or, for a matter that never became one (不属于信访事项), the unit it was booked for;
/// so every record counts for exactly one unit and the all-units row is the column sums.
/// </summary>
public static class ReceptionWeeklyFigures
{
    public static async Task FillAsync(AppDbContext db, IsoWeek week, Func<int, WeeklyUnitStatistic> row, CancellationToken ct)
    {
        var (monday, sunday) = (week.Monday, week.Sunday);
        var records = await (
                from b in db.ReceptionBookings.AsNoTracking()
                where b.Attended == true && b.ReceptionDay.On >= monday && b.ReceptionDay.On <= sunday
                let unitId = db.Petitions.Where(p => p.Id == b.PetitionId).Select(p => (int?)p.UnitId).FirstOrDefault() ?? b.UnitId
                where unitId != null
                group b by unitId into g
                select new { UnitId = g.Key!.Value, Batches = g.Count(), People = g.Sum(b => b.PeopleCount) })
            .ToListAsync(ct);
        foreach (var r in records)
        {
            row(r.UnitId).ReceptionBatches = r.Batches;
            row(r.UnitId).ReceptionPeople = r.People;
        }
        var resolved = await db.Petitions.AsNoTracking()
            .Where(p => p.LeaderReceptionOn != null
                && ((p.RepliedOn >= monday && p.RepliedOn <= sunday) || (p.RepliedOn == null && p.FinishedOn >= monday && p.FinishedOn <= sunday)))
            .GroupBy(p => p.UnitId).Select(g => new { UnitId = g.Key, Count = g.Count() }).ToListAsync(ct);
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
