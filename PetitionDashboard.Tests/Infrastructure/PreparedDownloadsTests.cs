using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Infrastructure;

/// <summary>
/// Prepared downloads in the database: a file published by one service instance (node) is found and read back whole by
/// another, only by its owner and kind, and is gone — rows and chunks — once it has expired and a sweep ran.
/// </summary>
public class PreparedDownloadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each node its own private temp folder, as on two machines.</summary>
    private static PrivateTempFiles Temps() => new(
        Microsoft.Extensions.Options.Options.Create(new TempFileOptions { Folder = Path.Combine(Path.GetTempPath(), $"pd-test-temps-{Guid.NewGuid():N}") }),
        NullLogger<PrivateTempFiles>.Instance);

    private static async Task<(PreparedDownload File, byte[] Bytes)> PublishAsync(PreparedDownloads node, string owner, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var file = node.Reserve(owner, "supervision-report", "2026-W10", "督办通报.xlsx");
        await File.WriteAllBytesAsync(file.Path, bytes, Ct);
        await node.PublishAsync(file, Ct);
        return (file, bytes);
    }

    [Fact]
    public async Task Published_OnOneNode_ReadWholeOnAnotherByItsOwnerOnly()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = TestClock.AtShanghai(2026, 3, 21);
        var nodeA = new PreparedDownloads(db, clock, Temps(), TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance);
        var nodeB = new PreparedDownloads(db, clock, Temps(), TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance);

        var (file, bytes) = await PublishAsync(nodeA, "督查甲", PreparedDownloads.ChunkSize + 7);

        Assert.False(File.Exists(file.Path));
        var found = await nodeB.FindAsync(file.Id, "督查甲", "supervision-report", Ct);
        Assert.NotNull(found);
        Assert.Equal(("2026-W10", "督办通报.xlsx"), (found.Key, found.DownloadName));
        using var copy = new MemoryStream();
        await nodeB.CopyToAsync(found, copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Null(await nodeB.FindAsync(file.Id, "督查乙", "supervision-report", Ct));
        Assert.Null(await nodeB.FindAsync(file.Id, "督查甲", "import-errors", Ct));
    }

    [Fact]
    public async Task Expired_NotHandedOutAndSweptWithItsChunks()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = TestClock.AtShanghai(2026, 3, 21);
        var node = new PreparedDownloads(db, clock, Temps(), TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance);
        var (old, _) = await PublishAsync(node, "督查甲", 1000);

        clock.Now += PreparedDownloads.Lifetime + TimeSpan.FromMinutes(1);
        var (fresh, _) = await PublishAsync(node, "督查甲", 1000);

        Assert.Null(await node.FindAsync(old.Id, "督查甲", "supervision-report", Ct));
        // Reserving the fresh file already started a sweep in the background; an explicit one makes the end state certain.
        await node.SweepAsync(Ct);
        await using var ctx = db.CreateDbContext();
        Assert.Equal([fresh.Id], await ctx.PreparedFiles.Select(f => f.Id).ToListAsync(Ct));
        Assert.Equal([fresh.Id], await ctx.PreparedFileChunks.Select(c => c.FileId).Distinct().ToListAsync(Ct));
    }
}

// The same tests on a real PostgreSQL server (started by test.sh).
public sealed class PreparedDownloadsPostgresTests : PreparedDownloadsTests, IRunsOnPostgres;
