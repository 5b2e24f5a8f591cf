using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Audit;

/// <summary>
/// Records the events that are not data changes: sign-ins, failed sign-ins, reveals of personal data, exports.
/// Data changes are recorded by <see cref="AuditInterceptor"/>; nobody writes <see cref="AuditEntry"/> rows any other way.
/// </summary>
public sealed class AuditLog(IDbContextFactory<AppDbContext> contexts, AuditActorAccessor actor, TimeProvider clock)
{
    /// <summary>An export (e.g. "督办通报 2026-W47"); call it from the export endpoint before streaming the file.</summary>
    public Task RecordExportAsync(string what, string? caseNumber = null, CancellationToken ct = default) =>
        RecordAsync(AuditActions.Export, detail: what, caseNumber: caseNumber, ct: ct);

    public async Task RecordAsync(string action, string? detail = null, string? caseNumber = null, string? entity = null,
        string? entityKey = null, string? actorName = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditEntries.Add(AuditEntry.Create(clock.GetUtcNow().UtcDateTime, actorName ?? actor.Actor, action,
            entity: entity, entityKey: entityKey, caseNumber: caseNumber, detail: detail));
        await db.SaveChangesAsync(ct);
    }
}
