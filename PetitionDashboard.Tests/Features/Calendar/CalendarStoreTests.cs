using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Calendar;

/// <summary>
/// The holiday calendars live in the database: the shipped years seed it once, an Admin's upload on one node reaches the
/// deadlines of every other node at its next version check (Calendar:RefreshSeconds, 30 s).
/// </summary>
public class CalendarStoreTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _legacyFolder = Path.Combine(Path.GetTempPath(), $"pd-cal-legacy-{Guid.NewGuid():N}");
    private TestDatabase _db = null!;

    private const string Calendar2027 = """
        { "year": 2027, "source": "测试通知", "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-05" } ],
          "makeUpWorkdays": [ "2027-01-09" ] }
        """;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_legacyFolder)) Directory.Delete(_legacyFolder, true);
    }

    private CalendarStore Node(TimeProvider clock) =>
        new(Options.Create(new CalendarOptions { Folder = _legacyFolder, RefreshSeconds = 30 }), null, _db, clock);

    [Fact]
    public async Task UploadOnNodeA_TheDeadlineOnNodeBUsesIt_AfterItsVersionCheck()
    {
        var clockA = TestClock.AtShanghai(2026, 12, 21);
        var clockB = TestClock.AtShanghai(2026, 12, 21);
        var a = Node(clockA);
        var b = Node(clockB);
        // Each node seeds at its start (DatabaseInitializer); the second finds nothing to add.
        await a.SeedAsync(Ct);
        await b.SeedAsync(Ct);
        var received = new DateOnly(2026, 12, 20);
        // The first-decision deadline (docs/rules.md §2), on the calendar the node has in force.
        DateOnly FirstDecisionDueOn(CalendarStore node) => new DeadlineCalculator(node.Calendar, new DeadlineOptions()).FirstDecision(received).Due;
        // Weekends only in 2027 so far: 12-20 + 15 days = 2027-01-04 (a Monday) on both nodes.
        Assert.Equal(new DateOnly(2027, 1, 4), FirstDecisionDueOn(b));

        var admin = new CalendarService(a, _db, Options.Create(new DeadlineOptions()), clockA,
            new AccessGuard(FixedCurrentUser.For("管理员甲", [Roles.SystemAdmin])));
        await admin.SaveYearAsync(Calendar2027, Ct);
        Assert.Equal(new DateOnly(2027, 1, 6), FirstDecisionDueOn(a));        // the saving node at once: 01-01…01-05 off

        clockB.Now = clockB.Now.AddSeconds(10);
        Assert.False(b.Calendar.HasYear(2027));                                 // B checks at most every 30 s …
        clockB.Now = clockB.Now.AddSeconds(25);
        Assert.True(b.Calendar.HasYear(2027));                                  // … and then reads the new version
        Assert.Equal(new DateOnly(2027, 1, 6), FirstDecisionDueOn(b));
        Assert.Contains(b.Years(), y => y.Year.Year == 2027 && y.AddedByAdmin);
    }

    [Fact]
    public async Task Seeding_IsIdempotent_KeepsAnAdminsYear_AndTakesOverTheLegacyFolder()
    {
        var clock = TestClock.AtShanghai(2026, 11, 23);
        Directory.CreateDirectory(_legacyFolder);
        await File.WriteAllTextAsync(Path.Combine(_legacyFolder, "2027.json"), Calendar2027, Ct);
        var store = Node(clock);
        await store.SeedAsync(Ct);
        await store.SeedAsync(Ct);

        await using (var db = _db.CreateDbContext())
        {
            var rows = await db.HolidayCalendarYears.AsNoTracking().OrderBy(y => y.Year).ToListAsync(Ct);
            Assert.Equal([(2024, false), (2025, false), (2026, false), (2027, true)], rows.Select(r => (r.Year, r.AddedByAdmin)));
            Assert.Equal(1, (await db.HolidayCalendarRevisions.SingleAsync(Ct)).Number);   // the second seeding changed nothing
        }

        // An Admin corrects 2026; a restart (seeding again, shipped 2026 file still there) keeps the correction.
        var corrected = HolidayYear.Parse("""{ "year": 2026, "source": "更正", "holidays": [ { "name": "元旦", "from": "2026-01-01", "to": "2026-01-03" } ] }""");
        await store.SaveAsync(corrected, "管理员甲", Ct);
        var restarted = Node(clock);
        await restarted.SeedAsync(Ct);
        Assert.Contains(restarted.Years(), y => y.Year.Year == 2026 && y.AddedByAdmin && y.Year.Source == "更正");
        Assert.False(restarted.Calendar.IsWorkingDay(new DateOnly(2026, 1, 2)));
        Assert.True(restarted.Calendar.IsWorkingDay(new DateOnly(2026, 2, 16)));   // 春节 2026 is gone with the correction
    }
}

public sealed class CalendarStorePostgresTests : CalendarStoreTests, IRunsOnPostgres;
