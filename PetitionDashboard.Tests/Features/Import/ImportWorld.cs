using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>An empty database with the unit 城关区, a clock on Monday 2026-11-23 (Shanghai), and an importer for a role.</summary>
public sealed class ImportWorld : IAsyncDisposable
{
    public static readonly DateOnly Today = new(2026, 11, 23);

    private readonly List<string> _files = [];

    private ImportWorld(TestDatabase db, TestClock clock) => (Db, Clock) = (db, clock);

    public TestDatabase Db { get; }

    public TestClock Clock { get; }

    public ImportOptions Options { get; } = new();

    /// <summary>The importers' background work after a commit (the WAL checkpoint), awaited before the world goes.</summary>
    public ImportCheckpoints Checkpoints { get; } = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<ImportCheckpoints>.Instance);

    /// <summary>This world's own private temp folder (removed with the world).</summary>
    public PrivateTempFiles Temps { get; } = new(
        Microsoft.Extensions.Options.Options.Create(new TempFileOptions { Folder = Path.Combine(Path.GetTempPath(), $"pd-test-temps-{Guid.NewGuid():N}") }),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<PrivateTempFiles>.Instance);

    /// <param name="audited">with the app's audit interceptor on every context, for tests of what the trail stores.</param>
    public static async Task<ImportWorld> CreateAsync(bool audited = false)
    {
        var clock = TestClock.AtShanghai(2026, 11, 23);
        var world = new ImportWorld(audited ? await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), clock, PetitionDashboard.Tests.Support.TestPersonalData.Protector)) : await TestDatabase.CreateAsync(), clock);
        await using var db = await world.Db.CreateDbContextAsync();
        db.Units.Add(new Unit { Name = "城关区", Kind = UnitKind.County });
        await db.SaveChangesAsync();
        return world;
    }

    public LedgerImportService Importer(string role = Roles.DutyOfficer)
    {
        var guard = new AccessGuard(FixedCurrentUser.For("值班员甲", [role]));
        return new(Db, guard, TestRules.Deadlines(), Clock, Microsoft.Extensions.Options.Options.Create(Options), new AuditActorAccessor(),
            new RepeatDetectionService(Db, Microsoft.Extensions.Options.Options.Create(new RepeatOptions()), guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector),
            new ThreadLinkingService(Db, Clock, guard), Temps, PetitionDashboard.Tests.Support.TestPersonalData.Protector, Checkpoints);
    }

    /// <summary>Saves the ledger and imports it the way the page does (receive, then import).</summary>
    public async Task<ImportResult> ImportAsync(LedgerFile ledger, string fileName = "台账.xlsx", LedgerImportService? importer = null)
    {
        var ct = TestContext.Current.CancellationToken;
        importer ??= Importer();
        var path = ledger.Save();
        _files.Add(path);
        await using var upload = File.OpenRead(path);
        var received = await importer.ReceiveAsync(upload, fileName, upload.Length, ct);
        _files.Add(received);
        return await importer.ImportAsync(received, fileName, null, ct);
    }

    public async Task<(int Petitions, int Events, int Petitioners, int Threads, int Links)> CountsAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        return (await db.Petitions.CountAsync(), await db.PetitionEvents.CountAsync(), await db.Petitioners.CountAsync(),
            await db.Threads.CountAsync(), await db.PetitionPetitioners.CountAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Checkpoints.WhenDoneAsync();
        foreach (var f in _files.Where(File.Exists)) File.Delete(f);
        Directory.Delete(Temps.Folder, recursive: true);
        await Db.DisposeAsync();
    }
}

/// <summary>Reports in the import's thread at once (<see cref="Progress{T}"/> would post them later): a test can act mid-import.</summary>
public sealed class ImmediateProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}
