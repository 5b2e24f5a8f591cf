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
/// Reads the audit trail for the audit page and its export, filtered in SQL. 三员分立 (<see cref="Visible"/>): only the audit
/// administrator sees the administrators' and the system's actions; a Supervisor reads everything else.
/// </summary>
public sealed class AuditQueryService(IDbContextFactory<AppDbContext> contexts, AccessGuard guard, AuditLog audit, TimeProvider clock)
{
    /// <summary>Whether the current user may export (the page offers the button; the endpoint checks again).</summary>
    public bool CanExport => guard.Allows(Policies.CanExportAudit);

    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanReadAudit);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = await FilteredAsync(db, filter, ct);
        var total = await q.CountAsync(ct);
        var rows = await Newest(q).Skip(Math.Max(page, 0) * pageSize).Take(pageSize).ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, rows.Select(r => r.Actor), ct);
        return new AuditPage(rows.Select(r => MaskPersonalData(r) with { ActorDisplayName = people.Of(r.Actor) }).ToList(), total);
    }

    /// <summary>
    /// Writes the filtered trail — exactly the rows the page shows this user, masked the same way — as an .xlsx to
    /// <paramref name="output"/>, streamed row by row (memory flat in the row count), and records the export in the trail.
    /// Returns the number of rows.
    /// </summary>
    public async Task<int> ExportAsync(AuditFilter filter, Stream output, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExportAudit);
        var generatedAtUtc = clock.GetUtcNow().UtcDateTime;
        int count;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var q = await FilteredAsync(db, filter, ct);
            var people = await PeopleNames.LoadAsync(db, await q.Select(a => a.Actor).Distinct().ToListAsync(ct), ct);
            var rows = Newest(q).AsAsyncEnumerable().Select(r => MaskPersonalData(r) with { ActorDisplayName = people.Of(r.Actor) });
            count = await AuditTrailWorkbook.WriteAsync(Describe(filter), guard.ActorName, generatedAtUtc, rows, output, ct);
        }
        await audit.RecordExportAsync($"审计日志（{Describe(filter)}，{count} 条）", ct: ct);
        return count;
    }

    /// <summary>The filter in words, for the export's title and its audit row.</summary>
    public static string Describe(AuditFilter f)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Person)) parts.Add($"操作人含“{f.Person.Trim()}”");
        if (!string.IsNullOrWhiteSpace(f.CaseNumber)) parts.Add($"信访编号 {f.CaseNumber.Trim()}");
        if (!string.IsNullOrWhiteSpace(f.Action)) parts.Add($"操作：{AuditVocabulary.Action(f.Action)}");
        if (f.From is not null || f.To is not null) parts.Add($"日期 {f.From:yyyy-MM-dd} 至 {f.To:yyyy-MM-dd}");
        return parts.Count == 0 ? "全部记录" : string.Join("，", parts);
    }

    private async Task<IQueryable<AuditEntry>> FilteredAsync(AppDbContext db, AuditFilter filter, CancellationToken ct)
    {
        var q = await VisibleAsync(db, db.AuditEntries.AsNoTracking(), ct);
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
        return q;
    }

    /// <summary>
    /// 三员分立: without <see cref="Policies.CanReadAdministratorAudit"/> a reader sees business users' rows only. A row is
    /// an administrator's when its actor held an administrator role when it was written (<see cref="AuditEntry.ActorClass"/>,
    /// so it stays hidden after the role is removed) OR holds one now (so an account made an administrator takes its
    /// trail out of business readers' sight too — the safer side of the two). Rows of 系统 (jobs, the command line,
    /// <c>create-admin</c>) are the operators' and hidden the same way; a row without a class is never shown to them.
    /// </summary>
    private async Task<IQueryable<AuditEntry>> VisibleAsync(AppDbContext db, IQueryable<AuditEntry> q, CancellationToken ct)
    {
        if (guard.Allows(Policies.CanReadAdministratorAudit)) return q;
        // Sign-in names are recorded as typed: compared in upper case, like Identity's normalized names.
        var administrators = await (from u in db.Users
                                    where db.UserRoles.Any(ur => ur.UserId == u.Id
                                        && db.Roles.Any(r => r.Id == ur.RoleId && Roles.Administrators.Contains(r.Name!)))
                                    select u.NormalizedUserName!).ToListAsync(ct);
        return q.Where(a => a.ActorClass == AuditActorClasses.Business && !administrators.Contains(a.Actor.ToUpper()));
    }

    private static IQueryable<AuditRow> Newest(IQueryable<AuditEntry> q) =>
        q.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Select(a => new AuditRow(a.Id, a.AtUtc, a.Actor, a.Action, a.Entity, a.EntityKey, a.Field, a.OldValue, a.NewValue, a.CaseNumber, a.Detail));

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
