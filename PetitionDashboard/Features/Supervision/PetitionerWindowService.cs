using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Supervision;

/// <summary>What one nightly closing run did.</summary>
public sealed record WindowClosingResult(DateOnly Today, int Examined, int Closed);

/// <summary>
/// Closes replied (and reviewed) petitions whose 复查 (复核) request window has passed with no request (docs/rules.md §4),
/// each with a transition event that names the window; run by the nightly job before the 督办 recompute.
/// </summary>
public sealed class PetitionerWindowService(
    IDbContextFactory<AppDbContext> dbFactory, DeadlineCalculator deadlines, TimeProvider clock, AccessGuard guard)
{
    public const string SystemActor = "系统（每日办结）";

    private const int BatchSize = 500;

    public async Task<WindowClosingResult> CloseLapsedAsync(DateOnly today, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageLevels);
        // No window is shorter than its limit in calendar days: anything replied (reviewed) later cannot have lapsed yet.
        var repliedBefore = today.AddDays(-deadlines.Options.ReviewRequestDays);
        var reviewedBefore = today.AddDays(-deadlines.Options.RecheckRequestDays);
        int examined = 0, closed = 0, lastId = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await db.Petitions.Include(p => p.Events)
                .Where(p => (p.State == PetitionState.Replied && p.RepliedOn < repliedBefore)
                    || (p.State == PetitionState.Reviewed && p.ReviewDecidedOn < reviewedBefore))
                .Where(p => p.Id > lastId).OrderBy(p => p.Id).Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0) break;
            examined += batch.Count;
            lastId = batch[^1].Id;
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var p in batch)
                if (PetitionLifecycle.CloseIfWindowLapsed(p, today, now, SystemActor, deadlines) is not null) closed++;
            await db.SaveChangesAsync(ct);
        }
        return new WindowClosingResult(today, examined, closed);
    }
}
