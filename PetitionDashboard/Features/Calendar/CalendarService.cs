using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Calendar;

public sealed record CalendarYearView(HolidayYear Year, bool AddedByAdmin);

public sealed record CalendarSaveResult(int Year, int OpenPetitionsChecked, int DeadlinesChanged);

/// <summary>
/// Holiday calendars an admin adds or corrects (docs/rules.md §2). Saving a year recomputes the current deadline of every
/// open petition and records each change as an event, so a moved deadline is never silent.
/// </summary>
public sealed class CalendarService(
    CalendarStore store, IDbContextFactory<AppDbContext> dbFactory, IOptions<DeadlineOptions> limits, TimeProvider clock,
    AccessGuard guard)
{
    private const int BatchSize = 2000;

    public IReadOnlyList<CalendarYearView> Years()
    {
        guard.Ensure(Policies.CanManageMasterData);
        return store.Years().Select(y => new CalendarYearView(y.Year, y.AddedByAdmin)).ToList();
    }

    /// <summary>Years near today without a calendar file: the UI warns about them.</summary>
    public IReadOnlyList<int> MissingYearsAround(DateOnly today) =>
        store.Calendar.MissingYears(today, today.AddDays(120));

    /// <summary>Validates and saves a calendar file, then recomputes open deadlines. Throws ActionRefusedException on bad input.</summary>
    public async Task<CalendarSaveResult> SaveYearAsync(string json, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageMasterData);
        var actor = guard.User.UserName ?? "管理员";
        var year = HolidayYear.Parse(json);
        await store.SaveAsync(year, actor, ct);
        var (checkedCount, changed) = await RecomputeOpenDeadlinesAsync(actor, $"{year.Year} 年节假日安排已更新", ct);
        return new CalendarSaveResult(year.Year, checkedCount, changed);
    }

    /// <summary>Brings CurrentDueDate of open petitions in line with the current calendar, in batches.</summary>
    private async Task<(int Checked, int Changed)> RecomputeOpenDeadlinesAsync(string actor, string reason, CancellationToken ct)
    {
        var deadlines = new DeadlineCalculator(store.Calendar, limits.Value);
        var open = PetitionLifecycle.OpenStates.ToArray();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();
        int lastId = 0, checkedCount = 0, changed = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await db.Petitions
                .Where(p => open.Contains(p.State) && p.Id > lastId)
                .OrderBy(p => p.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var p in batch)
            {
                var due = deadlines.Current(p)?.Due;
                if (due == p.CurrentDueDate) continue;
                db.PetitionEvents.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.DeadlineRecomputed, AtUtc = now, On = today, Actor = actor,
                    Detail = $"当前期限 {p.CurrentDueDate:yyyy-MM-dd} → {due:yyyy-MM-dd}", Note = reason,
                });
                p.CurrentDueDate = due;
                changed++;
            }
            await db.SaveChangesAsync(ct);
            checkedCount += batch.Count;
            lastId = batch[^1].Id;
        }
        return (checkedCount, changed);
    }
}
