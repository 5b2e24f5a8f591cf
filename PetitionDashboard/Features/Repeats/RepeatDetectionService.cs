using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Repeats;

/// <summary>One petitioner as typed in a form or read from a ledger row.</summary>
public sealed record PetitionerDraft(string? Name, string? IdNumber, string? Phone, string? Address = null)
{
    /// <summary>The identity key of docs/rules.md §6, or null when the person cannot be identified.</summary>
    public string? IdentityKey => PetitionerIdentity.Key(Name, IdNumber, Phone);
}

/// <summary>What detection compares a (new or existing) petition by.</summary>
/// <param name="IdentityKeys">The petitioners' identity keys (docs/rules.md §6).</param>
/// <param name="PetitionId">The petition itself when it already exists (re-scan): excluded, and its kept decisions apply.</param>
/// <param name="ReceivedOn">Only earlier petitions can be the one it repeats; null while a form is being typed.</param>
public sealed record RepeatProbe(
    IReadOnlyList<string> IdentityKeys, string? Locality, string? Category, string? Demand,
    int? PetitionId = null, DateOnly? ReceivedOn = null)
{
    /// <summary>A probe from petitioners as typed: people without an identity (a bare name) cannot match anyone.</summary>
    public static RepeatProbe For(
        IEnumerable<PetitionerDraft> petitioners, string? locality, string? category, string? demand, DateOnly? receivedOn = null) =>
        new(petitioners.Select(p => p.IdentityKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
            locality, category, demand, null, receivedOn);
}

/// <summary>A petitioner both petitions share, and how the identity matched.</summary>
public sealed record SharedPetitioner(string Name, string? IdNumber, string? Phone, bool ByIdNumber);

/// <summary>The best-matching petition of one earlier thread.</summary>
public sealed record RepeatCandidate(
    int ThreadId, int PetitionId, string CaseNumber, DateOnly ReceivedOn, PetitionState State, string PetitionerNames,
    string Demand, string Locality, string Category, string UnitName, int ThreadPetitionCount, string? ThreadFirstCaseNumber,
    double Similarity, double Threshold, bool IsSameMatter, IReadOnlyList<SharedPetitioner> SharedPetitioners)
{
    /// <summary>Similarity as a whole percentage, rounded down so that a score just under the threshold never shows as equal to it.</summary>
    public int SimilarityPercent => (int)Math.Floor(Similarity * 100 + 1e-9);

    /// <summary>Why the two petitions match, in zh-CN; ID numbers and phones masked unless the reader may see them (§10).</summary>
    public IReadOnlyList<string> Reasons(bool maskPersonalData)
    {
        var reasons = new List<string>();
        foreach (var p in SharedPetitioners)
        {
            reasons.Add(p.ByIdNumber
                ? $"同一身份证号 {(maskPersonalData ? PersonalData.MaskIdNumber(p.IdNumber) : p.IdNumber)}（{p.Name}）"
                : $"同一姓名和电话 {p.Name} {(maskPersonalData ? PersonalData.MaskPhone(p.Phone) : p.Phone)}");
        }
        reasons.Add($"同一问题属地、同一一级分类（{Locality}·{Category}）");
        var threshold = ((int)Math.Round(Threshold * 100)).ToString(CultureInfo.InvariantCulture);
        reasons.Add(IsSameMatter
            ? $"诉求相似度 {SimilarityPercent}%（≥ {threshold}%）"
            : $"诉求相似度 {SimilarityPercent}%（低于 {threshold}%，仅可人工认定）");
        return reasons;
    }
}

/// <summary>A re-scan's proposal: link <see cref="PetitionId"/> into the thread of <see cref="Candidate"/>.</summary>
public sealed record RepeatProposal(int PetitionId, string CaseNumber, DateOnly ReceivedOn, int ThreadId, RepeatCandidate Candidate);

/// <summary>
/// The one repeat detection (docs/rules.md §6) used by registration, the ledger import and the re-scan action.
/// Indexed, never a scan: petitioners by IdentityKey → their petitions via PetitionPetitioner.PetitionerId → same 问题属地 and
/// category filtered in SQL on those ids → demand similarity in memory over at most <see cref="MaxCandidatePetitions"/> rows.
/// </summary>
public sealed class RepeatDetectionService(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<RepeatOptions> options, AccessGuard guard, PersonalDataProtector personalData)
{
    /// <summary>Most recent petitions of the shared petitioners compared by similarity.</summary>
    public const int MaxCandidatePetitions = 200;

    /// <summary>Petition links read per lookup; a person with more petitions than this is compared on the most recent ones.</summary>
    private const int MaxLinksRead = 5000;

    public double Threshold => options.Value.Similarity;

    /// <summary>Earlier threads sharing a petitioner, 问题属地 and category with the probe; same matter first, then by similarity.</summary>
    public async Task<IReadOnlyList<RepeatCandidate>> FindCandidatesAsync(RepeatProbe probe, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindCandidatesAsync(db, probe, ct);
    }

    /// <summary>The same lookup inside a caller's context (and transaction), e.g. registration re-checking at save.</summary>
    internal async Task<IReadOnlyList<RepeatCandidate>> FindCandidatesAsync(AppDbContext db, RepeatProbe probe, CancellationToken ct)
    {
        var locality = probe.Locality?.Trim();
        var category = probe.Category?.Trim();
        if (string.IsNullOrEmpty(locality) || string.IsNullOrEmpty(category)) return [];
        if (probe.IdentityKeys.Count == 0) return [];
        // Typed keys are hashed as stored (under every key of the ring); keys read from the database are used as they are.
        var keys = personalData.LookupKeys(probe.IdentityKeys);

        // 1. Petitioners by IdentityKey (the index on its tail).
        var people = await db.Petitioners.AsNoTracking().WithIdentityKeys(keys)
            .Select(p => new { p.Id, p.Name, p.IdNumber, p.Phone, p.IdentityKey })
            .ToListAsync(ct);
        if (people.Count == 0) return [];
        var personIds = people.Select(p => p.Id).ToList();

        // 2. Their petitions via the link table (index on PetitionerId), most recent first.
        var links = await db.PetitionPetitioners.AsNoTracking()
            .Where(pp => personIds.Contains(pp.PetitionerId))
            .OrderByDescending(pp => pp.PetitionId)
            .Take(MaxLinksRead)
            .Select(pp => new { pp.PetitionId, pp.PetitionerId })
            .ToListAsync(ct);
        var petitionIds = links.Select(l => l.PetitionId).Distinct().ToList();
        if (probe.PetitionId is { } self) petitionIds.Remove(self);
        if (petitionIds.Count == 0) return [];

        // 3. Same 问题属地 and category, filtered in SQL on those ids (primary-key lookups).
        var query = db.Petitions.AsNoTracking()
            .Where(p => petitionIds.Contains(p.Id) && p.Locality == locality && p.Category == category);
        if (probe.ReceivedOn is { } receivedOn) query = query.Where(p => p.ReceivedOn <= receivedOn);
        if (probe.PetitionId is { } own)
        {
            var ownThread = db.Petitions.Where(p => p.Id == own).Select(p => p.ThreadId);
            var declined = db.RepeatDecisions.Where(d => d.PetitionId == own).Select(d => d.ThreadId);
            query = query.Where(p => !ownThread.Contains(p.ThreadId) && !declined.Contains(p.ThreadId));
        }
        var rows = await query
            .OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id)
            .Take(MaxCandidatePetitions)
            .Select(p => new
            {
                p.Id, p.CaseNumber, p.ReceivedOn, p.State, p.PetitionerNames, p.Demand, p.Locality, p.Category, p.ThreadId,
                UnitName = p.Unit.Name, p.Thread.PetitionCount, p.Thread.FirstPetitionId,
            })
            .ToListAsync(ct);
        if (rows.Count == 0) return [];

        // 4. Similarity in memory over that small set; the best petition per thread stands for its thread.
        var threshold = Threshold;
        var scored = rows
            .Select(r => (Row: r, Similarity: DemandSimilarity.Jaccard(probe.Demand, r.Demand),
                Same: RepeatRule.IsSameMatter(locality, category, probe.Demand, r.Locality, r.Category, r.Demand, threshold)))
            .GroupBy(x => x.Row.ThreadId)
            .Select(g => g.OrderByDescending(x => x.Similarity).ThenByDescending(x => x.Row.ReceivedOn).First())
            .OrderByDescending(x => x.Same).ThenByDescending(x => x.Similarity).ThenByDescending(x => x.Row.ReceivedOn)
            .ToList();

        var firstIds = scored.Select(x => x.Row.FirstPetitionId).OfType<int>().Distinct().ToList();
        var firstNumbers = await db.Petitions.AsNoTracking().Where(p => firstIds.Contains(p.Id))
            .Select(p => new { p.Id, p.CaseNumber }).ToDictionaryAsync(p => p.Id, p => p.CaseNumber, ct);
        var peopleById = people.ToDictionary(p => p.Id);
        var linksByPetition = links.ToLookup(l => l.PetitionId, l => l.PetitionerId);

        return scored.Select(x =>
        {
            var shared = linksByPetition[x.Row.Id].Distinct().Select(id => peopleById[id])
                .Select(p => new SharedPetitioner(p.Name, personalData.Reveal(p.IdNumber), personalData.Reveal(p.Phone),
                    p.IdentityKey.StartsWith("ID:", StringComparison.Ordinal)))
                .ToList();
            return new RepeatCandidate(
                x.Row.ThreadId, x.Row.Id, x.Row.CaseNumber, x.Row.ReceivedOn, x.Row.State, x.Row.PetitionerNames, x.Row.Demand,
                x.Row.Locality, x.Row.Category, x.Row.UnitName, x.Row.PetitionCount,
                x.Row.FirstPetitionId is { } f ? firstNumbers.GetValueOrDefault(f) : null,
                x.Similarity, threshold, x.Same, shared);
        }).ToList();
    }

    /// <summary>Re-scan one petition: the earlier threads it repeats by rule (same person, same matter), minus kept decisions.</summary>
    public async Task<IReadOnlyList<RepeatCandidate>> RescanAsync(int petitionId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var probe = await ProbeForAsync(db, petitionId, ct)
            ?? throw new ActionRefusedException($"信访事项 #{petitionId} 不存在");
        var candidates = await FindCandidatesAsync(db, probe, ct);
        return candidates.Where(c => c.IsSameMatter).ToList();
    }

    /// <summary>
    /// Re-scan the first petitions (初件) received in a date range and propose, for each that repeats an earlier thread by rule,
    /// the best thread to join. Reads the range in id order in batches; stops after <paramref name="maxProposals"/> proposals.
    /// </summary>
    public async Task<IReadOnlyList<RepeatProposal>> RescanRangeAsync(
        DateOnly from, DateOnly to, int maxProposals = 200, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        const int batchSize = 500;
        var proposals = new List<RepeatProposal>();
        var lastId = 0;
        while (proposals.Count < maxProposals)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await db.Petitions.AsNoTracking()
                .Where(p => p.ReceivedOn >= from && p.ReceivedOn <= to && !p.IsRepeat && p.Id > lastId)
                .OrderBy(p => p.Id).Take(batchSize)
                .Select(p => new { p.Id, p.CaseNumber, p.ReceivedOn, p.ThreadId })
                .ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var p in batch)
            {
                var probe = await ProbeForAsync(db, p.Id, ct);
                if (probe is null) continue;
                var best = (await FindCandidatesAsync(db, probe, ct)).FirstOrDefault(c => c.IsSameMatter);
                if (best is not null) proposals.Add(new RepeatProposal(p.Id, p.CaseNumber, p.ReceivedOn, p.ThreadId, best));
                if (proposals.Count >= maxProposals) break;
            }
            lastId = batch[^1].Id;
        }
        return proposals;
    }

    private static async Task<RepeatProbe?> ProbeForAsync(AppDbContext db, int petitionId, CancellationToken ct)
    {
        var p = await db.Petitions.AsNoTracking().Where(x => x.Id == petitionId)
            .Select(x => new { x.Locality, x.Category, x.Demand, x.ReceivedOn }).FirstOrDefaultAsync(ct);
        if (p is null) return null;
        // The stored keys decide: they were computed when the person was registered or imported.
        var keys = await db.PetitionPetitioners.AsNoTracking().Where(pp => pp.PetitionId == petitionId)
            .Select(pp => pp.Petitioner.IdentityKey).Distinct().ToListAsync(ct);
        return new RepeatProbe(keys, p.Locality, p.Category, p.Demand, petitionId, p.ReceivedOn);
    }
}
