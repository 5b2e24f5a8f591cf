using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PetitionDashboard.Infrastructure.Files;

/// <summary>Section "TempFiles": where files with personal data wait while they are processed or downloaded.</summary>
public sealed class TempFileOptions
{
    public const string Section = "TempFiles";

    /// <summary>The app's own temp folder; empty: <c>petition-dashboard</c> under the system temp folder.</summary>
    public string Folder { get; set; } = "";

    /// <summary>A file older than this is left over from a crash or an abandoned download and is deleted at start-up.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = "配置项 TempFiles:MaxAgeMinutes 须在 {1} 到 {2} 之间")]
    public int MaxAgeMinutes { get; set; } = 180;
}

/// <summary>
/// The one place temp files with personal data (uploaded ledgers, error lists, prepared reports) are created: in a folder
/// only the app's user may enter (0700) as files only it may read (0600), so other accounts on the server never see a
/// citizen's ID number. Callers delete a file when done with it; what a crash leaves behind is swept when the app starts.
/// </summary>
public sealed class PrivateTempFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TimeSpan _maxAge;

    public PrivateTempFiles(IOptions<TempFileOptions> options, ILogger<PrivateTempFiles> log)
    {
        _maxAge = TimeSpan.FromMinutes(options.Value.MaxAgeMinutes);
        Folder = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Value.Folder)
            ? Path.Combine(Path.GetTempPath(), "petition-dashboard")
            : options.Value.Folder);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
        else
        {
            Directory.CreateDirectory(Folder, FolderMode);
            // An existing folder keeps its mode on creation: narrow it (another user's folder here fails, as it should).
            File.SetUnixFileMode(Folder, FolderMode);
        }
        var swept = Sweep();
        if (swept > 0) log.LogInformation("已删除临时文件夹 {Folder} 中 {Count} 个过期的临时文件", Folder, swept);
    }

    public string Folder { get; }

    /// <summary>A new, unique path in the private folder (nothing is created yet).</summary>
    public string NewPath(string purpose, string extension) => Path.Combine(Folder, $"{purpose}-{Guid.NewGuid():N}{extension}");

    /// <summary>Creates <paramref name="path"/> (a path from <see cref="NewPath"/>) readable and writable by the app's user only.</summary>
    public static FileStream Create(string path, FileAccess access = FileAccess.Write, FileOptions options = FileOptions.Asynchronous)
    {
        var settings = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew, Access = access, Share = FileShare.None, BufferSize = 81920, Options = options,
        };
        if (!OperatingSystem.IsWindows()) settings.UnixCreateMode = FileMode;
        return new FileStream(path, settings);
    }

    /// <summary>Deletes a file if it is there; one still open elsewhere is left for the next sweep.</summary>
    public static void Delete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Deletes the files older than TempFiles:MaxAgeMinutes; the number deleted.</summary>
    /// <remarks>
    /// Age on the wall clock, like the file system's own times — never the business clock (<c>Clock:Now</c>): a node or
    /// a command started with a clock set ahead would otherwise take another process's fresh upload for a crash's leftover.
    /// </remarks>
    public int Sweep()
    {
        var cutoff = DateTime.UtcNow - _maxAge;
        var deleted = 0;
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc >= cutoff) continue;
            Delete(file.FullName);
            if (!File.Exists(file.FullName)) deleted++;
        }
        return deleted;
    }
}

public static class PrivateTempFilesServices
{
    /// <summary>The private temp folder, its options validated at start-up.</summary>
    public static IHostApplicationBuilder AddPrivateTempFiles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TempFileOptions>().BindConfiguration(TempFileOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PrivateTempFiles>();
        return builder;
    }
}
