using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Scoring;

/// <summary>A scheme as the 考核方案 page lists it.</summary>
public sealed record SchemeListing(ScoringScheme Scheme, bool Shipped, DateTime? SavedAtUtc, string? SavedBy, bool InForce);

/// <summary>The 考核方案 page's service: list the schemes, choose the one in force, save a new version from the editor.</summary>
public sealed class ScoringService(IDbContextFactory<AppDbContext> dbs, ScoringSchemeStore store, TimeProvider clock, AccessGuard guard)
{
    /// <summary>The configured scheme name (`Scoring:Scheme`), which a choice on the page cannot override.</summary>
    public string? ConfiguredName => store.ConfiguredName;

    public async Task<SchemeInForce> InForceAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewStatistics);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await store.InForceAsync(db, ct);
    }

    public async Task<IReadOnlyList<SchemeListing>> SchemesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageScoring);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var inForce = await InForceOrNullAsync(db, ct);
        return (await store.LatestAsync(db, ct))
            .Select(s => new SchemeListing(s.Scheme, s.Saved is null || store.Shipped.Any(x => x.Name == s.Scheme.Name),
                s.Saved?.SavedAtUtc, s.Saved?.SavedBy, s.Scheme.Name == inForce?.Name))
            .ToList();
    }

    /// <summary>Puts a scheme in force from now on; published weeks keep theirs. Refused while `Scoring:Scheme` is set.</summary>
    public async Task ChooseAsync(string name, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageScoring);
        if (store.ConfiguredName is { } configured)
            throw new ActionRefusedException($"考核方案由配置项 Scoring:Scheme 指定为“{configured}”，页面上不能更改；请管理员修改配置");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var scheme = await store.LatestAsync(db, name, ct) ?? throw new ActionRefusedException($"考核方案“{name}”不存在");
        var before = (await store.InForceAsync(db, ct)).Scheme.Name;
        var now = clock.GetUtcNow().UtcDateTime;
        db.ScoringSchemeChoices.Add(new ScoringSchemeChoice { SchemeName = scheme.Name, ChosenAtUtc = now, ChosenBy = guard.ActorName });
        db.AuditEntries.Add(AuditEntry.Create(now, guard.User.UserName ?? guard.ActorName, "Update", "考核方案", scheme.Name,
            field: "当前方案", oldValue: before, newValue: scheme.Name, detail: $"设为当前考核方案：{scheme.Title}"));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Saves a draft as the next version of its name (a new name starts at 1, a shipped one at 2). Refused with every broken
    /// rule, each naming its field. A scheme in force takes effect for unpublished weeks; published weeks keep their copy.
    /// </summary>
    public async Task<ScoringScheme> SaveAsync(ScoringScheme draft, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageScoring);
        var problems = draft.Problems();
        if (problems.Count > 0) throw new ActionRefusedException($"考核方案未保存，请更正以下 {problems.Count} 处：", problems);
        var name = draft.Name.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var last = await db.SavedScoringSchemes.Where(s => s.Name == name).MaxAsync(s => (int?)s.Version, ct)
            ?? (store.Shipped.Any(s => s.Name == name) ? 1 : 0);
        var scheme = draft with
        {
            Name = name, Version = last + 1,
            GradeBands = [.. draft.GradeBands.Select(b => b with { Grade = b.Grade.Trim() })],
        };
        var now = clock.GetUtcNow().UtcDateTime;
        db.SavedScoringSchemes.Add(new SavedScoringScheme
        {
            Name = name, Version = scheme.Version, Definition = scheme.ToJson(), SavedAtUtc = now, SavedBy = guard.ActorName,
        });
        db.AuditEntries.Add(AuditEntry.Create(now, guard.User.UserName ?? guard.ActorName, "Insert", "考核方案", $"{name} 第{scheme.Version}版",
            detail: $"保存考核方案 {scheme.Title}：{string.Join("，", scheme.Items.Select(i => i.Label))}"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw ActionRefusedException.ChangedMeanwhile($"考核方案“{name}”刚被他人保存了新版本，请刷新后再保存");
        }
        return scheme;
    }

    private async Task<ScoringScheme?> InForceOrNullAsync(AppDbContext db, CancellationToken ct)
    {
        try { return (await store.InForceAsync(db, ct)).Scheme; }
        catch (ActionRefusedException) { return null; }
    }
}
