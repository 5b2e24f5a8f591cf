using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Infrastructure.Files;

/// <summary>
/// Temp files with personal data (issue 13): the folder only the app's user may enter, the files only it may read,
/// deleted after use, and what a crash left behind swept when the app starts. The mode bits are Unix's (the servers).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateTempFilesTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pd-private-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private PrivateTempFiles Temps(int maxAgeMinutes = 180) => new(
        Options.Create(new TempFileOptions { Folder = _folder, MaxAgeMinutes = maxAgeMinutes }), NullLogger<PrivateTempFiles>.Instance);

    [Fact]
    public async Task AFileIsCreated0600_InAFolder0700()
    {
        var temps = Temps();
        var path = temps.NewPath("ledger", ".xlsx");

        await using (var file = PrivateTempFiles.Create(path)) await file.WriteAsync("身份证号"u8.ToArray(), Ct);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(_folder, Path.GetDirectoryName(path));
    }

    [Fact]
    public void AnExistingWorldReadableFolder_IsNarrowedTo0700()
    {
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101); // 0755

        _ = Temps();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
    }

    [Fact]
    public async Task StartUp_SweepsFilesOlderThanTheMaxAge_OnTheWallClock_AndKeepsFreshOnes()
    {
        // File times are wall-clock times: the sweep measures age on the wall clock, not on the business clock
        // (Clock:Now) — a process started with a pinned clock once deleted other processes' fresh downloads.
        Directory.CreateDirectory(_folder);
        var old = Path.Combine(_folder, "ledger-crashed.xlsx");
        var fresh = Path.Combine(_folder, "ledger-running.xlsx");
        await File.WriteAllTextAsync(old, "x", Ct);
        await File.WriteAllTextAsync(fresh, "x", Ct);
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(old, now.AddMinutes(-181));
        File.SetLastWriteTimeUtc(fresh, now.AddMinutes(-5));

        _ = Temps(maxAgeMinutes: 180); // what the app does at start-up

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task AnUploadedLedger_IsReceivedIntoAPrivateFile_AndDeletedAfterTheImport()
    {
        await using var world = await ImportWorld.CreateAsync();
        var importer = world.Importer();
        var ledger = new LedgerFile().Row("XF-1").Save(Path.Combine(Path.GetTempPath(), $"pd-ledger-src-{Guid.NewGuid():N}.xlsx"));
        try
        {
            string received;
            await using (var upload = File.OpenRead(ledger))
                received = await importer.ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct);

            Assert.Equal(world.Temps.Folder, Path.GetDirectoryName(received));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(received));
            Assert.True((await importer.ImportAsync(received, "台账.xlsx", null, Ct)).Succeeded);
            PrivateTempFiles.Delete(received); // what the page and the command do when the import is over
            Assert.Empty(Directory.EnumerateFiles(world.Temps.Folder));
        }
        finally
        {
            File.Delete(ledger);
        }
    }

    [Fact]
    public async Task ARefusedUpload_LeavesNoFileBehind()
    {
        await using var world = await ImportWorld.CreateAsync();
        using var upload = new MemoryStream("不是工作簿"u8.ToArray());

        await Assert.ThrowsAsync<PetitionDashboard.Domain.ActionRefusedException>(() =>
            world.Importer().ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct));

        Assert.Empty(Directory.EnumerateFiles(world.Temps.Folder));
    }
}
