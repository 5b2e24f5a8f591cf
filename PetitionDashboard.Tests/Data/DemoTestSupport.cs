using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>The demo services wired as the app wires them, over a test database and a pinned clock.</summary>
internal static class DemoTestSupport
{
    /// <summary>Monday 2026-11-23 09:00 Shanghai: the demo spans 2024-11-23 … 2026-11-22, across three calendar years.</summary>
    public static TestClock Clock() => TestClock.AtShanghai(2026, 11, 23);

    public static readonly DemoRules Rules = new(
        new SupervisionOptions().ListedAfterDays, new BacklogOptions().AgeDays, GroupSize: 5);

    public static DemoData Demo(IDbContextFactory<AppDbContext> db, TimeProvider clock, int batchSize = 1_000) =>
        new(new DemoDataGenerator(TestRules.Deadlines(), Rules), new DemoDataWriter(db, PetitionDashboard.Tests.Support.TestPersonalData.Protector), clock,
            Options.Create(new DemoOptions { BatchSize = batchSize }));

    public static DemoDataLoader Loader(
        IDbContextFactory<AppDbContext> db, TimeProvider clock, bool? enabled, int petitions,
        DatabaseProvider provider = DatabaseProvider.Sqlite, string environment = "Production") =>
        new(Demo(db, clock),
            Options.Create(new DemoOptions { Enabled = enabled, Petitions = petitions, Seed = 7 }),
            Options.Create(new DatabaseOptions { Provider = provider }),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment },
            NullLogger<DemoDataLoader>.Instance);

    /// <summary>SHA-256 over every generated row in id order: equal hashes, equal data.</summary>
    public static async Task<string> HashAsync(TestDatabase database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.CreateDbContext();
        var sb = new StringBuilder();
        foreach (var u in await db.Units.OrderBy(x => x.Id).ToListAsync(ct)) sb.Append($"U{u.Id}|{u.Name}|{u.Kind}\n");
        foreach (var l in await db.Leaders.OrderBy(x => x.Id).ToListAsync(ct)) sb.Append($"L{l.Id}|{l.Name}|{l.Title}\n");
        foreach (var p in await db.Petitioners.OrderBy(x => x.Id).ToListAsync(ct))
            // The numbers as they read (each encryption of them differs); the hashed identity key is the same from run to run.
            sb.Append($"P{p.Id}|{p.Name}|{TestPersonalData.Protector.Reveal(p.IdNumber)}|{TestPersonalData.Protector.Reveal(p.Phone)}|{p.Address}|{p.IdentityKey}\n");
        foreach (var t in await db.Threads.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"T{t.Id}|{t.FirstPetitionId}|{t.PetitionCount}|{t.FirstReceivedOn}|{t.LastReceivedOn}|{t.BacklogBatchId}\n");
        foreach (var p in await db.Petitions.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"C{p.Id}|{p.CaseNumber}|{p.Form}|{p.Purpose}|{p.PeopleCount}|{p.Locality}|{p.Category}|{p.Demand}|{p.UnitId}|" +
                      $"{p.PetitionerNames}|{p.ReceivedOn}|{p.RegisteredAtUtc:O}|{p.DispatchedOn}|{p.FirstDecisionOn}|{p.AcceptedOn}|" +
                      $"{p.SimpleProcedure}|{p.ExtensionDays}|{p.ExtensionReason}|{p.ExtensionApprover}|{p.RepliedOn}|{p.ReplyResult}|" +
                      $"{p.Evaluation}|{p.EvaluatedOn}|{p.ReviewAcceptedOn}|{p.ReviewDecidedOn}|{p.RecheckAcceptedOn}|{p.FinishedOn}|" +
                      $"{p.State}|{p.CurrentDueDate}|{p.Supervision}|{p.RemindersSent}|{p.ThreadId}|{p.IsRepeat}\n");
        foreach (var l in await db.PetitionPetitioners.OrderBy(x => x.PetitionId).ThenBy(x => x.PetitionerId).ToListAsync(ct))
            sb.Append($"X{l.PetitionId}|{l.PetitionerId}\n");
        foreach (var e in await db.PetitionEvents.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"E{e.Id}|{e.PetitionId}|{e.Kind}|{e.AtUtc:O}|{e.On}|{e.Actor}|{e.FromState}|{e.ToState}|{e.Detail}|{e.Note}\n");
        foreach (var a in await db.LeaderAssignments.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"A{a.Id}|{a.ThreadId}|{a.LeaderId}|{a.LeadUnitId}|{a.CoUnits}|{a.ResponsiblePerson}|{a.StabilityPerson}|{a.Plan}|" +
                      $"{a.AssignedOn}|{a.DueOn}|{a.ExtensionDays}|{a.Status}|{a.ResolvedOn}|{a.RelapsedOn}|{a.ResolutionResult}|{a.BatchId}\n");
        foreach (var b in await db.AssignmentBatches.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"B{b.Id}|{b.Name}|{b.CreatedOn}|{b.CreatedAtUtc:O}|{b.CreatedBy}\n");
        foreach (var g in await db.AssignmentProgress.OrderBy(x => x.Id).ToListAsync(ct))
            sb.Append($"G{g.Id}|{g.AssignmentId}|{g.On}|{g.Action}|{g.Actor}\n");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>
    /// Character-bigram Jaccard similarity after removing whitespace and punctuation (docs/rules.md §6), written out here
    /// independently of the app so the test checks the generated texts, not the app's own matcher.
    /// </summary>
    public static double BigramJaccard(string a, string b)
    {
        static HashSet<string> Grams(string s)
        {
            var chars = s.Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c)).ToArray();
            var grams = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < chars.Length; i++) grams.Add(new string(chars, i, 2));
            return grams;
        }
        var ga = Grams(a);
        var gb = Grams(b);
        var common = ga.Count(gb.Contains);
        return (double)common / (ga.Count + gb.Count - common);
    }

    /// <summary>GB 11643: 17 digits, a real birth date, and Σ digit × weight mod 11 → "10X98765432".</summary>
    public static bool IsValidIdNumber(string id)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
        return id[17] == "10X98765432"[sum % 11]
            && DateOnly.TryParseExact(id.Substring(6, 8), "yyyyMMdd", out _);
    }
}
