using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Audit;

/// <summary>Filter of the audit page; dates are Shanghai business dates, both ends included.</summary>
public sealed record AuditFilter(string? Person = null, string? CaseNumber = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

public sealed record AuditRow(long Id, DateTime AtUtc, string Actor, string Action, string? Entity, string? EntityKey, string? Field,
    string? OldValue, string? NewValue, string? CaseNumber, string? Detail)
{
    /// <summary>The actor's display name, when the recorded actor is a user's login name.</summary>
    public string? ActorDisplayName { get; init; }
    /// <summary>"张三（duty）": who by name, and the account the trail is searched by.</summary>
    public string ActorText => ActorDisplayName is { } d && d != Actor ? $"{d}（{Actor}）" : Actor;
    public string ActionText => AuditVocabulary.Action(Action);
    public string EntityText => AuditVocabulary.Entity(Entity);
    public string FieldText => AuditVocabulary.Field(Entity, Field);
    public string? OldText => AuditVocabulary.StoredValue(OldValue);
    public string? NewText => AuditVocabulary.StoredValue(NewValue);
    /// <summary>Local (Shanghai) time for display.</summary>
    public DateTime AtLocal => AtUtc.Add(BusinessTime.Offset);
}

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>
/// Reads the audit trail for the audit page, filtered and paged in SQL. 三员分立: only the audit administrator sees the
/// actions of the administrators (whoever holds an administrator role); a Supervisor reads everything else.
/// </summary>
public sealed class AuditQueryService(IDbContextFactory<AppDbContext> contexts, AccessGuard guard)
{
    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanReadAudit);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (!guard.Allows(Policies.CanReadAdministratorAudit))
        {
            // Sign-in names are recorded as typed: compared in upper case, like Identity's normalized names.
            var administrators = await (from u in db.Users
                                        where db.UserRoles.Any(ur => ur.UserId == u.Id
                                            && db.Roles.Any(r => r.Id == ur.RoleId && Roles.Administrators.Contains(r.Name!)))
                                        select u.NormalizedUserName!).ToListAsync(ct);
            q = q.Where(a => !administrators.Contains(a.Actor.ToUpper()));
        }
        // The actor is a user name: matched case-insensitively on every provider ("contains" alone is case-sensitive on
        // SQLite and PostgreSQL, not on SQL Server).
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var person = filter.Person.Trim().ToUpperInvariant();
            q = q.Where(a => a.Actor.ToUpper().Contains(person));
        }
        if (!string.IsNullOrWhiteSpace(filter.CaseNumber)) q = q.Where(a => a.CaseNumber == filter.CaseNumber.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(a => a.Action == filter.Action);
        if (filter.From is { } from) { var start = BusinessTime.StartOfDayUtc(from); q = q.Where(a => a.AtUtc >= start); }
        if (filter.To is { } to) { var end = BusinessTime.StartOfDayUtc(to.AddDays(1)); q = q.Where(a => a.AtUtc < end); }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(a => new AuditRow(a.Id, a.AtUtc, a.Actor, a.Action, a.Entity, a.EntityKey, a.Field, a.OldValue, a.NewValue, a.CaseNumber, a.Detail))
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, rows.Select(r => r.Actor), ct);
        return new AuditPage(rows.Select(r => MaskPersonalData(r) with { ActorDisplayName = people.Of(r.Actor) }).ToList(), total);
    }

    /// <summary>The audit page never shows full personal numbers: a full view must go through the audited reveal.</summary>
    private static AuditRow MaskPersonalData(AuditRow row) => row switch
    {
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.IdNumber) } =>
            row with { OldValue = PersonalData.MaskIdNumber(row.OldValue), NewValue = PersonalData.MaskIdNumber(row.NewValue) },
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.Phone) } =>
            row with { OldValue = PersonalData.MaskPhone(row.OldValue), NewValue = PersonalData.MaskPhone(row.NewValue) },
        { Entity: nameof(Petitioner), Field: nameof(Petitioner.IdentityKey) } =>
            row with { OldValue = row.OldValue is null ? null : "（已隐藏）", NewValue = row.NewValue is null ? null : "（已隐藏）" },
        _ => row,
    };
}
