using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>Section "Calendar" of appsettings.json.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>
    /// Where earlier versions kept the years an Admin added (relative to the app's content root). Its files are copied into
    /// the database once at start-up; new uploads go only to the database.
    /// </summary>
    public string Folder { get; set; } = Path.Combine("data", "calendars");

    /// <summary>How often a node checks the calendar's version in the database (a single-row read).</summary>
    public int RefreshSeconds { get; set; } = 30;
}

/// <summary>
/// The holiday calendar every deadline is computed with. The years live in the database (<see cref="HolidayCalendarYear"/>),
/// seeded from the files shipped with the app (Domain/Calendars); each node caches them and, at most every
/// Calendar:RefreshSeconds, reads the version row to pick up a year another node saved. Without a database (the domain
/// tests), or before <see cref="SeedAsync"/> ran, it holds the shipped files and the legacy folder only.
/// </summary>
public sealed class CalendarStore
{
    private readonly string _adminFolder;
    private readonly IDbContextFactory<AppDbContext>? _dbs;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _refreshEvery;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private volatile Loaded _loaded;
    private long _checkedAtTicks;

    // Set once the database is known to be migrated (SeedAsync, run by DatabaseInitializer on every start and command):
    // until then nothing reads it, so a command refused for bad arguments never creates a SQLite file.
    private volatile bool _databaseReady;

    public CalendarStore(
        IOptions<CalendarOptions> options, IHostEnvironment? env = null, IDbContextFactory<AppDbContext>? dbs = null,
        TimeProvider? clock = null, ILogger<CalendarStore>? log = null)
    {
        var root = env?.ContentRootPath ?? AppContext.BaseDirectory;
        _adminFolder = Path.GetFullPath(options.Value.Folder, root);
        _dbs = dbs;
        _clock = clock ?? TimeProvider.System;
        _refreshEvery = TimeSpan.FromSeconds(Math.Max(options.Value.RefreshSeconds, 0));
        _log = log ?? (ILogger)NullLogger.Instance;
        var files = ReadFolder(ShippedFolder).Select(y => (y, false))
            .Concat(ReadFolder(_adminFolder).Select(y => (y, true)));
        _loaded = Loaded.From(-1, files);
    }

    /// <summary>The calendar in force (refreshed from the database when the version check is due).</summary>
    public WorkingCalendar Calendar
    {
        get
        {
            RefreshIfDue();
            return _loaded.Calendar;
        }
    }

    /// <summary>Every year on file, with where it came from (shipped or added by an admin).</summary>
    public IReadOnlyList<(HolidayYear Year, bool AddedByAdmin)> Years()
    {
        RefreshIfDue();
        return _loaded.Years.Values.OrderBy(y => y.Year.Year).ToList();
    }

    /// <summary>
    /// Saves a year an Admin uploaded (replacing the stored one) and raises the version in one transaction; this node sees
    /// it at once, the others at their next version check.
    /// </summary>
    public async Task<WorkingCalendar> SaveAsync(HolidayYear year, string savedBy, CancellationToken ct = default)
    {
        var dbs = _dbs ?? throw new InvalidOperationException("节假日日历保存在数据库中，此处未配置数据库");
        var now = _clock.GetUtcNow().UtcDateTime;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var row = await db.HolidayCalendarYears.FindAsync([year.Year], ct);
            if (row is null) db.HolidayCalendarYears.Add(row = new HolidayCalendarYear { Year = year.Year });
            (row.Json, row.AddedByAdmin, row.SavedAtUtc, row.SavedBy) = (year.ToJson(), true, now, FieldLengths.Clip(savedBy, FieldLengths.Actor)!);
            await db.SaveChangesAsync(ct);
            await BumpRevisionAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        _databaseReady = true;
        Refresh(force: true);
        return _loaded.Calendar;
    }

