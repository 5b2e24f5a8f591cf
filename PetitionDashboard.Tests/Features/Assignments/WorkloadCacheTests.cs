using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Assignments;

/// <summary>
/// The leaders' 包案 counts kept per node until the change counter moves (<see cref="WorkloadCache"/>): after each kind of
/// write — assign, resolve, a deadline moved outside the app — and on the next day, the workload page shows what a
/// recount from the rows shows; a leader's new name shows at once (the Leaders table is read for every open).
/// </summary>
public class WorkloadCacheTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 21);
    private readonly TestClock _clock = TestClock.AtShanghai(2026, 3, 21);
    private readonly TestAssignmentUser _user = new(TestAssignmentUser.Officer());
    private TestDatabase _db = null!;
    private AssignmentSeed _seed = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _seed = await AssignmentSeed.CreateAsync(_db, Ct);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private AssignmentService Counted() => AssignmentSeed.Service(_db, _clock, _user);

    private AssignmentService Cached(WorkloadCache cache) =>
        new(_db, _clock, TestRules.Deadlines(), new AccessGuard(_user), NullLogger<AssignmentService>.Instance, cache);

    private static string[] Rows(IEnumerable<LeaderWorkload> rows) =>
        [.. rows.Select(r => $"{r.LeaderId} {r.Name} {r.Title}: {r.Active}/{r.Relapsed}/{r.Overdue}/{r.Resolved}/{r.Total} {r.AverageDaysToResolve}")];

    private async Task<string[]> AsSupervisorAsync(AssignmentService service)
    {
        _user.Current = TestAssignmentUser.Supervisor();
        return Rows(await service.WorkloadAsync(Ct));
    }

    private async Task<int> AssignAsync(AssignmentService service)
    {
        _user.Current = TestAssignmentUser.Officer();
        var numbers = await _seed.ThreadAsync(_db, Today.AddDays(-40), ct: Ct);
        return (await service.AssignAsync(numbers[0], _seed.Plan(), Ct)).AssignmentIds.Single();
    }

    [Fact]
    public async Task AfterEachKindOfWrite_AndOnTheNextDay_TheKeptCountsEqualARecount()
    {
        var feed = new DatabaseChangeFeed(_db, NullLogger<DatabaseChangeFeed>.Instance);
        var cached = Cached(new WorkloadCache(feed));
        var first = await AssignAsync(cached);
        await AssignAsync(cached);

        var before = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Counted()), before);
        Assert.Equal(before, await AsSupervisorAsync(cached));   // nothing written: the kept counts

        // Assigned through the service: 张三 has one more in force.
        await AssignAsync(cached);
        var assigned = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Counted()), assigned);
        Assert.NotEqual(before, assigned);

        // Resolved by the leader himself: one fewer in force, one resolved, an average.
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");
        await cached.ResolveAsync(first, await VersionAsync(first), "已交房，信访人签字息诉", Ct);
        var resolved = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Counted()), resolved);
        Assert.NotEqual(assigned, resolved);

        // A deadline moved by raw SQL (an import, a script): the counter's triggers see it too — now overdue.
        await using (var db = _db.CreateDbContext())
            await db.LeaderAssignments.Where(a => a.Status == AssignmentStatus.Active).OrderBy(a => a.Id).Take(1)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueOn, Today.AddDays(-1)), Ct);
        var overdue = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Counted()), overdue);
        Assert.NotEqual(resolved, overdue);

        // Nothing written, but the day turned: the open 包案 due today are overdue tomorrow.
        await using (var db = _db.CreateDbContext())
            await db.LeaderAssignments.Where(a => a.Status == AssignmentStatus.Active && a.DueOn >= Today).OrderBy(a => a.Id).Take(1)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueOn, Today), Ct);
        var dueToday = await AsSupervisorAsync(cached);
        _clock.Now = _clock.Now.AddDays(1);
        var tomorrow = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Counted()), tomorrow);
        Assert.NotEqual(dueToday, tomorrow);
    }

    [Fact]
    public async Task ALeadersNewName_ShowsAtOnce_ThoughTheLeadersTableMovesNoCounter()
    {
        var cached = Cached(new WorkloadCache(new DatabaseChangeFeed(_db, NullLogger<DatabaseChangeFeed>.Instance)));
        await AssignAsync(cached);
        Assert.Contains(await AsSupervisorAsync(cached), r => r.Contains(" 张三 ", StringComparison.Ordinal));

        await using (var db = _db.CreateDbContext())
            await db.Leaders.Where(l => l.Id == _seed.Zhang).ExecuteUpdateAsync(s => s.SetProperty(l => l.Name, "张三丰"), Ct);

        var renamed = await AsSupervisorAsync(cached);
        Assert.Contains(renamed, r => r.Contains(" 张三丰 ", StringComparison.Ordinal));
        Assert.Equal(await AsSupervisorAsync(Counted()), renamed);
    }

    private async Task<int> VersionAsync(int assignmentId)
    {
        await using var db = _db.CreateDbContext();
        return await db.LeaderAssignments.Where(a => a.Id == assignmentId).Select(a => a.Version).SingleAsync(Ct);
    }
}

public sealed class WorkloadCachePostgresTests : WorkloadCacheTests, IRunsOnPostgres;
