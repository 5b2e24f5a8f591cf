using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Import;

/// <summary>A saved profile as the import uses it: its name and header → column mapping ("" = ignore).</summary>
public sealed record LedgerProfileMapping(string Name, IReadOnlyDictionary<string, string> Mapping, DateTime SavedAtUtc, string SavedBy)
{
    public LedgerReading Reading(string? sheet = null) => new(sheet, Mapping, Name);
}

/// <summary>
/// The column mapping profiles of docs/rules.md §7: saved from the import page's mapping step (audited by the trail as any
/// entity change), found again by the ledger's header set, or by name (<c>import … --profile NAME</c>).
/// </summary>
public sealed class LedgerProfileService(IDbContextFactory<AppDbContext> dbs, AccessGuard guard, TimeProvider clock, IOptions<ImportOptions> options)
{
    /// <summary>
    /// The mapping step's view of a received file (<see cref="LedgerImportService.ReceiveAsync"/>): its sheets, header row,
    /// what each header is read as, and the first rows as <paramref name="reading"/> reads them — only those rows are read.
    /// A file over a limit or damaged is refused as the import refuses it.
    /// </summary>
    public Task<LedgerSheet> PreviewAsync(string path, LedgerReading reading, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        var o = options.Value;
        return Task.Run(() => LedgerReader.Read(path, o.HeaderAliases, o.WorkbookLimits, null, ct, reading, LedgerReader.SampleRowCount), ct);
    }

    /// <summary>The profile saved for exactly this set of headers, if any (the latest saved when several are).</summary>
    public async Task<LedgerProfileMapping?> FindByHeadersAsync(string headerSet, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.LedgerProfiles.AsNoTracking().Where(p => p.HeaderSet == headerSet)
            .OrderByDescending(p => p.SavedAtUtc).ThenByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        return found is null ? null : ToMapping(found);
    }

    /// <summary>The profile of that name; refused with the names there are when none has it.</summary>
    public async Task<LedgerProfileMapping> GetAsync(string name, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var trimmed = name.Trim();
        var found = await db.LedgerProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Name == trimmed, ct);
        if (found is not null) return ToMapping(found);
        var names = await db.LedgerProfiles.AsNoTracking().OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(ct);
        throw new ActionRefusedException(names.Count == 0
            ? $"没有名为“{trimmed}”的列对应方案：尚未保存任何方案（在导入页面的列对应步骤中保存）"
            : $"没有名为“{trimmed}”的列对应方案；已有的方案：{string.Join("、", names)}");
    }

    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.LedgerProfiles.AsNoTracking().OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(ct);
    }

    /// <summary>
    /// Saves the mapping for this header set under <paramref name="name"/>: a new profile, or the named one replaced (the
    /// audit trail keeps what it was). Every target must be a column of the format or "" (ignore).
    /// </summary>
    public async Task<LedgerProfileMapping> SaveAsync(string name, string headerSet, IReadOnlyDictionary<string, string> mapping, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanImportLedger);
        var trimmed = name.Trim();
        if (trimmed.Length == 0) throw new ActionRefusedException("方案名称：必填，不能为空");
        if (trimmed.Length > LedgerProfile.MaxNameLength)
            throw new ActionRefusedException($"方案名称：长度 {trimmed.Length} 超过上限 {LedgerProfile.MaxNameLength} 个字符");
        foreach (var (header, column) in mapping)
            if (column != LedgerReading.Ignore && !LedgerColumns.All.Contains(column))
                throw new ActionRefusedException($"表头“{header}”：“{column}”不是台账的列，应为 {string.Join("、", LedgerColumns.All)} 之一或“忽略”");
        foreach (var twice in mapping.Where(m => m.Value != LedgerReading.Ignore).GroupBy(m => m.Value).Where(g => g.Count() > 1))
            throw new ActionRefusedException($"表头“{string.Join("”与“", twice.Select(m => m.Key))}”都对应到“{twice.Key}”列：一列只能对应一个表头");

        await using var db = await dbs.CreateDbContextAsync(ct);
        var profile = await db.LedgerProfiles.FirstOrDefaultAsync(p => p.Name == trimmed, ct);
        var json = JsonSerializer.Serialize(mapping.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value), JsonOptions);
        if (profile is null)
        {
            profile = new LedgerProfile { Name = trimmed, HeaderSet = headerSet, Mapping = json, SavedBy = guard.ActorName };
            db.LedgerProfiles.Add(profile);
        }
        else
        {
            profile.HeaderSet = headerSet;
            profile.Mapping = json;
            profile.SavedBy = guard.ActorName;
        }
        profile.SavedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return ToMapping(profile);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static LedgerProfileMapping ToMapping(LedgerProfile p) =>
        new(p.Name, JsonSerializer.Deserialize<Dictionary<string, string>>(p.Mapping) ?? [], p.SavedAtUtc, p.SavedBy);
}
