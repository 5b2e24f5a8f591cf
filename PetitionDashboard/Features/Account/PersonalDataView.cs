using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>Full 身份证号 and phone of one petitioner, after an audited reveal.</summary>
public sealed record RevealedPersonalData(int PetitionerId, string Name, string? IdNumber, string? Phone);

/// <summary>
/// What a user sees of 身份证号 and phone numbers (docs/rules.md §10). Pages always show the masked form; roles allowed to
/// see full numbers use <see cref="RevealAsync"/>, which is audited. Exports show full numbers only to those roles.
/// </summary>
public sealed class PersonalDataView(
    ICurrentUser user, AccessGuard guard, IDbContextFactory<AppDbContext> contexts, AuditLog audit, PersonalDataProtector personalData)
{
    public bool CanReveal => user.Allows(Policies.CanSeePersonalData);

    /// <summary>The full numbers of one petitioner; refused for roles that may not see them; recorded as 查看完整个人信息.</summary>
    public async Task<RevealedPersonalData> RevealAsync(int petitionerId, string? caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanSeePersonalData);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stored = await db.Petitioners.AsNoTracking().Where(x => x.Id == petitionerId)
                         .Select(x => new { x.Id, x.Name, x.IdNumber, x.Phone }).FirstOrDefaultAsync(ct)
                     ?? throw new ActionRefusedException("找不到该信访人。");
        // Recorded before the numbers are decrypted: a reveal that fails half-way is still on the trail.
        var p = new RevealedPersonalData(stored.Id, stored.Name, null, null);
        await audit.RecordAsync(AuditActions.Reveal, detail: $"查看信访人 {p.Name} 的完整身份证号和联系电话", caseNumber: caseNumber,
            entity: nameof(Petitioner), entityKey: petitionerId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct: ct);
        return p with { IdNumber = personalData.Reveal(stored.IdNumber), Phone = personalData.Reveal(stored.Phone) };
    }
}