    /// <summary>
    /// At start-up (idempotent): the shipped years the table lacks, and the files of the legacy admin folder, go into the
    /// database; a year an Admin saved in the database is never overwritten by a shipped file.
    /// </summary>
    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (_dbs is null) return;
        var now = _clock.GetUtcNow().UtcDateTime;
        await using (var db = await _dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var stored = await db.HolidayCalendarYears.ToDictionaryAsync(y => y.Year, ct);
            var changed = false;
            foreach (var (year, addedByAdmin) in ReadFolder(ShippedFolder).Select(y => (y, false))
                         .Concat(ReadFolder(_adminFolder).Select(y => (y, true))))
            {
                if (stored.TryGetValue(year.Year, out var row) && (row.AddedByAdmin || !addedByAdmin)) continue;
                if (row is null) db.HolidayCalendarYears.Add(row = stored[year.Year] = new HolidayCalendarYear { Year = year.Year });
                (row.Json, row.AddedByAdmin, row.SavedAtUtc, row.SavedBy) = (year.ToJson(), addedByAdmin, now, addedByAdmin ? "管理员（原日历文件夹）" : "随程序发布");
                changed = true;
            }
            await db.SaveChangesAsync(ct);
            if (changed || !await db.HolidayCalendarRevisions.AnyAsync(ct)) await BumpRevisionAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        _databaseReady = true;
        Refresh(force: true);
    }

    private static async Task BumpRevisionAsync(AppDbContext db, CancellationToken ct)
    {
        // An atomic increment: two nodes saving at once both raise it, and neither change is missed by a third node.
        if (await db.HolidayCalendarRevisions.Where(r => r.Id == HolidayCalendarRevision.SingleRowId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Number, r => r.Number + 1), ct) == 0)
        {
            db.HolidayCalendarRevisions.Add(new HolidayCalendarRevision { Id = HolidayCalendarRevision.SingleRowId, Number = 1 });
            await db.SaveChangesAsync(ct);
        }
    }

    private void RefreshIfDue()
    {
        if (_dbs is null || !_databaseReady) return;
        // The app's clock (not a stopwatch), so a test moves it by hand; a clock set back counts as due.
        var elapsed = _clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _checkedAtTicks);
        if (elapsed >= 0 && elapsed < _refreshEvery.Ticks) return;
        Refresh(force: false);
    }

    /// <summary>Reads the version row and, when it moved (or <paramref name="force"/>), every year. One reader at a time.</summary>
    private void Refresh(bool force)
    {
        if (_dbs is null || !_databaseReady) return;
        if (!_gate.TryEnter())
        {
            // Another thread is reading; a forced refresh (after this node's own save) waits for it to finish first.
            if (!force) return;
            _gate.Enter();
        }
        try
        {
            Interlocked.Exchange(ref _checkedAtTicks, _clock.GetUtcNow().UtcTicks);
            using var db = _dbs.CreateDbContext();
            var revision = db.HolidayCalendarRevisions.AsNoTracking()
                .Where(r => r.Id == HolidayCalendarRevision.SingleRowId).Select(r => (long?)r.Number).FirstOrDefault();
            if (revision is null || (!force && revision == _loaded.Revision)) return;
            var rows = db.HolidayCalendarYears.AsNoTracking().ToList();
            // The shipped files stand in for a year the table lacks (a database seeded by an older version).
            var years = ReadFolder(ShippedFolder).Select(y => (y, false))
                .Concat(rows.Select(r => (HolidayYear.Parse(r.Json), r.AddedByAdmin)));
            _loaded = Loaded.From(revision.Value, years);
        }
        catch (Exception e)
        {
            // Before the migrations ran (start-up, a command) or while the database is away: keep what this node has.
            _log.LogWarning(e, "节假日日历：无法从数据库读取，继续使用已加载的日历");
        }
        finally
        {
            _gate.Exit();
        }
    }

    private static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Domain", "Calendars");

    private static IEnumerable<HolidayYear> ReadFolder(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Order().Select(f => HolidayYear.Parse(File.ReadAllText(f)))
            : [];

    private sealed record Loaded(long Revision, IReadOnlyDictionary<int, (HolidayYear Year, bool AddedByAdmin)> Years, WorkingCalendar Calendar)
    {
        public static Loaded From(long revision, IEnumerable<(HolidayYear Year, bool AddedByAdmin)> years)
        {
            var byYear = new Dictionary<int, (HolidayYear, bool)>();
            foreach (var y in years) byYear[y.Year.Year] = y;
            return new Loaded(revision, byYear, new WorkingCalendar(byYear.Values.Select(v => v.Item1)));
        }
    }
}
