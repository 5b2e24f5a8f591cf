using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

public sealed partial class DemoDataWriter
{
    private const string DemoPlace = "市信访局一楼接待大厅";
    private const string DemoOfficer = "演示数据";

    /// <summary>
    /// A few 领导接访 days, records and 下访 (docs/rules.md §11), derived from the petitions already written so that every rule
    /// holds: a past reception day is the received date of the 来访 petitions received at it (marked 领导接访件, with their
    /// timeline event), published the day before, within capacity, one per Leader and half-day, each record 当场答复; coming
    /// days were published yesterday and hold bookings of existing matters; each 下访 links petitions of its locality received
    /// on or before it.
    /// </summary>
    public async Task WriteReceptionsAsync(DateOnly today, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var leaders = await db.Leaders.AsNoTracking().OrderBy(l => l.Id).Select(l => l.Id).Take(2).ToListAsync(ct);
        if (leaders.Count == 0) return;
        var visits = await db.Petitions.AsNoTracking()
            .Where(p => p.Form == PetitionForm.Visit && p.ReceivedOn >= today.AddDays(-60) && p.ReceivedOn < today && p.PeopleCount < 5
                // The reception event is written after the petition's own events (a timeline is in time order), on the same day.
                && p.Events.All(e => e.On == p.ReceivedOn))
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.ReceivedOn, p.RegisteredAtUtc, p.PeopleCount, p.Demand, p.UnitId, p.Locality,
                PetitionerId = p.Petitioners.Select(x => x.PetitionerId).First(), RecordedAt = p.Events.Max(e => e.AtUtc).AddMinutes(1) })
            .Take(80).ToListAsync(ct);
        visits = [.. visits.Where(v => BusinessTime.ToBusinessDate(v.RecordedAt) == v.ReceivedOn)];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var capacity = new ReceptionOptions().Capacity;
        var days = new List<ReceptionDay>();
        foreach (var (date, i) in visits.GroupBy(v => v.ReceivedOn).OrderBy(g => g.Key).Take(6).Select((g, i) => (g, i)))
        {
            var day = new ReceptionDay
            {
                On = date.Key, HalfDay = HalfDay.Morning, Place = DemoPlace, LeaderId = leaders[i % leaders.Count], Capacity = capacity,
                Topic = null, PublishedAtUtc = BusinessTime.StartOfDayUtc(date.Key.AddDays(-1)).AddHours(2), PublishedBy = DemoOfficer,
            };
            foreach (var p in date.Take(3))
            {
                day.Bookings.Add(new ReceptionBooking
                {
                    PetitionerId = p.PetitionerId, PeopleCount = p.PeopleCount, PetitionId = p.Id, WalkIn = true,
                    BookedAtUtc = p.RegisteredAtUtc, BookedBy = DemoOfficer, Attended = true, Asked = FieldLengths.Clip(p.Demand, ReceptionRules.MaxAskedLength),
                    MinutesSpent = 20, Decision = ReceptionDecision.AnsweredOnSpot, RecordedBy = DemoOfficer, RecordedAtUtc = p.RecordedAt,
                });
                db.PetitionEvents.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.LeaderReception, AtUtc = p.RecordedAt, On = p.ReceivedOn, Actor = DemoOfficer,
                    Detail = $"{date.Key:yyyy-MM-dd}上午在{DemoPlace}领导接访，处理意见：当场答复", Note = FieldLengths.Clip(p.Demand, FieldLengths.EventNote),
                });
            }
            days.Add(day);
        }
        // Coming reception days, published yesterday, with bookings of matters already registered.
        var taken = days.SelectMany(d => d.Bookings).Select(b => b.PetitionId).ToList();
        var recent = await db.Petitions.AsNoTracking()
            .Where(p => p.State == PetitionState.InHandling && p.PeopleCount < 5 && !taken.Contains(p.Id))
            .OrderByDescending(p => p.Id).Take(4)
            .Select(p => new { p.Id, p.PeopleCount, PetitionerId = p.Petitioners.Select(x => x.PetitionerId).First() }).ToListAsync(ct);
        for (var k = 0; k < 2; k++)
        {
            var day = new ReceptionDay
            {
                On = today.AddDays(2 + k * 5), HalfDay = k == 0 ? HalfDay.Morning : HalfDay.Afternoon, Place = DemoPlace, LeaderId = leaders[k % leaders.Count],
                Capacity = capacity, Topic = k == 0 ? "劳动和社会保障、城乡建设" : null,
                PublishedAtUtc = BusinessTime.StartOfDayUtc(today.AddDays(-1)).AddHours(2), PublishedBy = DemoOfficer,
            };
            foreach (var p in recent.Skip(k * 2).Take(2))
                day.Bookings.Add(new ReceptionBooking
                {
                    PetitionerId = p.PetitionerId, PeopleCount = p.PeopleCount, PetitionId = p.Id, BookedBy = DemoOfficer,
                    BookedAtUtc = BusinessTime.StartOfDayUtc(today.AddDays(-1)).AddHours(3),
                });
            days.Add(day);
        }
        db.ReceptionDays.AddRange(days);
        // 下访: to the locality of two received petitions, a week after the later one.
        foreach (var group in visits.GroupBy(v => v.Locality).Take(2))
        {
            var handled = group.Take(2).ToList();
            var on = handled.Max(h => h.ReceivedOn).AddDays(7);
            if (on >= today) on = today.AddDays(-1);
            db.LeaderVisits.Add(new LeaderVisit
            {
                LeaderId = leaders[0], Locality = group.Key, On = on, Record = $"到{group.Key}走访信访人，现场协调有关单位，当场答复 {handled.Count} 件。",
                RecordedAtUtc = BusinessTime.StartOfDayUtc(on).AddHours(9), RecordedBy = DemoOfficer,
                Petitions = [.. handled.Select(h => new LeaderVisitPetition { PetitionId = h.Id })],
            });
        }
        await db.SaveChangesAsync(ct);
        var received = days.Where(d => d.On < today).SelectMany(d => d.Bookings.Select(b => (b.PetitionId!.Value, d.On))).ToList();
        foreach (var (id, on) in received)
            await db.Petitions.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaderReceptionOn, on), ct);
        await tx.CommitAsync(ct);
    }
}
