using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Cases;

public sealed record CaseReception(DateOnly On, HalfDay HalfDay, string Leader, string Place, ReceptionDecision? Decision, string? DecisionUnit,
    DateOnly? DecisionDueOn, string? Asked, int ReceptionDayId);

/// <summary>The case page's 领导接访 panel: a read of its own, so the case page needs none of the reception workflow's services.</summary>
public sealed class CaseReceptionsQuery(IDbContextFactory<AppDbContext> dbs, AccessGuard guard)
{
    /// <summary>The receptions at which this petition was received or handled (the case page).</summary>
    public async Task<IReadOnlyList<CaseReception>> ForCaseAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        var number = caseNumber.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ReceptionBookings.AsNoTracking()
            .Where(b => b.Attended == true && db.Petitions.Any(p => p.Id == b.PetitionId && p.CaseNumber == number))
            .OrderBy(b => b.ReceptionDay.On)
            .Select(b => new CaseReception(b.ReceptionDay.On, b.ReceptionDay.HalfDay, b.ReceptionDay.Leader.Name, b.ReceptionDay.Place, b.Decision,
                db.Units.Where(u => u.Id == b.DecisionUnitId).Select(u => u.Name).FirstOrDefault(), b.DecisionDueOn, b.Asked, b.ReceptionDayId))
            .ToListAsync(ct);
    }
}
